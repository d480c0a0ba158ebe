'use strict'
// Verifier: checks SigV4 (and, when allowed, SigV4a) signatures of incoming requests with the
// core's verifier, one native call per request.
// util.inspect's hook, by its registered name: no node:util import (the file runs in Workers and browsers).
const INSPECT = Symbol.for('nodejs.util.inspect.custom')
const { redactText } = require('./redact')
const { Transform } = require('#node-stream')
const { NativeVerifier, verifyPacked, errorAnswer } = require('#native')
const { headerList } = require('./headers')
const { VerifiedIdentity } = require('./identity')
const { SigV4Error } = require('./errors')
const { verifyMany } = require('./verify-many')

/** Codes a verification ends with (AWS's, plus the malformed-request ones); statuses are the core's. */
const VERIFICATION_CODES = new Set([
  'MissingAuthenticationToken', 'IncompleteSignature', 'AuthorizationHeaderMalformed',
  'AuthorizationQueryParametersError', 'InvalidAccessKeyId', 'InvalidToken', 'RequestTimeTooSkewed',
  'RequestExpired', 'SignatureDoesNotMatch', 'UnsignedHeader', 'XAmzContentSHA256Mismatch',
  'RequestReplayed', 'InvalidUrl', 'InvalidHeaderName', 'InvalidHeaderValue', 'InvalidPayloadHash', 'InvalidMethod',
  'InvalidUtf8', 'InvalidChunk', 'ReplayStoreUnavailable',
])

/**
 * A request that failed verification. `code` is AWS's (`SignatureDoesNotMatch`, `RequestExpired`,
 * ...) or, for a request that is not valid HTTP, the input code (`InvalidUrl`, `InvalidHeaderValue`,
 * ...; `isMalformed` is then true). For `SignatureDoesNotMatch`, `canonicalRequest` and
 * `stringToSign` are what the server computed: compare them with the client's. The message says
 * what to fix and never contains a secret.
 */
class VerificationError extends SigV4Error {
  constructor(code, message, argument, canonicalRequest, stringToSign) {
    super(code, message, argument)
    this.name = 'VerificationError'
    if (canonicalRequest !== undefined) this.canonicalRequest = canonicalRequest
    if (stringToSign !== undefined) this.stringToSign = stringToSign
  }

  /** True when the request is not valid HTTP (a bad URL, header, hash or chunk), not an auth failure. */
  get isMalformed() { return this.status === 400 }

  /** The HTTP status to answer with, from the core's table (400 for malformed requests, 403 otherwise). */
  get status() { return errorAnswer(this.code, '').status }

  /**
   * The core's answer to this failure, `{status, contentType, body}`: JSON as API Gateway answers, or XML
   * as S3 answers with `xml`; with `explain`, a mismatch carries the server's canonical request and string
   * to sign (as S3 does: nothing in them is secret, the client sent every byte).
   */
  answer({ xml = false, explain = false } = {}) {
    const cr = explain && this.canonicalRequest !== undefined ? this.canonicalRequest : undefined
    return errorAnswer(this.code, this.message, cr, cr === undefined ? undefined : this.stringToSign, xml)
  }

  /** Shown with a session token in the canonical request redacted. */
  [INSPECT](depth, options, inspect) {
    const shown = { code: this.code, message: this.message }
    if (this.argument !== undefined) shown.argument = this.argument
    if (this.canonicalRequest !== undefined) {
      shown.canonicalRequest = redactText(this.canonicalRequest)
      shown.stringToSign = this.stringToSign
    }
    return `${this.stack.split('\n')[0]} ${inspect(shown, options)}`
  }

  /** What JSON.stringify writes: the session token in the canonical request redacted. */
  toJSON() {
    const out = { name: this.name, code: this.code, message: this.message }
    if (this.argument !== undefined) out.argument = this.argument
    if (this.canonicalRequest !== undefined) out.canonicalRequest = redactText(this.canonicalRequest)
    if (this.stringToSign !== undefined) out.stringToSign = this.stringToSign
    return out
  }
}

