'use strict'
// tests/behaviour/one_call.json (expected values computed by botocore's SigV4Auth / S3SigV4Auth, never by
// libsigv4): `signV4` gives the same Authorization, signature, canonical request and string to sign per service,
// and its `headers` carry every header botocore adds (x-amz-content-sha256 for S3, the session token). Also run on
// the WebAssembly build (mk/wasm.mk WASM_NODE_TESTS).
const test = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const path = require('node:path')
const { signV4 } = require('..')

const TABLE = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', '..', 'tests', 'behaviour', 'one_call.json'), 'utf8'))

test('the table has cases for the S3 family and other services', () => {
  const services = new Set(TABLE.cases.map((c) => c.params.service))
  assert.ok(services.has('s3') && services.size >= 3, [...services].join())
})

for (const c of TABLE.cases) {
  test(`signV4 = botocore: ${c.name}`, () => {
    const p = c.params
    const got = signV4({
      accessKey: p.access_key, secretKey: p.secret_key, sessionToken: p.session_token, region: p.region,
      service: p.service, method: p.method, uri: p.uri, queryParams: p.query_params, headers: p.headers,
      payload: p.payload, timestamp: p.timestamp,
    })
    const want = c.expected
    assert.equal(got.canonicalRequest, want.canonical_request)
    assert.equal(got.stringToSign, want.string_to_sign)
    assert.equal(got.signature, want.signature)
    assert.equal(got.authorization, want.authorization)
    assert.equal(got.timestamp, want.timestamp)
    const sent = Object.fromEntries(Object.entries(got.headers).map(([n, v]) => [n.toLowerCase(), v]))
    for (const [name, value] of Object.entries(want.added_headers)) assert.equal(sent[name], value, name)
    assert.equal(sent.authorization, want.authorization)
  })
}
