'use strict'
// The one packed format of the native boundary (core/src/packed.rs): lib/packed.js lists the same fields in
// the same order as the addon (packedLayouts(), read from the core's constants), and the JS readers return
// every field from the position the core writes it at (a record whose every field holds its own name).
const test = require('node:test')
const assert = require('node:assert/strict')
const native = require('../lib/native')
const { LAYOUTS, SIGNED_REQUEST_HEADERS, escapeField } = require('../lib/packed')
const { SignedRequest } = require('../lib/signer')
const { VerifiedIdentity } = require('../lib/identity')

test('lib/packed.js lists the core\'s record layouts', () => {
  assert.equal(typeof native.packedLayouts, 'function')
  assert.deepEqual({ ...native.packedLayouts() }, { ...LAYOUTS })
  assert.equal(SIGNED_REQUEST_HEADERS, LAYOUTS.signedRequest.length)
})

test('SignedRequest reads every field from its position, headers from the pairs after them', () => {
  const record = [...LAYOUTS.signedRequest, 'X-A', 'a', 'host', 'h'].join('\0')
  const s = new SignedRequest(record)
  for (const name of LAYOUTS.signedRequest) assert.equal(s[name], name, name)
  assert.deepEqual(s.headers, { 'X-A': 'a', host: 'h' })
  // Presigned: an empty authorization field is no authorization.
  const presigned = new SignedRequest(LAYOUTS.signedRequest.map((n) => (n === 'authorization' ? '' : n)).join('\0'))
  assert.equal(presigned.authorization, undefined)
  assert.equal('authorization' in presigned.toJSON(), false)
})

test('VerifiedIdentity reads every field from its position', () => {
  const typed = { signedHeaders: 'host;x-amz-date', presigned: '1', expiresAt: '1440938160', sessionTokenUsed: '0', regionSet: 'us-east-1,us-west-2', replayExpiresAtMs: '1440939061000' }
  const record = LAYOUTS.identity.map((n) => (n in typed ? typed[n] : n)).join('\0')
  const who = new VerifiedIdentity(record)
  for (const name of LAYOUTS.identity) {
    if (!(name in typed)) assert.equal(who[name], name, name)
  }
  assert.deepEqual(who.signedHeaders, ['host', 'x-amz-date'])
  assert.equal(who.presigned, true)
  assert.equal(who.expiresAt.getTime(), 1440938160000)
  assert.equal(who.sessionTokenUsed, false)
  assert.equal(who.regionSet, 'us-east-1,us-west-2')
  assert.equal(who.replayExpiresAtMs, 1440939061000)
  const plain = LAYOUTS.identity.map((n) => (n === 'presigned' || n === 'sessionTokenUsed' ? '0' : n === 'expiresAt' || n === 'regionSet' ? '' : n))
  const other = new VerifiedIdentity(plain.join('\0'))
  assert.equal(other.presigned, false)
  assert.equal(other.expiresAt, null)
  assert.equal(other.regionSet, null)
})

test('escaped fields round-trip through the core (aws4 signs header values holding NUL)', () => {
  assert.equal(escapeField('a\0b\u0001c'), 'a\u00010b\u00011c')
  const aws4 = require('libsigv4/aws4')
  const creds = { accessKeyId: 'AKID', secretAccessKey: 'secret' }
  const opts = { host: 'h.amazonaws.com', service: 'svc', region: 'us-east-1', path: '/', headers: { 'X-Nul': 'a\0b', 'X-One': '\u0001', 'X-Amz-Date': '20150830T123600Z' } }
  const signer = new aws4.RequestSigner(opts, creds)
  assert.match(signer.canonicalString(), /\nx-nul:a\0b\nx-one:\u0001\n/)
})
