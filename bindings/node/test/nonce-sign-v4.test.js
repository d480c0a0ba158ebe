'use strict'
// `nonce: true` on the one-call `signV4`: a signed random X-Request-Nonce (returned as `nonce`) makes two
// identical calls at the same second distinct for a verifier with a replay cache; the signature with the
// nonce is aws4's (an independent signer) for the same headers.
const test = require('node:test')
const assert = require('node:assert/strict')
const aws4 = require('aws4')
const { signV4, Verifier } = require('..')

const accessKey = 'AKIDNONCE1'
const secretKey = 'one-call-nonce-secret'
const when = '20260101T120000Z'
const base = { accessKey, secretKey, region: 'us-east-1', service: 'execute-api', method: 'GET', uri: '/items', queryParams: { x: '1' }, headers: { host: 'api.example.com' }, timestamp: when }
const verifier = () => new Verifier({ credentials: { [accessKey]: secretKey }, region: 'us-east-1', service: 'execute-api', replayCache: true })
const sent = (out, nonce) => ({ host: 'api.example.com', 'x-amz-date': out.timestamp, authorization: out.authorization, ...(nonce ? { 'x-request-nonce': nonce } : {}) })

test('signV4 nonce: signed, distinct, as aws4 signs it, both accepted', () => {
  const a = signV4({ ...base, nonce: true })
  const b = signV4({ ...base, nonce: true })
  for (const out of [a, b]) {
    assert.match(out.nonce, /^[0-9a-f]{32}$/)
    assert.match(out.authorization, /SignedHeaders=host;x-amz-date;x-request-nonce,/)
    const ref = aws4.sign({ host: 'api.example.com', path: '/items?x=1', method: 'GET', service: 'execute-api', region: 'us-east-1', headers: { 'X-Amz-Date': when, 'X-Request-Nonce': out.nonce } }, { accessKeyId: accessKey, secretAccessKey: secretKey })
    assert.equal(out.authorization, ref.headers.Authorization)
  }
  assert.notEqual(a.nonce, b.nonce)
  const v = verifier()
  for (const out of [a, b]) v.verify({ method: 'GET', url: '/items?x=1', headers: sent(out, out.nonce) }, { now: when })
})

test('signV4 without nonce: the identical copy is RequestReplayed', () => {
  const a = signV4(base)
  const b = signV4({ ...base, nonce: false })
  assert.equal(a.nonce, undefined)
  assert.equal(a.signature, b.signature)
  const v = verifier()
  v.verify({ method: 'GET', url: '/items?x=1', headers: sent(a) }, { now: when })
  assert.throws(() => v.verify({ method: 'GET', url: '/items?x=1', headers: sent(b) }, { now: when }), (e) => e.code === 'RequestReplayed' && /nonce/.test(e.message))
})

test('signV4 nonce with header pairs; a non-boolean nonce is refused', () => {
  const out = signV4({ ...base, headers: [['host', 'api.example.com']], nonce: true })
  assert.match(out.authorization, /x-request-nonce/)
  assert.throws(() => signV4({ ...base, nonce: 'yes' }), (e) => e instanceof TypeError && e.code === 'InvalidOption')
})
