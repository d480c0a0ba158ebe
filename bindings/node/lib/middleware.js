'use strict'
// HTTP middleware: only correctly SigV4-signed requests reach the handler. Works as an
// Express/Connect-style `(req, res, next)` function and as a wrapper of a plain node:http handler.
const { Verifier, VerificationError, VERIFY_RAW, packRequest } = require('./verifier')
const { SigV4Error } = require('./errors')
const { trustedProxies, forwarded } = require('./forwarded')
const diagnostics = require('node:diagnostics_channel')

/** Every refused request is published here as `{ error, req }` (for tracing/metrics subscribers). */
const deniedChannel = diagnostics.channel('libsigv4:denied')
const unprovenChannel = diagnostics.channel('libsigv4:replay-unproven')
const { claimReplay } = require('./replay-store')

/** Largest body read into memory to verify (bytes); larger requests get 413. */
const DEFAULT_MAX_BODY = 16 * 1024 * 1024
const EMPTY = Buffer.alloc(0)
/** The middleware's request path with a node:http handler in place of `next` (withSigV4). */
const RUN = Symbol('libsigv4.run')
const BODY_ALREADY_READ = 'sigv4Middleware: a body parser consumed the request body before it could be verified. ' +
  'Put app.use(sigv4Middleware(verifier)) before express.json()/urlencoded()/text(), or keep the raw bytes: ' +
  'express.json({ verify: (req, res, buf) => { req.rawBody = buf } }) (express.raw() works as it is)'

/** Sends an AWS-style JSON error: `{"__type": code, "message": ...}` with `x-amzn-ErrorType`. */
function sendError(res, status, code, message, extra) {
  const body = JSON.stringify({ __type: code, message, ...extra })
  const headers = {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(body),
    'x-amzn-ErrorType': code,
  }
  if (status === 413) headers.Connection = 'close'
  res.writeHead(status, headers)
  res.end(body)
}

/** Sends the core's answer to a failed verification (status and body are the same in every language). */
function sendAnswer(res, code, answer) {
  res.writeHead(answer.status, {
    'Content-Type': answer.contentType,
    'Content-Length': Buffer.byteLength(answer.body),
    'x-amzn-ErrorType': code,
  })
  res.end(answer.body)
}

/**
 * Express/Connect-style middleware `(req, res, next)` that verifies each request with `verifier`.
 *
 * The body (at most `maxBody` bytes, default 16 MiB) is read to check its hash; the request is
 * verified against the raw target (`req.originalUrl` under Express, else `req.url`) and `req.rawHeaders` (exactly what the client sent). On
 * success `req.sigv4` holds the identity, `req.rawBody` the body (a Buffer), and `req.body` is set
 * to that Buffer when nothing set it before (with `req._body = true`, so body-parser/express.json
 * placed after it skip: the stream is consumed; parse `req.rawBody` yourself, e.g.
 * `JSON.parse(req.rawBody)`). Placed after a body parser it verifies the bytes the parser kept
 * (`req.rawBody` from a `verify` hook, or the Buffer `express.raw()` leaves in `req.body`); when the
 * parser kept none it answers 500 at once with a message naming the fix (never waits for a body that
 * was already read). On failure the handler is not called: 403 (400 for a request that is
 * not valid HTTP, 413 over `maxBody`) with `{"__type": code, "message": ...}` and `x-amzn-ErrorType`.
 *
 * Options: `maxBody`; `clock` (a function returning a `Date` or epoch seconds; default the system
 * clock); `explainMismatch` (add the server's `canonicalRequest` and `stringToSign` to
 * `SignatureDoesNotMatch` answers, as S3 does — helps clients, reveals nothing secret).
 * `onDenied(error, req)`: called for every refused request (the `VerificationError` carries the code,
 * message and, for a mismatch, the server's canonical request; never a secret); refusals are also published
 * on the `diagnostics_channel` `libsigv4:denied` as `{ error, req }`.
 * `trustedProxies`: an array of addresses / CIDR blocks (`['10.0.0.0/8']`) whose `X-Forwarded-Host` /
 * `X-Forwarded-Prefix` describe what the client signed (the host it signed for, the path prefix the proxy
 * removed); from any other peer (`req.socket.remoteAddress`) these headers are ignored.
 * `coalesce` (default true): the requests that arrive in one event-loop turn are verified back to back
 * once that turn's I/O is read (`setImmediate`), then handed on in arrival order; under load the
 * verifier's code and keys stay in the CPU caches between them (measured in bench/node/bench-middleware.js:
 * the server's verification cost per request about halves). An idle server answers one event-loop phase
 * later. `false`: each request is verified as it arrives, inside the server's `'request'` event.
 * Errors other than verification failures (a throwing credential lookup) go to `next(err)`.
 */
