'use strict'
// util.inspect's hook, by its registered name: no node:util import (the file runs in Workers and browsers).
const INSPECT = Symbol.for('nodejs.util.inspect.custom')
const { NativeSigner, signWith } = require('#native')
const { SigV4Error } = require('./errors')
const { StreamingUpload } = require('./streaming')
const { signedRequestFields } = require('./packed')
const { headerList } = require('./headers')

/** Credentials are refreshed when they expire within this many milliseconds. */
const REFRESH_BEFORE_MS = 5 * 60 * 1000

const REDACTED = '** redacted **'

/** Copies `text` with every occurrence of `secret` (raw and URL-encoded) redacted. */
function redact(text, secret) {
  if (typeof text !== 'string' || !secret) return text
  return text.split(secret).join(REDACTED).split(encodeURIComponent(secret)).join(REDACTED)
}

/**
 * A signed request: `method`, `url`, `headers` (a plain object: everything to send), `signature`,
 * `authorization` (absent when presigned), `amzDate`, `credentialScope`, `signedHeaders`,
 * `canonicalRequest`, `stringToSign`, `payloadHash`.
 *
 * The native signer returns one record (core/src/packed.rs); the fields are taken from it on first access (signing
 * stays one native call and builds no object nobody reads). They are getters: `JSON.stringify`,
 * `toJSON()` and `util.inspect` give the plain object; for a plain copy to spread, use
 * `signed.toJSON()`. `util.inspect` redacts a session token.
 */
class SignedRequest {
  #flat
  #o = null

