'use strict'
// lib/nonce.js keeps its own copies of the core's nonce header name and size (it runs in edge runtimes without
// the native addon): they must stay the core's, read here from the addon (sigv4::NONCE_HEADER, NONCE_BYTES).
const test = require('node:test')
const assert = require('node:assert/strict')
const native = require('../native.js')
const nonce = require('../lib/nonce')

test('lib/nonce.js uses the core\'s nonce header name', () => {
  assert.equal(typeof native.NONCE_HEADER, 'string')
  assert.equal(nonce.NONCE_HEADER, native.NONCE_HEADER)
})

test('lib/nonce.js makes nonces of the core\'s size, in the core\'s format', () => {
  assert.equal(typeof native.NONCE_BYTES, 'number')
  assert.equal(nonce.NONCE_BYTES, native.NONCE_BYTES)
  const value = nonce.newNonce()
  assert.match(value, new RegExp(`^[0-9a-f]{${2 * native.NONCE_BYTES}}$`))
})
