'use strict'
// The records the native half (napi addon or WebAssembly build) and this JS layer exchange: the one format of
// the boundary, defined and documented once in core/src/packed.rs (fields joined by NUL, fixed fields then
// name/value pairs, inputs holding NUL sent escaped). These lists are the field positions the JS readers and
// writers use (lib/signer.js, lib/identity.js, lib/verifier.js, lib/aws4.js, lib/aws-sdk.js, lib/aws4fetch.js,
// wasm/backend.js); test/packed.test.js checks them against the addon's `packedLayouts()` and checks that the
// readers return each field from its position.

const LAYOUTS = Object.freeze({
  signedRequest: ['method', 'url', 'signature', 'authorization', 'amzDate', 'credentialScope', 'signedHeaders',
    'canonicalRequest', 'stringToSign', 'payloadHash'],
  identity: ['accessKeyId', 'region', 'service', 'signedHeaders', 'amzDate', 'presigned', 'expiresAt',
    'sessionTokenUsed', 'payloadHash', 'algorithm', 'regionSet', 'replayKey', 'replayExpiresAtMs'],
  verifyRequest: ['method', 'url'],
  sdkRequest: ['method', 'url', 'amzDate'],
  sdkSignature: ['signature', 'signedHeaders', 'canonicalRequest', 'stringToSign'],
  aws4Request: ['method', 'path', 'datetime', 'date', 'accessKeyId', 'nQuery', 'nHeaders'],
})

/** Where a signed request's header pairs start. */
const SIGNED_REQUEST_HEADERS = LAYOUTS.signedRequest.length

/** The plain object of a signed-request record: its fields by name, `headers` an object (one entry per name, as
 * the core merged repeats) and no `authorization` when presigned. */
function signedRequestFields(record) {
  const p = record.split('\0')
  const headers = {}
  for (let i = SIGNED_REQUEST_HEADERS; i < p.length; i += 2) headers[p[i]] = p[i + 1]
  const out = {
    method: p[0],
    url: p[1],
    headers,
    signature: p[2],
    authorization: p[3],
    amzDate: p[4],
    credentialScope: p[5],
    signedHeaders: p[6],
    canonicalRequest: p[7],
    stringToSign: p[8],
    payloadHash: p[9],
  }
  if (p[3] === '') delete out.authorization
  return out
}

/** A field escaped for a record sent with the ESCAPED flag: U+0001 `0` for NUL, U+0001 `1` for U+0001. */
function escapeField(s) {
  return s.replace(/[\u0000\u0001]/g, function(c) { return c === '\u0000' ? '\u00010' : '\u00011' })
}

module.exports = { LAYOUTS, SIGNED_REQUEST_HEADERS, signedRequestFields, escapeField }
