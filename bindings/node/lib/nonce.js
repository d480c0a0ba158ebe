'use strict'
// The opt-in request nonce (`nonce: true` on createSignedFetch and aws4Interceptor): a signed random header
// that makes two identical calls in the same second distinct, so a server's replay protection (which
// refuses the same signature twice) accepts both. Web Crypto: runs in Node, Workers and browsers alike.

// Both constants are the core's (sigv4::NONCE_HEADER, NONCE_BYTES), copied because this file must not need the
// native addon; test/nonce-core.test.js fails when they differ from the addon's.

/** The header the nonce goes in (the same name in every language). */
const NONCE_HEADER = 'X-Request-Nonce'

/** Random bytes a nonce is made of (128 bits). */
const NONCE_BYTES = 16

/** NONCE_BYTES random bytes as lowercase hex digits. */
function newNonce() {
  const bytes = new Uint8Array(NONCE_BYTES)
  globalThis.crypto.getRandomValues(bytes)
  let out = ''
  for (const b of bytes) out += b.toString(16).padStart(2, '0')
  return out
}

module.exports = { NONCE_HEADER, NONCE_BYTES, newNonce }
