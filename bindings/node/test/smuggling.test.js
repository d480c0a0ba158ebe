'use strict'
// Issue 23: request smuggling and target confusion through real servers, raw bytes on a socket.
// node:http (withSigV4), Express 4 and Express 5 (sigv4Middleware) each run the middleware in front
// of an echo handler, are started once, and get every case of tests/smuggling/cases.json as raw
// bytes. Each response must be a refusal, or show that the handler received exactly the signed
// method, target, signed headers and body. The outcome table of each server is written to
// build/smuggling/<server>.txt.
const test = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const http = require('node:http')
const net = require('node:net')
const path = require('node:path')
const express4 = require('express4')
const express5 = require('express5')
const { Signer, Verifier, withSigV4, sigv4Middleware } = require('..')

const ROOT = path.join(__dirname, '../../..')
const TABLE = JSON.parse(fs.readFileSync(path.join(ROOT, 'tests/smuggling/cases.json'), 'utf8'))
const HOST = TABLE.host
const T0 = 1440938160 // 20150830T123600Z
const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' }
const signer = new Signer({ credentials, region: 'us-east-1', service: 'service' })
const verifier = new Verifier({ credentials: { [credentials.accessKeyId]: credentials.secretAccessKey }, region: 'us-east-1', service: 'service' })
const clock = () => T0

/** A case's signed request: what the handler must receive if it is let through. */
function signCase(sign) {
  const headers = [['Host', sign.host || HOST], ...(sign.headers || [])]
  const body = sign.body || ''
  const s = signer.sign({ method: sign.method, url: `https://${HOST}${sign.target}`, headers, body, timestamp: T0 })
  const pairs = Object.entries(s.headers)
  const value = (name) => pairs.find(([n]) => n.toLowerCase() === name)[1]
  const lines = (skip) => pairs.filter(([n]) => n.toLowerCase() !== skip).map(([n, v]) => `${n}: ${v}\r\n`).join('')
  const render = (raw) => Buffer.from(raw
    .replace('{headers}', lines(''))
    .replace(/\{headers-([a-z0-9-]+)\}/g, (_, n) => lines(n))
    .replace(/\{value:([a-z0-9-]+)\}/g, (_, n) => value(n)), 'latin1')
  const names = s.signedHeaders.split(';')
  function mismatch(seen) {
    const p = sign.target.split('?')[0]
    if (p.includes('/.') || p.includes('//')) return 'a path that signing normalises reached the handler in raw form'
    if (seen.method !== sign.method) return `method ${seen.method}`
    for (const t of seen.targets) if (t !== sign.target) return `target ${JSON.stringify(t)}`
    if (seen.path !== undefined && seen.path !== p) return `path ${JSON.stringify(seen.path)}`
    for (const name of names) {
      const got = seen.headers.filter(([n]) => n.toLowerCase() === name).map(([, v]) => v.trim()).join(',')
      if (got !== value(name).trim()) return `header ${name}: ${JSON.stringify(got)}`
    }
    if (Buffer.from(seen.body, 'base64').toString('latin1') !== body) return `body ${JSON.stringify(Buffer.from(seen.body, 'base64').toString('latin1'))}`
    return null
  }
  return { render, mismatch }
}

