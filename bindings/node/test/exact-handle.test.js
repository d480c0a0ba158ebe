'use strict'
// The aws4 drop-in's native fast path: `NativeSigner.exactHandle()` and the plain function
// `signExactWith(handle, packed, body, payloadHash, flags)`. Expected signatures are the AWS
// suite's (get-vanilla-query-order-key-case, header form).
const test = require('node:test')
const assert = require('node:assert/strict')
const util = require('node:util')
const native = require('../lib/native')

const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' }
const W1_SIG = 'b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500'
const PACKED = 'GET\0/?Param2=value2&Param1=value1\u000020150830T123600Z\0host\0example.amazonaws.com\0x-amz-date\u000020150830T123600Z'
const NORMALISE = 2
const SHORT = 4
const signer = () => new native.NativeSigner({ credentials, region: 'us-east-1', service: 'service' })

test('signExactWith on a handle gives the AWS suite signature, like signExact', () => {
  const s = signer()
  const h = s.exactHandle()
  assert.deepEqual(native.signExactWith(h, PACKED, null, null, NORMALISE | SHORT).split('\0'), [W1_SIG, 'host;x-amz-date'])
  const full = native.signExactWith(h, PACKED, '', null, NORMALISE).split('\0')
  assert.equal(full[0], W1_SIG)
  assert.equal(full[3], 'host;x-amz-date')
  assert.deepEqual(full, s.signExact(PACKED, '', null, NORMALISE).split('\0'))
})

test('signExactWith refuses anything but an exact-signing handle, naming the argument', () => {
  const verifierHandle = new native.NativeVerifier({ credentials: { A: 'b' }, region: 'us-east-1', service: 'service' }).handle()
  for (const bad of [undefined, null, 0, 'x', {}, signer(), verifierHandle]) {
    assert.throws(() => native.signExactWith(bad, PACKED, null, null, 0), (e) => e.code === 'InvalidOption' && e.argument === 'signer', util.inspect(bad))
  }
  assert.throws(() => native.signExactWith(signer().exactHandle(), 7, null, null, 0), (e) => e.code === 'InvalidUrl')
})

test('exactHandle needs credentials and keeps the ones of its time', () => {
  const empty = new native.NativeSigner({ region: 'us-east-1', service: 'service' })
  assert.throws(() => empty.exactHandle(), (e) => e.code === 'InvalidCredentials')
  const s = signer()
  const h = s.exactHandle()
  s.setCredentials({ accessKeyId: 'AKIDOTHER', secretAccessKey: 'other' })
  assert.equal(native.signExactWith(h, PACKED, null, null, NORMALISE | SHORT).split('\0')[0], W1_SIG)
  assert.notEqual(native.signExactWith(s.exactHandle(), PACKED, null, null, NORMALISE | SHORT).split('\0')[0], W1_SIG)
})
