'use strict'
// The error table shared by every language (tests/behaviour/errors.json): JS codes, the HTTP status and the
// bodies the middleware answers with come from the core, as in Python and C.
const test = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const path = require('node:path')
const http = require('node:http')
const { VerificationError, Verifier, sigv4Middleware } = require('..')

const TABLE = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', '..', 'tests', 'behaviour', 'errors.json'), 'utf8')).codes

test('every code has the status and JS code of the shared table', () => {
  for (const [code, row] of Object.entries(TABLE)) {
    const e = new VerificationError(row.js, 'm')
    assert.equal(e.code, code)
    assert.equal(e.status, row.status, code)
    assert.equal(e.isMalformed, row.status === 400, code)
    const a = e.answer()
    assert.equal(a.status, row.status)
    assert.equal(a.contentType, 'application/json')
    assert.deepEqual(JSON.parse(a.body), { __type: code, message: 'm' })
  }
})

test('explained mismatches in JSON and S3 XML', () => {
  const e = new VerificationError('SignatureDoesNotMatch', 'no <', undefined, 'GET\n/\n\nhost:a&b\n\nhost\nx', 'AWS4-HMAC-SHA256\nt')
  assert.deepEqual(JSON.parse(e.answer().body), { __type: 'SignatureDoesNotMatch', message: 'no <' })
  const j = JSON.parse(e.answer({ explain: true }).body)
  assert.equal(j.canonicalRequest, e.canonicalRequest)
  assert.equal(j.stringToSign, e.stringToSign)
  const x = e.answer({ xml: true, explain: true })
  assert.equal(x.contentType, 'application/xml')
  assert.match(x.body, /<Error><Code>SignatureDoesNotMatch<\/Code><Message>no &lt;<\/Message><StringToSign>AWS4-HMAC-SHA256\nt<\/StringToSign><CanonicalRequest>GET\n\/\n\nhost:a&amp;b\n\nhost\nx<\/CanonicalRequest><\/Error>$/)
})

test('the middleware answers with the core\'s status and body', async () => {
  const verifier = new Verifier({ credentials: { AKID: 'SECRET' }, region: 'us-east-1', service: 'execute-api' })
  const mw = sigv4Middleware(verifier)
  const server = http.createServer((req, res) => mw(req, res, () => res.end('ok')))
  await new Promise((r) => server.listen(0, '127.0.0.1', r))
  try {
    const r = await fetch(`http://127.0.0.1:${server.address().port}/`)
    assert.equal(r.status, TABLE.MissingAuthenticationToken.status)
    assert.equal(r.headers.get('x-amzn-errortype'), 'MissingAuthenticationToken')
    assert.equal((await r.json()).__type, 'MissingAuthenticationToken')
  } finally {
    server.close()
  }
})
