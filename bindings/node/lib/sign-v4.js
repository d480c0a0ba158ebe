'use strict'
// `signV4(params)` with the opt-in nonce: `nonce: true` adds a signed random `X-Request-Nonce` header
// (returned as `nonce`; the caller sends it next to the headers it passed), so identical calls within
// one second are distinct requests for a verifier with replay protection. The signing itself is the
// backend's one-call function (addon or WebAssembly), unchanged.
const { NONCE_HEADER, newNonce } = require('./nonce')

/** `params.headers` (object, array of pairs or undefined) plus the nonce header, as pairs. */
function withNonce(headers, nonce) {
  let pairs
  if (headers === undefined || headers === null) pairs = []
  else if (Array.isArray(headers)) pairs = [...headers]
  else if (typeof headers === 'object') pairs = Object.entries(headers)
  else pairs = headers // not a header shape: the backend names the problem
  if (Array.isArray(pairs)) pairs.push([NONCE_HEADER, nonce])
  return pairs
}

/** Wraps a backend's `signV4` with the `nonce` option. */
function signV4With(backend) {
  return function signV4(params) {
    if (params === null || typeof params !== 'object' || params.nonce === undefined || params.nonce === false) {
      return backend(params)
    }
    if (params.nonce !== true) {
      const e = new TypeError('nonce must be a boolean')
      e.code = 'InvalidOption'
      throw e
    }
    const nonce = newNonce()
    const out = backend({ ...params, headers: withNonce(params.headers, nonce) })
    out.nonce = nonce
    return out
  }
}

module.exports = { signV4With }
