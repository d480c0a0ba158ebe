'use strict'
// The middleware's native fast path: `NativeVerifier.handle()` and the plain function
// `verifyPacked(handle, packed, count, body, now, lookup)`, and the lazy `VerifiedIdentity` it
// feeds. Requests are AWS's own signed W1 (get-vanilla-query-order-key-case) in both forms.
const test = require('node:test')
const assert = require('node:assert/strict')
const util = require('node:util')
const path = require('node:path')
const fs = require('node:fs')
const native = require('../lib/native')
const { Verifier, VerifiedIdentity, VERIFY_RAW, packRequest } = require('../lib/verifier')
const { parseRequest, ROOT } = require('./vectors')

const SUITE = path.join(ROOT, 'aws-signing-test-suite', 'v4')
const AKID = 'AKIDEXAMPLE'
const SECRET = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY'
const T0 = 1440938160 // 20150830T123600Z
const OPTIONS = { credentials: { [AKID]: SECRET }, region: 'us-east-1', service: 'service' }

function w1(form) {
  const raw = parseRequest(fs.readFileSync(path.join(SUITE, 'get-vanilla-query-order-key-case', `${form}-signed-request.txt`), 'utf8'))
  return { method: raw.method, url: raw.target, flat: raw.headers.flat() }
}
const pack = (r) => `${r.method}\0${r.url}\0${r.flat.join('\0')}`

test('verifyPacked on a handle verifies both forms of W1 and returns the identity fields', () => {
  const handle = new native.NativeVerifier(OPTIONS).handle()
  for (const form of ['header', 'query']) {
    const r = w1(form)
    const flat = native.verifyPacked(handle, pack(r), r.flat.length / 2, Buffer.alloc(0), T0, undefined)
    const p = flat.split('\0')
    assert.deepEqual(p.slice(0, 3), [AKID, 'us-east-1', 'service'])
    assert.equal(p[4], '20150830T123600Z')
    assert.equal(p[5], form === 'query' ? '1' : '0')
  }
})

test('verifyPacked answers the HTTP/1 framing questions (RFC 9112 6.3, 3.2) before verifying', () => {
  const handle = new native.NativeVerifier(OPTIONS).handle()
  const r = w1('header')
  const withHeaders = (...extra) => [pack({ ...r, flat: [...r.flat, ...extra] }), r.flat.length / 2 + extra.length / 2]
  // No body given (not read yet): a request announcing one is not verified; the answer is its length.
  assert.equal(native.verifyPacked(handle, ...withHeaders('Content-Length', '5'), undefined, T0, undefined), 5)
  assert.equal(native.verifyPacked(handle, ...withHeaders('content-length', ' 12 '), null, T0, undefined), 12)
  // Transfer-Encoding (overriding any Content-Length) or a length that is not a number: unknown, -1.
  assert.equal(native.verifyPacked(handle, ...withHeaders('Transfer-Encoding', 'chunked'), undefined, T0, undefined), -1)
  assert.equal(native.verifyPacked(handle, ...withHeaders('Content-Length', '5', 'Transfer-Encoding', 'chunked'), undefined, T0, undefined), -1)
  assert.equal(native.verifyPacked(handle, ...withHeaders('Content-Length', 'five'), undefined, T0, undefined), -1)
  // Announcing none (no header, or Content-Length: 0): verified at once with an empty body.
  assert.equal(typeof native.verifyPacked(handle, pack(r), r.flat.length / 2, undefined, T0, undefined), 'string')
  // (Content-Length is not among the signed headers of the vector, so the request still verifies.)
  assert.equal(typeof native.verifyPacked(handle, ...withHeaders('Content-Length', '0'), undefined, T0, undefined), 'string')
  // A body given: verified whatever the headers announce.
  assert.throws(() => native.verifyPacked(handle, ...withHeaders('Content-Length', '5'), Buffer.from('hello'), T0, undefined), (e) => e.code === 'SignatureDoesNotMatch')
  // Only origin-form targets, with or without a body.
  for (const target of [`http://example.amazonaws.com${r.url}`, '*', 'example.amazonaws.com:443']) {
    for (const body of [undefined, Buffer.alloc(0)]) {
      assert.throws(() => native.verifyPacked(handle, pack({ ...r, url: target }), r.flat.length / 2, body, T0, undefined),
        (e) => e.code === 'InvalidUrl' && /origin-form/.test(e.message), target)
    }
  }
})

