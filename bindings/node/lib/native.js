'use strict'
// Loads the napi-rs addon through the loader napi generates (native.js, never edited by hand). When no prebuilt
// binary loads, the WebAssembly build of the same core takes its place (same exports, same results, slower) with a
// one-time warning that says what exists and how to install it; LIBSIGV4_WASM_FALLBACK=0 turns the fallback off
// (the error is then thrown). LIBSIGV4_BACKEND=wasm picks the WebAssembly build on purpose (tests, benchmarks).
const { noBinaryError } = require('./platform')

/** Fallback hook: called when no native binary loads; returns the WebAssembly build's exports, or null. */
function loadFallback(nativeError) {
  if (process.env.LIBSIGV4_WASM_FALLBACK === '0') return null
  let wasm
  try {
    wasm = require('../wasm/node.js')
    wasm.version() // loads sigv4.wasm now: a package without it keeps the native error
  } catch {
    return null
  }
  const why = noBinaryError(nativeError).message
  process.emitWarning(`${why} Using the WebAssembly build meanwhile (same results, slower).`, { code: 'LIBSIGV4_WASM_FALLBACK' })
  return wasm
}

// Deno runs the WebAssembly build: its require() resolves `#native` with Node's conditions, not `deno` (so
// package.json's `imports` cannot pick it there), and loading the addon would need --allow-ffi. Checked before
// process.env, which needs --allow-env in Deno.
const deno = typeof Deno === 'object' && Deno !== null // eslint-disable-line no-undef

let binding
if (deno || process.env.LIBSIGV4_BACKEND === 'wasm') {
  binding = require('../wasm/node.js')
} else {
  try {
    binding = require('../native.js')
  } catch (err) {
    binding = loadFallback(err)
    if (!binding) throw noBinaryError(err)
  }
}
// Native errors are made as SigV4Error (code, message, argument), like the JS layer's.
if (typeof binding.setErrorClass === 'function') binding.setErrorClass(require('./errors').SigV4Error)
module.exports = binding
