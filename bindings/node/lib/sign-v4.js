'use strict'
// `signV4(params)` with the opt-in nonce: `nonce: true` adds a signed random `X-Request-Nonce` header
// (returned as `nonce`; the caller sends it next to the headers it passed), so identical calls within
// one second are distinct requests for a verifier with replay protection. The signing itself is the core's
// one-call function (sigv4::sign_v4) through the backend (addon or WebAssembly), which returns the signed
// request as a record (core/src/packed.rs); the result object is built here, the same for both.
const { NONCE_HEADER, newNonce } = require('./nonce')
const { headerList } = require('./headers')
const { SigV4Error } = require('./errors')
const { signedRequestFields } = require('./packed')

/** signV4's result from the signed-request record: KumoMTA's fields, then the URL and every header to send. */
function result(record) {
  const s = signedRequestFields(record)
  return {
    authorization: s.authorization,
    timestamp: s.amzDate,
    signature: s.signature,
    canonicalRequest: s.canonicalRequest,
    stringToSign: s.stringToSign,
    url: s.url,
    headers: s.headers,
  }
}

/** `params` with its headers (plus the nonce header, when given) and query parameters as the flat lists the
 * backends take. */
function flattened(params, nonce) {
  let queryParams
  try {
    queryParams = headerList(params.queryParams)
  } catch (e) {
    throw new SigV4Error('InvalidUrl', 'queryParams must be an object of name -> value (or [name, value] pairs)', 'queryParams')
  }
  const headers = headerList(params.headers, [])
  if (nonce !== undefined) headers.push(NONCE_HEADER, nonce)
  return { ...params, headers, queryParams }
}

/** Wraps a backend's `signV4` with the `nonce` option. */
function signV4With(backend) {
  return function signV4(params) {
    if (params === null || typeof params !== 'object') return result(backend(params))
    if (params.nonce === undefined || params.nonce === false) return result(backend(flattened(params)))
    if (params.nonce !== true) {
      const e = new TypeError('nonce must be a boolean')
      e.code = 'InvalidOption'
      throw e
    }
    const nonce = newNonce()
    const out = result(backend(flattened(params, nonce)))
    out.nonce = nonce
    return out
  }
}

module.exports = { signV4With }
