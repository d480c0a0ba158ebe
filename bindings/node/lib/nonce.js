'use strict'
// The opt-in request nonce (`nonce: true` on createSignedFetch and aws4Interceptor): a signed random header
// that makes two identical calls in the same second distinct, so a server's replay protection (which
// refuses the same signature twice) accepts both. Web Crypto: runs in Node, Workers and browsers alike.

/** The header the nonce goes in (the same name in every language). */
const NONCE_HEADER = 'X-Request-Nonce'

/** 128 random bits as 32 lowercase hex digits. */
function newNonce() {
  const bytes = new Uint8Array(16)
  globalThis.crypto.getRandomValues(bytes)
  let out = ''
  for (const b of bytes) out += b.toString(16).padStart(2, '0')
  return out
}

module.exports = { NONCE_HEADER, newNonce }
