'use strict'
// The native surface has no dead parts and both backends offer the same one: every function and class member
// the napi addon exports is used by the JS layer (index.js, lib/), and the WebAssembly glue (wasm/backend.js)
// exports the same functions and class members, so lib/ runs unchanged on either.
const test = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const path = require('node:path')

const PKG = path.join(__dirname, '..')
const napi = require('../native.js')
const wasm = require('../wasm/backend.js')

/**
 * Exports that are not part of the surface lib/ uses: napi-rs' own marker, the layout hook of test/packed.test.js and
 * the core's nonce constants that test/nonce-core.test.js checks lib/nonce.js's copies against.
 */
const NOT_SURFACE = new Set(['__napiBindingTarget', 'packedLayouts', 'NONCE_HEADER', 'NONCE_BYTES'])
/** The napi addon only: how lib/native.js makes native errors SigV4Errors (the glue builds them itself). */
const NAPI_ONLY = new Set(['setErrorClass'])
/** The WebAssembly glue only: its loader API (wasm/README, lib/edge.js). */
const WASM_ONLY = new Set(['backend', 'init', 'initSync', 'isReady', 'memoryBytes', 'setLoader'])
/** Getters of the addon that the glue sets as fields in its constructor. */
const WASM_FIELDS = { NativeUpload: ['request'], NativeStream: ['decodedLength', 'identity'] }

const jsLayer = ['index.js', ...fs.readdirSync(path.join(PKG, 'lib')).filter((f) => f.endsWith('.js')).map((f) => `lib/${f}`)]
  .map((f) => fs.readFileSync(path.join(PKG, f), 'utf8')).join('\n')
const classes = (m) => Object.keys(m).filter((k) => typeof m[k] === 'function' && /^Native/.test(k))
const members = (cls) => Object.getOwnPropertyNames(cls.prototype).filter((n) => n !== 'constructor')

test('every export and class member of the addon is used by the JS layer', () => {
  const surface = Object.keys(napi).filter((k) => !NOT_SURFACE.has(k))
  assert.ok(surface.length >= 10)
  for (const name of surface) {
    // Classes returned by methods (NativeUpload, NativeStream) are used through their members.
    if (!/^Native/.test(name)) assert.match(jsLayer, new RegExp(`\\b${name}\\b`), `native export ${name} is unused`)
  }
  for (const cls of classes(napi)) {
    for (const m of members(napi[cls])) assert.match(jsLayer, new RegExp(`\\.${m}\\b`), `${cls}.${m} is unused`)
  }
})

test('the WebAssembly glue exports the same functions and class members as the addon', () => {
  const a = Object.keys(napi).filter((k) => !NOT_SURFACE.has(k) && !NAPI_ONLY.has(k)).sort()
  const b = Object.keys(wasm).filter((k) => !WASM_ONLY.has(k)).sort()
  assert.deepEqual(b, a)
  for (const cls of classes(napi)) {
    const fields = WASM_FIELDS[cls] || []
    const expected = members(napi[cls]).filter((m) => !fields.includes(m)).sort()
    assert.deepEqual(members(wasm[cls]).sort(), expected, cls)
  }
})
