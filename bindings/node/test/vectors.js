'use strict'
// Reads the AWS SigV4 suite in tests/vectors (shared by every language's runner).
const fs = require('node:fs')
const path = require('node:path')

const ROOT = path.join(__dirname, '..', '..', '..', 'tests', 'vectors')
const V4 = path.join(ROOT, 'aws-signing-test-suite', 'v4')

/** Parses request.txt: request line, headers (obs-fold continuation lines joined with a space), body. */
function parseRequest(text) {
  const cut = text.indexOf('\n\n')
  const head = cut >= 0 ? text.slice(0, cut) : text.replace(/\n+$/, '')
  const body = cut >= 0 ? text.slice(cut + 2) : ''
  const lines = head.split('\n')
  const requestLine = lines.shift()
  const sp = requestLine.indexOf(' ')
  const method = requestLine.slice(0, sp)
  const target = requestLine.slice(sp + 1, requestLine.lastIndexOf(' '))
  const headers = []
  const raw = []
  for (const line of lines) {
    if (line.startsWith(' ') || line.startsWith('\t')) {
      headers[headers.length - 1][1] += ' ' + line
      raw[raw.length - 1] += '\n' + line
    } else {
      const c = line.indexOf(':')
      headers.push([line.slice(0, c), line.slice(c + 1)])
      raw.push(line)
    }
  }
  return { method, target, headers, raw, body }
}

function cases() {
  return fs.readdirSync(V4, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort()
    .map((name) => {
      const dir = path.join(V4, name)
      const read = (f) => fs.readFileSync(path.join(dir, f), 'utf8')
      return { name, dir, read, context: JSON.parse(read('context.json')), request: parseRequest(read('request.txt')) }
    })
}

/** Signer options for a case's context.json. */
function signerOptions(ctx) {
  const c = ctx.credentials
  const credentials = { accessKeyId: c.access_key_id, secretAccessKey: c.secret_access_key }
  if (c.token) credentials.sessionToken = c.token
  const o = { credentials, region: ctx.region, service: ctx.service }
  if (ctx.normalize === false) o.normalizePath = false
  if (ctx.sign_body === true) o.contentSha256Header = true
  if (ctx.omit_session_token === true) o.signSessionToken = false
  return o
}

/** Renders a signed request in the suite's format: the caller's header lines verbatim, then the added ones. */
function render(req, url, headers) {
  const given = new Set(req.headers.map(([n]) => n))
  let out = `${req.method} ${url} HTTP/1.1\n`
  for (const line of req.raw) out += line + '\n'
  for (const [n, v] of Object.entries(headers)) if (!given.has(n)) out += `${n}:${v}\n`
  return out + '\n' + req.body
}

module.exports = { parseRequest, cases, signerOptions, render, ROOT }
