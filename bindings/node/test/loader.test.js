'use strict'
// When no native binary loads, require('libsigv4') throws an error naming the platform, the packages that exist
// and the command that installs the right one (checked in a child process: the binary is made unloadable through
// napi-rs's NAPI_RS_NATIVE_LIBRARY_PATH override, which the generated loader tries instead of every other path).
const test = require('node:test')
const assert = require('node:assert')
const path = require('node:path')
const { spawnSync } = require('node:child_process')
const { platformPackages, currentPlatform, platformOfTriple } = require('../lib/platform')

test('platform packages follow napi-rs naming for every configured target', () => {
  assert.strictEqual(platformOfTriple('x86_64-unknown-linux-gnu'), 'linux-x64-gnu')
  assert.strictEqual(platformOfTriple('aarch64-unknown-linux-musl'), 'linux-arm64-musl')
  assert.deepStrictEqual(platformPackages().slice().sort(), [
    'libsigv4-linux-arm64-gnu', 'libsigv4-linux-arm64-musl', 'libsigv4-linux-x64-gnu', 'libsigv4-linux-x64-musl',
  ])
})

test('no loadable binary and the WebAssembly fallback off: the error names the platform, the packages and the install command', () => {
  const script = `try { require(${JSON.stringify(path.join(__dirname, '..'))}); process.exit(3) } catch (e) {
    process.stdout.write(JSON.stringify({ message: e.message, code: e.code, platform: e.platform, cause: String(e.cause) })) }`
  const r = spawnSync(process.execPath, ['-e', script], {
    env: { ...process.env, NAPI_RS_NATIVE_LIBRARY_PATH: path.join(__dirname, 'no-such-binary.node'), LIBSIGV4_WASM_FALLBACK: '0' },
    encoding: 'utf8',
  })
  assert.strictEqual(r.status, 0, r.stderr)
  const e = JSON.parse(r.stdout)
  const { key } = currentPlatform()
  assert.strictEqual(e.code, 'NativeBindingMissing')
  assert.strictEqual(e.platform, key)
  assert.match(e.message, new RegExp(`Node ${process.version.replace(/\./g, '\\.')}`))
  for (const p of platformPackages()) assert.ok(e.message.includes(p), `${p} missing from: ${e.message}`)
  assert.match(e.message, /npm install /)
  assert.match(e.cause, /Cannot find native binding/)
  assert.match(e.message, new RegExp(`libsigv4-${key}@`))
})