/** Turns a native error into a VerificationError (same object, stack kept); others pass through. */
function adopt(e) {
  if (e instanceof Error && typeof e.code === 'string' && VERIFICATION_CODES.has(e.code) && !(e instanceof VerificationError)) {
    Object.setPrototypeOf(e, VerificationError.prototype)
    e.name = 'VerificationError'
  } else if (e instanceof Error && typeof e.code === 'string' && !(e instanceof SigV4Error) && e.constructor === Error && 'argument' in e) {
    Object.setPrototypeOf(e, SigV4Error.prototype)
    e.name = 'SigV4Error'
  }
  return e
}

/** Internal: verification of an IncomingMessage's parts (the middleware's fast path). */
const VERIFY_RAW = Symbol('libsigv4.verifyRaw')

/**
 * Internal: `method`, the raw request target `url` and Node's flat `rawHeaders` as one record for
 * `[VERIFY_RAW]` (lib/packed.js LAYOUTS.verifyRequest, then the header pairs).
 */
function packRequest(method, url, rawHeaders) {
  return method + '\0' + url + '\0' + rawHeaders.join('\0')
}

/** The identity of the native NUL-separated fields (src/verifier.rs `identity_flat`), lazily read. */
function identity(flat) {
  return new VerifiedIdentity(flat)
}

function badRequest() {
  return new SigV4Error('InvalidUrl', 'request must be an object {method, url, headers, body}', 'request')
}

/**
 * Checks SigV4 signatures (an `Authorization` header or a presigned URL) of incoming requests for
 * one service and a set of regions. Build one at startup and share it; derived keys are cached.
 *
 * Options: `credentials` (an object `{AKID: 'SECRET' | {secretAccessKey, sessionToken}}`, copied
 * once, or a synchronous function `akid => secret | {secretAccessKey, sessionToken} | undefined`),
 * `region` or `regions`, `service`, `maxSkew` (seconds, default 900), `maxExpires` (default 604800),
 * `mustSignHeaders`, `allowUnsignedPayload` (default: true for S3 only), `allowSigv4a`,
 * `replayCache` (`true` or a capacity: each verified signature is accepted once), `signingKeys`
 * (instead of `credentials`: `(akid, date, region, service) => derived key`, no secret held), and how clients
 * signed: `uriEncoding`, `normalizePath`, `signSessionToken` (service defaults).
 */
class Verifier {
  #native
  #handle
  #lookup

  constructor(options) {
    if (options === null || typeof options !== 'object') {
      throw new SigV4Error('InvalidOption', 'Verifier needs an options object {credentials, region, service}', 'options')
    }
    try {
      this.#native = new NativeVerifier(options)
    } catch (e) {
      throw adopt(e)
    }
    this.#handle = this.#native.handle()
    // The per-call function the native lookup asks: a `signingKeys` function (derived keys) or a
    // `credentials` function (secrets); the native side knows which of the two it was built with.
    this.#lookup = typeof options.signingKeys === 'function'
      ? options.signingKeys
      : typeof options.credentials === 'function' ? options.credentials : undefined
  }

