'use strict'
// The AWS SigV4 suite (38 cases, header and query forms) through an installed libsigv4: `require('libsigv4')` and
// `require('libsigv4/aws4')` resolve from the current directory (a fresh project), never from the repository.
// Usage: node v4-suite.js <repo root>   (the repo only supplies the vectors and their reader)
const assert = require('node:assert/strict')
const path = require('node:path')
const { createRequire } = require('node:module')

const root = process.argv[2]
const fromProject = createRequire(path.join(process.cwd(), 'package.json'))
const { Signer, version } = fromProject('libsigv4')
const aws4 = fromProject('libsigv4/aws4')
const { cases, signerOptions, render } = require(path.join(root, 'bindings/node/test/vectors.js'))

let passed = 0
let failed = 0
const all = cases()
assert.equal(all.length, 38, 'the v4 suite has 38 cases')
for (const c of all) {
  for (const form of ['header', 'query']) {
    try {
      const signer = new Signer(signerOptions(c.context))
      const req = c.request
      const request = { method: req.method, url: req.target, headers: req.headers, body: Buffer.from(req.body),
        timestamp: c.context.timestamp.replace(/[-:]/g, '') }
      const s = form === 'header' ? signer.sign(request) : signer.presign(request, { expiresIn: c.context.expiration_in_seconds })
      assert.equal(s.canonicalRequest, c.read(`${form}-canonical-request.txt`), 'canonical request')
      assert.equal(s.stringToSign, c.read(`${form}-string-to-sign.txt`), 'string to sign')
      assert.equal(s.signature, c.read(`${form}-signature.txt`).trim(), 'signature')
      assert.equal(render(req, s.url, s.headers), c.read(`${form}-signed-request.txt`), 'signed request')
      passed++
    } catch (e) {
      failed++
      console.log(`v4/${c.name} (${form}) FAILED: ${e.message}`)
    }
  }
}
// libsigv4/aws4 on the suite's plain GET: the same signature as the suite's.
try {
  const c = all.find((x) => x.name === 'get-vanilla')
  const cr = c.context.credentials
  const opts = { host: 'example.amazonaws.com', path: '/', service: c.context.service, region: c.context.region,
    headers: { 'X-Amz-Date': c.context.timestamp.replace(/[-:]/g, '') }, doNotModifyHeaders: false }
  const signed = aws4.sign(opts, { accessKeyId: cr.access_key_id, secretAccessKey: cr.secret_access_key })
  assert.ok(signed.headers.Authorization.endsWith(`Signature=${c.read('header-signature.txt').trim()}`), signed.headers.Authorization)
  passed++
} catch (e) {
  failed++
  console.log(`libsigv4/aws4 get-vanilla FAILED: ${e.message}`)
}
console.log(`libsigv4 ${version()} on ${process.platform}-${process.arch}, Node ${process.version}`)
console.log(`${passed} passed, ${failed} failed`)
process.exit(failed ? 1 : 0)