  constructor(flat) { this.#flat = flat }

  #fields() { return this.#o === null ? (this.#o = signedRequestFields(this.#flat)) : this.#o }

  /** HTTP method. */
  get method() { return this.#fields().method }
  /** URL to send (with the X-Amz-* parameters when presigned). */
  get url() { return this.#fields().url }
  /** Every header to send (a plain object; the same object on every access). */
  get headers() { return this.#fields().headers }
  /** 64 lowercase hex digits (SigV4a: DER hex). */
  get signature() { return this.#fields().signature }
  /** The Authorization header value (undefined when presigned). */
  get authorization() { return this.#fields().authorization }
  /** Signing time, YYYYMMDDTHHMMSSZ. */
  get amzDate() { return this.#fields().amzDate }
  /** date/region/service/aws4_request. */
  get credentialScope() { return this.#fields().credentialScope }
  /** Signed header names, ';'-separated. */
  get signedHeaders() { return this.#fields().signedHeaders }
  /** The canonical request (compare with AWS's on SignatureDoesNotMatch). */
  get canonicalRequest() { return this.#fields().canonicalRequest }
  /** The string to sign. */
  get stringToSign() { return this.#fields().stringToSign }
  /** The payload hash used (hex SHA-256 or a sentinel such as UNSIGNED-PAYLOAD). */
  get payloadHash() { return this.#fields().payloadHash }

  /** A plain copy of every field (`headers` copied too). */
  toJSON() {
    const o = this.#fields()
    return { ...o, headers: { ...o.headers } }
  }

  [INSPECT](depth, options, inspect) {
    const o = this.toJSON()
    const token = o.headers['X-Amz-Security-Token'] || o.headers['x-amz-security-token']
    const fromUrl = /[?&]X-Amz-Security-Token=([^&]*)/.exec(o.url || '')
    const secret = token || (fromUrl && decodeURIComponent(fromUrl[1]))
    if (secret) {
      for (const key of Object.keys(o)) {
        if (key === 'headers') {
          for (const n of Object.keys(o.headers)) o.headers[n] = n.toLowerCase() === 'x-amz-security-token' ? REDACTED : redact(o.headers[n], secret)
        } else o[key] = redact(o[key], secret)
      }
    }
    return `SignedRequest ${inspect(o, options)}`
  }
}

function badRequest() {
  return new SigV4Error('InvalidUrl', 'request must be an object {method, url, headers, body}', 'request')
}

function fromEnv() {
  const env = typeof process === 'object' && process !== null && process.env ? process.env : {}
  const accessKeyId = env.AWS_ACCESS_KEY_ID || env.AWS_ACCESS_KEY
  const secretAccessKey = env.AWS_SECRET_ACCESS_KEY || env.AWS_SECRET_KEY
  if (!accessKeyId || !secretAccessKey) {
    throw new SigV4Error('InvalidCredentials', 'no credentials given and AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY are not set', 'credentials')
  }
  const c = { accessKeyId, secretAccessKey }
  if (env.AWS_SESSION_TOKEN) c.sessionToken = env.AWS_SESSION_TOKEN
  return c
}

/**
 * Signs requests for one region and service. Credentials are an object, or an async provider
 * (`() => Promise<{accessKeyId, secretAccessKey, sessionToken?, expiration?}>`, the shape of
 * `@aws-sdk/credential-providers`), asked again shortly before they expire; without
 * `credentials`, the standard environment variables are read.
 */
class Signer {
  #native
  /** `signHandle()` of the current credentials (null until there are some): `signWith` on it
   * skips the cost of a class method call. */
  #handle = null
  #provider
  #pending = null

  constructor(options) {
    if (options === null || typeof options !== 'object') {
      throw new SigV4Error('InvalidOption', 'Signer needs an options object {credentials, region, service}', 'options')
    }
    let opts = options
    if (options.credentials === undefined || options.credentials === null) opts = { ...options, credentials: fromEnv() }
    this.#native = new NativeSigner(opts)
    if (typeof opts.credentials === 'function') this.#provider = opts.credentials
    else this.#handle = this.#native.signHandle()
  }

  /** The region. */
  get region() { return this.#native.region }
  /** The service. */
  get service() { return this.#native.service }

  #stale() {
    if (!this.#native.hasCredentials) return 2
    const exp = this.#native.credentialsExpireAt
    if (exp === null || exp === undefined) return 0
    const left = exp * 1000 - Date.now()
    return left <= 0 ? 2 : left <= REFRESH_BEFORE_MS ? 1 : 0
  }

  /** Loads (or refreshes) provider credentials when they are missing or about to expire. */
  async refreshCredentials(force = false) {
    if (this.#provider === undefined) return
    if (!force && this.#stale() === 0) return
    if (this.#pending === null) {
      this.#pending = (async () => {
        try {
          const creds = await this.#provider()
          if (creds === null || typeof creds !== 'object') {
            throw new SigV4Error('InvalidCredentials', 'the credential provider returned no credentials', 'credentials')
          }
          this.#native.setCredentials(creds)
          this.#handle = this.#native.signHandle()
        } finally {
          this.#pending = null
        }
      })()
    }
    return this.#pending
  }

  #sync() {
    const state = this.#stale()
    if (state === 2) {
      throw new SigV4Error('InvalidCredentials', 'credentials from the provider are not loaded or have expired: use signAsync/presignAsync, or await refreshCredentials() first', 'credentials')
    }
    if (state === 1) this.refreshCredentials().catch(() => {})
  }

  #result(flat) {
    return new SignedRequest(flat)
  }

  /** Signs `{method, url, headers, body, payloadHash, timestamp}` with an `Authorization` header. */
  sign(request) {
    if (this.#provider !== undefined) this.#sync()
    if (request === null || typeof request !== 'object') throw badRequest()
    const headers = headerList(request.headers)
    const h = this.#handle
    return this.#result(h === null
      ? this.#native.sign(request.method, request.url, headers, request.body, request.payloadHash, request.timestamp)
      : signWith(h, request.method, request.url, headers, request.body, request.payloadHash, request.timestamp))
  }

  /** Presigns (signature in the URL) for `{expiresIn}` seconds (default 3600, at most 604800). */
  presign(request, options) {
    if (this.#provider !== undefined) this.#sync()
    if (request === null || typeof request !== 'object') throw badRequest()
    const headers = headerList(request.headers)
    return this.#result(this.#native.presign(request.method, request.url, headers, request.body, request.payloadHash, request.timestamp, options))
  }

  /**
   * Signs a streaming (aws-chunked) upload: `{method, url, headers, decodedLength, chunkSize,
   * trailers, payload, timestamp}` (`chunkSize` default 65536; `trailers` the names to declare,
   * e.g. `['x-amz-checksum-crc32']`; `payload` default `streaming-signed`, or
   * `streaming-signed-trailer` / `streaming-unsigned-trailer`). Returns a `StreamingUpload` with
   * `headers`, `url`, `seedSignature`, `transform()` and `encode(source)`.
   */
  signStreaming(request) {
    if (this.#provider !== undefined) this.#sync()
    if (request === null || typeof request !== 'object') throw badRequest()
    const headers = headerList(request.headers)
    let payload = request.payload
    if (payload === undefined && request.trailers !== undefined && request.trailers !== null && request.trailers.length > 0) payload = 'streaming-signed-trailer'
    const native = this.#native.signStreaming(request.method, request.url, headers, request.decodedLength, request.chunkSize, request.trailers, request.timestamp, payload)
    return new StreamingUpload(native, this.#result(native.request))
  }

  /** Like `signStreaming`, loading provider credentials first. */
  async signStreamingAsync(request) {
    await this.refreshCredentials()
    return this.signStreaming(request)
  }

  /** The signature algorithm: `sigv4` or `sigv4a`. */
  get algorithm() { return this.#native.algorithm }

  /** Like `sign`, loading provider credentials first and hashing the body off the event loop. */
  async signAsync(request) {
    await this.refreshCredentials()
    if (request === null || typeof request !== 'object') throw badRequest()
    const headers = headerList(request.headers)
    return this.#result(await this.#native.signAsync(request.method, request.url, headers, request.body, request.payloadHash, request.timestamp))
  }

  /** Like `presign`, loading provider credentials first, off the event loop. */
  async presignAsync(request, options) {
    await this.refreshCredentials()
    if (request === null || typeof request !== 'object') throw badRequest()
    const headers = headerList(request.headers)
    return this.#result(await this.#native.presignAsync(request.method, request.url, headers, request.body, request.payloadHash, request.timestamp, options))
  }

  [INSPECT]() {
    const akid = this.#native.accessKeyId
    return `Signer { region: '${this.region}', service: '${this.service}', accessKeyId: ${akid ? `'${akid}'` : 'null'}, secretAccessKey: '${REDACTED}' }`
  }

  toJSON() {
    return { region: this.region, service: this.service, accessKeyId: this.#native.accessKeyId }
  }
}

module.exports = { Signer, SignedRequest, REFRESH_BEFORE_MS }