  /**
   * Verifies `{method, url, headers, body, payloadHash}` at `now` (a `Date`, epoch seconds or
   * `YYYYMMDDTHHMMSSZ`; default the system clock). `url` is the URL as the client sent it: absolute,
   * or the raw request target (`req.url`) with a `Host` header. `headers`: an object, `[name, value]`
   * pairs, a flat list (`req.rawHeaders`) or a `Headers` instance. Returns the identity
   * `{accessKeyId, region, service, signedHeaders, amzDate, presigned, expiresAt, sessionTokenUsed,
   * payloadHash, payloadSigned, algorithm, regionSet}`, or throws a `VerificationError`.
   */
  verify(request, options) {
    if (request === null || typeof request !== 'object') throw badRequest()
    const headers = headerList(request.headers)
    const now = options === undefined || options === null ? undefined : options.now
    try {
      return identity(this.#native.verify(request.method, request.url, headers, request.body, request.payloadHash, now, this.#lookup))
    } catch (e) {
      throw adopt(e)
    }
  }

  /**
   * Verifies a request packed by `packRequest` with `count` header pairs and `body`, through the
   * verifier's handle (see `verifyPacked` in src/verifier.rs). With `body` undefined (not read yet) the
   * answer is a number instead when the headers announce a body (the announced Content-Length, -1 when
   * unknown): read it and call again. The core refuses a target that is not origin-form (InvalidUrl).
   */
  [VERIFY_RAW](packed, count, body, now) {
    let flat
    try {
      flat = verifyPacked(this.#handle, packed, count, body, now, this.#lookup)
    } catch (e) {
      throw adopt(e)
    }
    return typeof flat === 'number' ? flat : new VerifiedIdentity(flat)
  }

  /**
   * Verifies the headers of a streaming (aws-chunked) upload, `{method, url, headers}`, and returns
   * `{identity, decodedLength, feed(bytes) -> Buffer, finish() -> trailers, transform()}`: feed the
   * wire body; only data whose chunk signature checked out comes back. The upload is valid only
   * when `finish()` returns (final chunk, length and declared trailers checked).
   */
  verifyStreaming(request, options) {
    if (request === null || typeof request !== 'object') throw badRequest()
    const headers = headerList(request.headers)
    const now = options === undefined || options === null ? undefined : options.now
    let stream
    try {
      stream = this.#native.verifyStreaming(request.method, request.url, headers, now, this.#lookup)
    } catch (e) {
      throw adopt(e)
    }
    return new VerifiedStream(stream)
  }

  /**
   * Verifies many requests, spread over the cores (lib/verify-many.js): pool threads verify while the
   * event loop copies requests and builds results, in slices of at most one chunk (128 requests)
   * between which it returns to its I/O and timers. Resolves to one result per request, in order: a
   * `VerifiedIdentity`, or the `VerificationError` (or `SigV4Error` for an entry that is not a
   * request) — returned, not thrown. Options: `now` (for entries without their own `now`), `threads`
   * (default: every core; it counts the event loop, which also verifies a chunk whenever the pool falls
   * behind; `threads: 1` verifies on one pool thread only). With the replay cache on, requests are
   * recorded in the array's order: a signed request repeated later in the batch is `RequestReplayed`.
   */
  verifyMany(requests, options) {
    return verifyMany(this, this.#handle, this.#lookup, requests, options, { adopt, VerificationError })
  }

  /** The accepted regions. */
  get regions() { return this.#native.regions }
  /** The accepted service. */
  get service() { return this.#native.service }
  /** How many signatures the replay cache holds (0 when off). */
  get replayCacheLength() { return this.#native.replayCacheLen }

  [INSPECT](depth, options, inspect) {
    const [skew, expires, replay] = this.#native.limits
    return `Verifier { regions: ${inspect(this.regions)}, service: '${this.service}', maxSkew: ${skew}, maxExpires: ${expires}, replayCache: ${replay || false}, credentials: '** redacted **' }`
  }

  toJSON() {
    return { regions: this.regions, service: this.service }
  }
}

/** A streaming upload whose headers verified (from `Verifier.verifyStreaming`). */
class VerifiedStream {
  #native
  constructor(native) {
    this.#native = native
    /** Who signed the request. */
    this.identity = identity(native.identity)
    /** `x-amz-decoded-content-length`. */
    this.decodedLength = native.decodedLength
  }

  /** Feeds wire bytes; returns the verified data so far (throws `VerificationError` InvalidChunk). */
  feed(bytes) {
    try { return this.#native.feed(bytes) } catch (e) { throw adopt(e) }
  }

  /** Ends the body; returns the verified trailers as an object (throws when truncated). */
  finish() {
    try { return Object.fromEntries(this.#native.finish()) } catch (e) { throw adopt(e) }
  }

  /**
   * A web `TransformStream` (Workers, browsers, Deno, Bun, Node): aws-chunked wire bytes in,
   * verified data out; errors on any bad chunk; the trailers are on `trailers` once it closes.
   */
  transformStream() {
    const self = this
    return new TransformStream({
      transform(chunk, controller) {
        const out = self.feed(chunk)
        if (out.length) controller.enqueue(out)
      },
      flush() { self.trailers = self.finish() },
    })
  }

  /** A Transform: aws-chunked wire bytes in, verified data out; fails on any bad chunk. */
  transform() {
    const self = this
    return new Transform({
      transform(chunk, _enc, done) {
        let out
        try { out = self.feed(chunk) } catch (e) { return done(e) }
        done(null, out.length ? out : undefined)
      },
      flush(done) {
        try { self.trailers = self.finish() } catch (e) { return done(e) }
        done()
      },
    })
  }
}

module.exports = { Verifier, VerificationError, VerifiedStream, VerifiedIdentity, adopt, identity, VERIFY_RAW, packRequest }
