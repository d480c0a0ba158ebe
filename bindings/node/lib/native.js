'use strict'
// Loads the napi-rs addon through the loader napi generates (native.js, never edited by hand).
// When no native binary matches this platform (napi's loader throws "Cannot find native binding"),
// the WebAssembly build of the same core takes its place, with a one-time warning: slower, same
// results. LIBSIGV4_BACKEND=wasm picks the WebAssembly build on purpose (tests, benchmarks).

function wasmBackend(reason) {
  if (reason !== undefined) {
    process.emitWarning(`libsigv4: no native binary for ${process.platform}-${process.arch} (${reason}); using the WebAssembly build (same results, slower)`, { code: 'LIBSIGV4_WASM_FALLBACK' })
  }
  return require('../wasm/node.js')
}

function load() {
  if (process.env.LIBSIGV4_BACKEND === 'wasm') return wasmBackend()
  try {
    return require('../native.js')
  } catch (e) {
    const missing = /Cannot find native binding/.test(String(e && e.message)) ||
      (e && e.code === 'MODULE_NOT_FOUND' && String(e.message).includes('native.js'))
    if (!missing) throw e
    return wasmBackend(String(e.message).split('\n')[0])
  }
}

module.exports = load()