/** The HTTP/1.1 responses in `data` (status, body), in order. */
function responses(data) {
  const out = []
  while (data.length) {
    const end = data.indexOf('\r\n\r\n')
    if (end < 0) break
    const head = data.slice(0, end).toString('latin1')
    let rest = data.slice(end + 4)
    const status = Number(head.split(' ')[1])
    const fields = {}
    for (const line of head.split('\r\n').slice(1)) {
      const i = line.indexOf(':')
      fields[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim()
    }
    let body
    if (fields['content-length'] !== undefined) {
      const n = Number(fields['content-length'])
      body = rest.slice(0, n)
      data = rest.slice(n)
    } else if ((fields['transfer-encoding'] || '').toLowerCase() === 'chunked') {
      const pieces = []
      for (;;) {
        const e = rest.indexOf('\r\n')
        const size = parseInt(rest.slice(0, e).toString('latin1'), 16)
        pieces.push(rest.slice(e + 2, e + 2 + size))
        rest = rest.slice(e + 2 + size + 2)
        if (size === 0) break
      }
      body = Buffer.concat(pieces)
      data = rest
    } else {
      body = rest
      data = Buffer.alloc(0)
    }
    out.push([status, body])
  }
  return out
}

/** Writes `raw` and reads until the server closes (or stays silent for a second). */
function exchange(port, raw) {
  return new Promise((resolve) => {
    const chunks = []
    const socket = net.connect(port, '127.0.0.1', () => socket.write(raw))
    let timer
    const idle = () => { clearTimeout(timer); timer = setTimeout(() => socket.destroy(), 1000) }
    idle()
    socket.on('data', (c) => { chunks.push(c); idle() })
    socket.on('error', () => {})
    socket.on('close', () => { clearTimeout(timer); resolve(responses(Buffer.concat(chunks))) })
  })
}

function outcome(signed, status, body) {
  if (status !== 200) {
    let code = 'by the server'
    try { code = JSON.parse(body.toString('utf8')).__type || code } catch {}
    return `refused (${status} ${code})`
  }
  let seen
  try { seen = JSON.parse(body.toString('utf8')) } catch { return `MISMATCH: 200 without the echo (${JSON.stringify(body.toString('latin1').slice(0, 60))})` }
  const why = signed.mismatch(seen)
  return why === null ? 'exact' : `MISMATCH: ${why}`
}

async function runCases(port) {
  const rows = []
  for (const c of TABLE.cases) {
    const signed = signCase(c.sign)
    const got = await exchange(port, signed.render(c.raw))
    let outcomes = got.map(([status, body]) => outcome(signed, status, body))
    // The responses after the first answer requests nobody signed: only a refusal is right.
    outcomes = outcomes.slice(0, 1).concat(outcomes.slice(1).map((o) => o.startsWith('refused') ? o : `MISMATCH: unsigned request let through (${o})`))
    while (outcomes.length < c.expect.length) outcomes.push(outcomes.length ? 'refused (no response)' : 'refused (closed, no response)')
    rows.push([c.name, outcomes, c.expect])
  }
  return rows
}

const acceptable = (o, expect) => !o.startsWith('MISMATCH') && (expect === 'either' || o.startsWith(expect))

function echo(req, res, expressPath) {
  const headers = []
  for (let i = 0; i < req.rawHeaders.length; i += 2) headers.push([req.rawHeaders[i], req.rawHeaders[i + 1]])
  const targets = [req.url]
  if (req.originalUrl !== undefined) targets.push(req.originalUrl)
  const seen = { method: req.method, targets, headers, body: req.rawBody.toString('base64') }
  if (expressPath) seen.path = req.path
  const body = JSON.stringify(seen)
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) })
  res.end(body)
}

function expressApp(express) {
  const app = express()
  app.use(sigv4Middleware(verifier, { clock }))
  app.use((req, res) => echo(req, res, true))
  return app
}

const SERVERS = {
  'node:http': () => http.createServer(withSigV4(verifier, (req, res) => echo(req, res, false), { clock })),
  'express 4': () => http.createServer(expressApp(express4)),
  'express 5': () => http.createServer(expressApp(express5)),
}

for (const [name, make] of Object.entries(SERVERS)) {
  test(`smuggling table through ${name}`, async () => {
    const server = make()
    await new Promise((r) => server.listen(0, '127.0.0.1', r))
    let rows
    try {
      rows = await runCases(server.address().port)
    } finally {
      server.closeAllConnections()
      await new Promise((r) => server.close(r))
    }
    const table = rows.map(([n, got]) => `${n.padEnd(62)} ${got.join(' | ')}`).join('\n')
    const out = path.join(ROOT, 'build/smuggling')
    fs.mkdirSync(out, { recursive: true })
    fs.writeFileSync(path.join(out, `${name.replace(/[^a-z0-9]+/g, '-')}.txt`), `${name}\n${table}\n`)
    const bad = rows.filter(([, got, expect]) => !got.every((g, i) => acceptable(g, expect[i] || 'refused')))
      .map(([n, got, expect]) => `${n}: ${got} (expected ${expect})`)
    assert.deepEqual(bad, [], `${name}:\n${bad.join('\n')}\n\nfull table:\n${table}`)
  })
}
