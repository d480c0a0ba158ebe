'use strict'
// Node with the native binary hidden (napi-rs's NAPI_RS_NATIVE_LIBRARY_PATH pointed at a missing file, the
// generated loader's override): require('libsigv4') falls back to the WebAssembly build with one warning that
// names the platform and the install command, and signs the AWS suite's get-vanilla case to AWS's signature.
const test = require('node:test')
const assert = require('node:assert')
const path = require('node:path')
const { spawnSync } = require('node:child_process')

const PKG = path.join(__dirname, '..', '..')

test('no native binary: one warning, then the WebAssembly build signs', () => {
  const script = `
    const warnings = []
    process.on('warning', (w) => warnings.push(w))
    const lib = require(${JSON.stringify(PKG)})
    require(${JSON.stringify(path.join(PKG, 'lib', 'signer.js'))}) // same backend, no second warning
    const s = new lib.Signer({ region: 'us-east-1', service: 'service',
      credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' } })
    const signed = s.sign({ method: 'GET', url: 'https://example.amazonaws.com/', timestamp: '20150830T123600Z' })
    setImmediate(() => process.stdout.write(JSON.stringify({ signature: signed.signature,
      backend: require(${JSON.stringify(path.join(PKG, 'lib', 'native.js'))}).backend || 'napi',
      warnings: warnings.map((w) => ({ code: w.code, message: w.message })) })))`
  const env = { ...process.env, NAPI_RS_NATIVE_LIBRARY_PATH: path.join(__dirname, 'no-such-binary.node') }
  delete env.LIBSIGV4_BACKEND
  delete env.LIBSIGV4_WASM_FALLBACK
  const r = spawnSync(process.execPath, ['-e', script], { env, encoding: 'utf8' })
  assert.strictEqual(r.status, 0, r.stderr)
  const out = JSON.parse(r.stdout)
  assert.strictEqual(out.backend, 'wasm')
  // AWS's signature of get-vanilla (tests/vectors/aws-signing-test-suite/v4/get-vanilla/header-signature.txt).
  assert.strictEqual(out.signature, '5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31')
  assert.strictEqual(out.warnings.length, 1)
  assert.strictEqual(out.warnings[0].code, 'LIBSIGV4_WASM_FALLBACK')
  assert.match(out.warnings[0].message, /no native binary loaded for .*WebAssembly build/)
  assert.match(out.warnings[0].message, /npm install /)
})
