'use strict'
// VerifiedIdentity: who signed a verified request, read lazily from the one string the native
// verifier returns (a record of core/src/packed.rs IDENTITY_FIELDS, positions in lib/packed.js LAYOUTS.identity).
// util.inspect's hook, by its registered name: no node:util import (the file runs in Workers and browsers).
const INSPECT = Symbol.for('nodejs.util.inspect.custom')

/**
 * Who signed a verified request: `accessKeyId`, `region`, `service`, `signedHeaders` (array),
 * `amzDate`, `presigned`, `expiresAt` (Date or null), `sessionTokenUsed`, `payloadHash`,
 * `payloadSigned`, `algorithm`, `regionSet` (SigV4a, else null).
 *
 * The native verifier returns one string; the fields are taken from it on first access, so a
 * request whose handler never looks at the identity pays nothing for it. They are getters:
 * `JSON.stringify`, `toJSON()` and `util.inspect` give the plain object; for a plain copy to
 * spread, use `identity.toJSON()`.
 */
class VerifiedIdentity {
  #flat
  #p = null
  #signedHeaders = null
  #expiresAt

  constructor(flat) { this.#flat = flat }

  #parts() { return this.#p === null ? (this.#p = this.#flat.split('\0')) : this.#p }

  /** The access key id that signed. */
  get accessKeyId() {
    // The one field most handlers read: taken without splitting the rest.
    return this.#p === null ? this.#flat.slice(0, this.#flat.indexOf('\0')) : this.#p[0]
  }
  /** The region of the credential scope. */
  get region() { return this.#parts()[1] }
  /** The service of the credential scope. */
  get service() { return this.#parts()[2] }
  /** Signed header names, lowercase, sorted (the same array on every access). */
  get signedHeaders() {
    return this.#signedHeaders === null ? (this.#signedHeaders = this.#parts()[3].split(';')) : this.#signedHeaders
  }
  /** `YYYYMMDDTHHMMSSZ`. */
  get amzDate() { return this.#parts()[4] }
  /** A presigned URL rather than an Authorization header. */
  get presigned() { return this.#parts()[5] === '1' }
  /** For presigned URLs, the last instant they are valid (else null). */
  get expiresAt() {
    if (this.#expiresAt === undefined) {
      const at = this.#parts()[6]
      this.#expiresAt = at === '' ? null : new Date(Number(at) * 1000)
    }
    return this.#expiresAt
  }
  /** Whether a session token was part of the request. */
  get sessionTokenUsed() { return this.#parts()[7] === '1' }
  /** The signed payload line: a body hash, `UNSIGNED-PAYLOAD` or a `STREAMING-*` literal. */
  get payloadHash() { return this.#parts()[8] }
  /** Whether the body is covered by the signature. */
  get payloadSigned() {
    const h = this.#parts()[8]
    return h !== 'UNSIGNED-PAYLOAD' && h !== 'STREAMING-UNSIGNED-PAYLOAD-TRAILER'
  }
  /** `AWS4-HMAC-SHA256` or `AWS4-ECDSA-P256-SHA256`. */
  get algorithm() { return this.#parts()[9] }
  /** SigV4a: the signed region set (else null). */
  get regionSet() {
    const s = this.#parts()[10]
    return s === '' ? null : s
  }

  /** The key a shared replay store remembers this request under (64 hex digits, before any prefix). */
  get replayKey() { return this.#parts()[11] }
  /** Epoch milliseconds from which a replay store may forget `replayKey` (the end of the request's window). */
  get replayExpiresAtMs() { return Number(this.#parts()[12]) }

  /** A plain copy of every field. */
  toJSON() {
    return {
      accessKeyId: this.accessKeyId,
      region: this.region,
      service: this.service,
      signedHeaders: [...this.signedHeaders],
      amzDate: this.amzDate,
      presigned: this.presigned,
      expiresAt: this.expiresAt === null ? null : new Date(this.expiresAt.getTime()),
      sessionTokenUsed: this.sessionTokenUsed,
      payloadHash: this.payloadHash,
      payloadSigned: this.payloadSigned,
      algorithm: this.algorithm,
      regionSet: this.regionSet,
    }
  }

  [INSPECT](depth, options, inspect) {
    return `VerifiedIdentity ${inspect(this.toJSON(), options)}`
  }
}

module.exports = { VerifiedIdentity }