test('verifyPacked refuses anything but a verifier handle, naming the argument', () => {
  const r = w1('header')
  const args = [pack(r), r.flat.length / 2, null, T0, undefined]
  const external = new native.NativeVerifier(OPTIONS)
  for (const bad of [undefined, null, 1, 'handle', {}, external, [external.handle()]]) {
    assert.throws(() => native.verifyPacked(bad, ...args), (e) => e.code === 'InvalidOption' && e.argument === 'verifier', util.inspect(bad))
  }
})

test('verifyPacked fails a tampered request with the AWS code, and a wrong header count as malformed', () => {
  const handle = new native.NativeVerifier(OPTIONS).handle()
  const r = w1('header')
  assert.throws(() => native.verifyPacked(handle, pack(r).replace('Param1=value1', 'Param1=value2'), r.flat.length / 2, null, T0, undefined),
    (e) => e.code === 'SignatureDoesNotMatch' && typeof e.canonicalRequest === 'string')
  assert.throws(() => native.verifyPacked(handle, pack(r), r.flat.length / 2 + 1, null, T0, undefined), (e) => e.code === 'InvalidHeaderValue')
  assert.throws(() => native.verifyPacked(handle, 42, 0, null, T0, undefined), (e) => e.code === 'InvalidUrl' && e.argument === 'request')
  // A NUL inside a header value adds a field: the pairs no longer line up.
  assert.throws(() => native.verifyPacked(handle, pack(r) + '\0extra', r.flat.length / 2, null, T0, undefined), (e) => e.code === 'InvalidHeaderValue')
  // No headers at all (the packed text ends with the NUL after the URL): an ordinary unsigned request.
  assert.throws(() => native.verifyPacked(handle, 'GET\0/\0', 0, null, T0, undefined), (e) => e.code === 'MissingAuthenticationToken')
  assert.throws(() => native.verifyPacked(handle, 'GET\0/', 0, null, T0, undefined), (e) => e.code === 'MissingAuthenticationToken')
})

test('verifyPacked with a lookup function asks it for the secret', () => {
  const asked = []
  const handle = new native.NativeVerifier({ ...OPTIONS, credentials: () => undefined }).handle()
  const r = w1('query')
  const lookup = (akid) => { asked.push(akid); return SECRET }
  assert.equal(native.verifyPacked(handle, pack(r), r.flat.length / 2, '', T0, lookup).split('\0')[0], AKID)
  assert.deepEqual(asked, [AKID])
  assert.throws(() => native.verifyPacked(handle, pack(r), r.flat.length / 2, '', T0, () => undefined), (e) => e.code === 'InvalidAccessKeyId')
})

test('a handle keeps its verifier alive after the NativeVerifier is gone', () => {
  let handle = new native.NativeVerifier(OPTIONS).handle()
  if (global.gc) global.gc()
  const r = w1('header')
  assert.equal(native.verifyPacked(handle, pack(r), r.flat.length / 2, null, T0, undefined).split('\0')[0], AKID)
  handle = null
})

test('VerifiedIdentity: lazy getters, toJSON and inspect give the same plain object', () => {
  const v = new Verifier(OPTIONS)
  const r = w1('query')
  const who = v[VERIFY_RAW](packRequest(r.method, r.url, r.flat), r.flat.length >> 1, Buffer.alloc(0), T0)
  assert.ok(who instanceof VerifiedIdentity)
  const expected = {
    accessKeyId: AKID,
    region: 'us-east-1',
    service: 'service',
    signedHeaders: ['host'],
    amzDate: '20150830T123600Z',
    presigned: true,
    expiresAt: new Date((T0 + 3600) * 1000),
    sessionTokenUsed: false,
    payloadHash: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855', // query-canonical-request.txt
    payloadSigned: true,
    algorithm: 'AWS4-HMAC-SHA256',
    regionSet: null,
  }
  assert.deepEqual(who.toJSON(), expected)
  assert.equal(who.signedHeaders, who.signedHeaders, 'the same array on every access')
  assert.equal(who.expiresAt, who.expiresAt)
  assert.deepEqual(JSON.parse(JSON.stringify(who)), JSON.parse(JSON.stringify(expected)))
  assert.equal(util.inspect(who), `VerifiedIdentity ${util.inspect(expected)}`)
  const header = v.verify({ method: 'GET', url: w1('header').url, headers: w1('header').flat }, { now: T0 })
  assert.equal(header.presigned, false)
  assert.equal(header.expiresAt, null)
  assert.deepEqual(header.signedHeaders, ['host', 'x-amz-date'])
})