function sigv4Middleware(verifier, options = {}) {
  if (!(verifier instanceof Verifier)) {
    throw new SigV4Error('InvalidOption', 'sigv4Middleware needs a Verifier', 'verifier')
  }
  const maxBody = options.maxBody === undefined ? DEFAULT_MAX_BODY : options.maxBody
  if (!Number.isInteger(maxBody) || maxBody < 0) {
    throw new SigV4Error('InvalidOption', 'maxBody must be a non-negative integer number of bytes', 'maxBody')
  }
  const clock = options.clock
  const explain = Boolean(options.explainMismatch)
  const coalesce = options.coalesce === undefined ? true : options.coalesce
  if (typeof coalesce !== 'boolean') {
    throw new SigV4Error('InvalidOption', 'coalesce must be true or false', 'coalesce')
  }
  const onDenied = options.onDenied
  // Behind a reverse proxy: whose X-Forwarded-Host/-Prefix describe what the client signed (lib/forwarded.js).
  const trusted = trustedProxies(options.trustedProxies)
  if (onDenied !== undefined && typeof onDenied !== 'function') {
    throw new SigV4Error('InvalidOption', 'onDenied must be a function (error, req) => void', 'onDenied')
  }

  // A shared replay store (lib/replay-store.js): claimed after the native verification.
  const replayStore = options.replayStore
  if (replayStore !== undefined && (replayStore === null || typeof replayStore.claim !== 'function')) {
    throw new SigV4Error('InvalidOption', 'replayStore must have claim(key, ttlMs) => Promise<boolean> (createRedisReplayStore)', 'replayStore')
  }
  const onReplayUnproven = options.onReplayUnproven
  function unproven(message, req) {
    if (unprovenChannel.hasSubscribers) unprovenChannel.publish({ message, req })
    if (typeof onReplayUnproven === 'function') {
      try { onReplayUnproven(message, req) } catch { /* ignored, as onDenied */ }
    } else {
      console.warn(`libsigv4: ${req.method} ${req.url}: ${message}`)
    }
  }

  /** Tells the operator: the `onDenied` hook and the diagnostics channel (a throwing hook is ignored). */
  function denied(error, req) {
    if (deniedChannel.hasSubscribers) deniedChannel.publish({ error, req })
    if (onDenied === undefined) return
    try { onDenied(error, req) } catch { /* a broken hook must not turn a 403 into a crash */ }
  }

  // Per request: `handler` is the node:http handler of withSigV4 (undefined for the Express-style
  // middleware, which calls `next`): on success it runs directly, without a `next` closure per request.

  /** A verification failure answers with the core's status and body; any other error goes on. */
  function refuse(e, req, res, next, handler) {
    if (!(e instanceof VerificationError)) return failed(e, res, next, handler)
    denied(e, req)
    sendAnswer(res, e.code, e.answer({ explain }))
  }

  function accept(req, res, next, handler, who, body) {
    req.sigv4 = who
    req.rawBody = body
    if (req.body === undefined) {
      req.body = body
      req._body = true
    }
    if (handler === undefined) next()
    else handler(req, res)
  }

  /** Verified: accept, after the shared replay store's claim when there is one. */
  function verified(req, res, next, handler, who, body) {
    if (replayStore === undefined) return accept(req, res, next, handler, who, body)
    claimReplay(replayStore, who, clock === undefined ? undefined : clock()).then((message) => {
      if (message !== undefined) unproven(message, req)
      accept(req, res, next, handler, who, body)
    }, (e) => refuse(e, req, res, next, handler))
  }

  /** Verifies the request `packed` (lib/verifier.js packRequest, `count` header pairs) with its body. */
  function withBody(req, res, next, handler, packed, count, body) {
    let who
    try {
      who = verifier[VERIFY_RAW](packed, count, body, clock === undefined ? undefined : clock())
    } catch (e) {
      return refuse(e, req, res, next, handler)
    }
    verified(req, res, next, handler, who, body)
  }

  /** Reads the body (at most maxBody bytes, else 413), then verifies. */
  function readBody(req, res, next, handler, packed, count) {
    const chunks = []
    let size = 0
    let over = false
    req.on('data', (chunk) => {
      if (over) return
      size += chunk.length
      if (size > maxBody) {
        over = true
        chunks.length = 0
        sendError(res, 413, 'RequestEntityTooLarge', `the request body is larger than ${maxBody} bytes`)
        req.resume()
        return
      }
      chunks.push(chunk)
    })
    req.on('end', () => {
      if (over) return
      withBody(req, res, next, handler, packed, count, chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size))
    })
    req.on('error', (e) => { if (!over) failed(e, res, next, handler) })
  }

  function run(req, res, next, handler) {
    const raw = req.rawHeaders
    // The target exactly as received (Express: before any mount point cut it), absolute-form
    // included: the core refuses one that is not origin-form (node:http hands an absolute-form
    // target, meant for proxies, to the handler as req.url: a URL, not the path that was signed).
    const url = req.originalUrl === undefined ? req.url : req.originalUrl
    let packed
    let count
    let who
    try {
      if ((raw.length & 1) !== 0) throw new VerificationError('InvalidHeaderName', 'the header list is not name, value pairs', 'headers')
      if (trusted === undefined) {
        packed = packRequest(req.method, url, raw)
        count = raw.length >> 1
      } else {
        const fwd = forwarded(trusted, req, url, raw)
        packed = packRequest(req.method, fwd.url, fwd.raw)
        count = fwd.raw.length >> 1
      }
      // No body yet: the core verifies a request whose headers announce none (RFC 9112 6.3) at once,
      // else answers with the announced length (-1: unknown) and the body is read first.
      who = verifier[VERIFY_RAW](packed, count, undefined, clock === undefined ? undefined : clock())
    } catch (e) {
      return refuse(e, req, res, next, handler)
    }
    if (typeof who !== 'number') return verified(req, res, next, handler, who, EMPTY)
    if (req._body === true || req.readableEnded) {
      // A body parser (express.json, .urlencoded, .text, .raw) ran first: the stream is consumed and
      // 'end' will never come again. Verify the bytes it kept, or answer now rather than hang.
      const kept = Buffer.isBuffer(req.rawBody) ? req.rawBody : Buffer.isBuffer(req.body) ? req.body : undefined
      if (kept !== undefined) return withBody(req, res, next, handler, packed, count, kept)
      return sendError(res, 500, 'InternalFailure', BODY_ALREADY_READ)
    }
    if (who > maxBody) {
      return sendError(res, 413, 'RequestEntityTooLarge', `the request body is larger than ${maxBody} bytes`)
    }
    readBody(req, res, next, handler, packed, count)
  }

  const start = coalesce ? turnQueue(run) : run
  const middleware = function sigv4(req, res, next) { start(req, res, next, undefined) }
  middleware[RUN] = start
  return middleware
}

