'use strict'
// Loads the napi-rs addon through the loader napi generates (native.js, never edited by hand). When no prebuilt
// binary loads, the fallback below may supply the same exports; otherwise the error says what exists and how to
// install it.
const { noBinaryError } = require('./platform')

/**
 * Fallback hook: called when no native binary loads; returns an object with the addon's exports, or null.
 * The WebAssembly build (issue 16) plugs in here; until then there is no fallback.
 */
function loadFallback(_nativeError) {
  return null
}

let binding
try {
  binding = require('../native.js')
} catch (err) {
  binding = loadFallback(err)
  if (!binding) throw noBinaryError(err)
}
// Native errors are made as SigV4Error (code, message, argument), like the JS layer's.
if (typeof binding.setErrorClass === 'function') binding.setErrorClass(require('./errors').SigV4Error)
module.exports = binding
