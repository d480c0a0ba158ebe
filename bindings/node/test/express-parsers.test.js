'use strict'
// sigv4Middleware in Express 4 and 5 with each body parser before and after it: it verifies the bytes a
// parser kept (a `verify` hook's req.rawBody, express.raw's Buffer) and otherwise answers 500 at once with
// the fix in the message — never waits for a body that was already read (issue 17: it used to hang).
const test = require('node:test')
const assert = require('node:assert/strict')
const http = require('node:http')
const express4 = require('express4')
const express5 = require('express5')
const { Signer, Verifier, sigv4Middleware } = require('..')

const credentials = { accessKeyId: 'AKIDEXPRESS', secretAccessKey: 'express-secret-key' }
const scope = { region: 'us-east-1', service: 'execute-api' }
const keep = (req, _res, buf) => { req.rawBody = buf }

const PARSERS = {
  json: { make: (e, o) => e.json(o), type: 'application/json', body: '{"a":1}' },
  urlencoded: { make: (e, o) => e.urlencoded({ extended: false, ...o }), type: 'application/x-www-form-urlencoded', body: 'a=1&b=2' },
  text: { make: (e, o) => e.text(o), type: 'text/plain', body: 'hello' },
  raw: { make: (e, o) => e.raw(o), type: 'application/octet-stream', body: 'bytes\u0000\u00ff' },
}

async function serve(express, chain) {
  const app = express()
  for (const mw of chain) app.use(mw)
  app.post('/p', (req, res) => res.json({ who: req.sigv4.accessKeyId, raw: req.rawBody.toString('utf8') }))
  app.use((err, _req, res, _next) => res.status(599).json({ err: String(err) }))
  const server = http.createServer(app)
  await new Promise((r) => server.listen(0, '127.0.0.1', r))
  return { url: `http://127.0.0.1:${server.address().port}`, close: () => new Promise((r) => { server.closeAllConnections(); server.close(r) }) }
}

async function post(url, type, body) {
  const s = new Signer({ credentials, ...scope }).sign({ method: 'POST', url: `${url}/p`, headers: { 'content-type': type }, body })
  const res = await fetch(s.url, { method: 'POST', headers: s.headers, body, signal: AbortSignal.timeout(5000) })
  return { status: res.status, body: await res.json() }
}

const verifier = new Verifier({ credentials: { [credentials.accessKeyId]: credentials.secretAccessKey }, ...scope })

for (const [version, express] of [['express 4', express4], ['express 5', express5]]) {
  for (const [name, p] of Object.entries(PARSERS)) {
    test(`${version}: express.${name} after the middleware -> 200, body verified`, async () => {
      const s = await serve(express, [sigv4Middleware(verifier), p.make(express)])
      try {
        const r = await post(s.url, p.type, p.body)
        assert.equal(r.status, 200, JSON.stringify(r.body))
        assert.deepEqual(r.body, { who: credentials.accessKeyId, raw: p.body })
      } finally { await s.close() }
    })

    test(`${version}: express.${name} before, with a verify hook keeping rawBody -> 200`, async () => {
      const s = await serve(express, [p.make(express, { verify: keep }), sigv4Middleware(verifier)])
      try {
        const r = await post(s.url, p.type, p.body)
        assert.equal(r.status, 200, JSON.stringify(r.body))
        assert.deepEqual(r.body, { who: credentials.accessKeyId, raw: p.body })
        const tampered = new Signer({ credentials, ...scope }).sign({ method: 'POST', url: `${s.url}/p`, headers: { 'content-type': p.type }, body: p.body })
        const res = await fetch(tampered.url, { method: 'POST', headers: tampered.headers, body: p.body.replace('1', '2').replace('e', 'E'), signal: AbortSignal.timeout(5000) })
        assert.equal(res.status, 403)
        assert.equal((await res.json()).__type, 'SignatureDoesNotMatch')
      } finally { await s.close() }
    })

    test(`${version}: express.${name} before, no hook -> ${name === 'raw' ? '200 (its Buffer is the body)' : '500 naming the fix, at once'}`, async () => {
      const s = await serve(express, [p.make(express), sigv4Middleware(verifier)])
      try {
        const r = await post(s.url, p.type, p.body)
        if (name === 'raw') {
          assert.equal(r.status, 200, JSON.stringify(r.body))
        } else {
          assert.equal(r.status, 500)
          assert.equal(r.body.__type, 'InternalFailure')
          assert.match(r.body.message, /before express\.json\(\)/)
          assert.match(r.body.message, /verify: \(req, res, buf\) => \{ req\.rawBody = buf \}/)
        }
      } finally { await s.close() }
    })
  }
}