/**
 * `run(req, res, next, handler)` deferred to the end of the current event-loop turn (`setImmediate`):
 * every request queued in one turn then runs back to back, in arrival order. A throwing handler
 * surfaces as an uncaught exception, as it would from the `'request'` event; the requests queued after it
 * still run (in the next check phase).
 */
function turnQueue(run) {
  let queue = []
  function flush() {
    const batch = queue
    queue = []
    for (let i = 0; i < batch.length; i += 4) {
      try {
        run(batch[i], batch[i + 1], batch[i + 2], batch[i + 3])
      } catch (e) {
        const rest = batch.slice(i + 4)
        if (rest.length > 0) {
          if (queue.length === 0) setImmediate(flush)
          queue = rest.concat(queue)
        }
        throw e
      }
    }
  }
  return function queued(req, res, next, handler) {
    if (queue.length === 0) setImmediate(flush)
    queue.push(req, res, next, handler)
  }
}

/** An unexpected error (a throwing credential lookup, a stream error): Express gets it through
 * `next(err)`; withSigV4 answers 500 (or drops the connection when the answer has started). */
function failed(e, res, next, handler) {
  if (handler === undefined) return next(e)
  if (!res.headersSent) sendError(res, 500, 'InternalFailure', 'the request could not be verified')
  else res.destroy(e)
}

/**
 * Wraps a plain `node:http` handler `(req, res)`: it runs only for verified requests (with
 * `req.sigv4` and `req.rawBody` set, see `sigv4Middleware`). An unexpected error answers 500.
 *
 * ```js
 * http.createServer(withSigV4(verifier, (req, res) => res.end(req.sigv4.accessKeyId)))
 * ```
 */
function withSigV4(verifier, handler, options) {
  const run = sigv4Middleware(verifier, options)[RUN]
  return function verified(req, res) { run(req, res, undefined, handler) }
}

module.exports = { sigv4Middleware, withSigV4, sendError, DEFAULT_MAX_BODY }
