'use strict'
// Replay stores shared by a fleet: Redis through node-redis (the `redis` package) or ioredis. The core
// decides what a replay is (lib/identity.js `replayKey`, and the end of the request's window
// `replayExpiresAtMs`) and what to do with the store's answer (`replayVerdict`); this file only does
// the one round trip per verification, `SET <prefix><key> 1 NX PX <ms>`, with a timeout.
const { replayVerdict } = require('#native')
const { VerificationError } = require('./verifier')
const { SigV4Error } = require('./errors')

const DEFAULT_PREFIX = 'sigv4:replay:'
const DEFAULT_TIMEOUT_MS = 250

/** The SET command for a node-redis (`sendCommand([...])`) or ioredis (`call(...)`) client. */
function setCommand(client) {
  if (client !== null && typeof client === 'object') {
    // ioredis first: its sendCommand takes a Command object, not an argument array.
    if (typeof client.call === 'function') return (args) => client.call(...args)
    if (typeof client.sendCommand === 'function') return (args) => client.sendCommand(args)
  }
  throw new SigV4Error('InvalidOption', 'client must be a connected node-redis client (createClient from "redis") or an ioredis client', 'client')
}

/**
 * A replay store in Redis, for `sigv4Middleware(verifier, { replayStore })` / `withSigV4`.
 *
 * `client`: a connected node-redis client (`createClient()` from `redis`, v4 or later) or an ioredis
 * client. `prefix` (default `sigv4:replay:`) goes before every key. `timeoutMs` (default 250): a claim
 * not answered by then counts as a store failure. `failOpen` (default false): accept requests when
 * Redis fails or times out instead of refusing them with `ReplayStoreUnavailable` (HTTP 503); each
 * such acceptance is logged (the middleware's `onReplayUnproven(message, req)` hook, else
 * `console.warn`, and the `libsigv4:replay-unproven` diagnostics channel). With node-redis, create the client with `disableOfflineQueue: true` so that commands fail
 * at once while Redis is down instead of waiting for the reconnection.
 */
function createRedisReplayStore(options = {}) {
  const { client, prefix = DEFAULT_PREFIX, timeoutMs = DEFAULT_TIMEOUT_MS, failOpen = false } = options
  const send = setCommand(client)
  if (typeof prefix !== 'string') throw new SigV4Error('InvalidOption', 'prefix must be a string', 'prefix')
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) {
    throw new SigV4Error('InvalidOption', 'timeoutMs must be a number of milliseconds > 0', 'timeoutMs')
  }
  return {
    prefix,
    timeoutMs,
    failOpen: Boolean(failOpen),
    /** Sets `prefix + key` for `ttlMs` unless present: resolves true when set (fresh), false when it was there. */
    claim(key, ttlMs) {
      // One promise settled by whichever comes first, the reply or the timer: fewer promises and
      // microtasks per request than racing a timer promise and chaining finally().
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs)
        Promise.resolve(send(['SET', prefix + key, '1', 'NX', 'PX', String(ttlMs)])).then(
          (reply) => {
            clearTimeout(timer)
            resolve(reply === 'OK' || (Buffer.isBuffer(reply) && reply.toString() === 'OK'))
          },
          (error) => {
            clearTimeout(timer)
            reject(error)
          },
        )
      })
    },
  }
}

/** Epoch milliseconds of a middleware clock's answer (a Date or epoch seconds), or now. */
function millis(now) {
  if (now === undefined) return Date.now()
  if (now instanceof Date) return now.getTime()
  return Number(now) * 1000
}

/**
 * Claims a verified request in `store` (any object with `claim(key, ttlMs) => Promise<boolean>` and
 * an optional `failOpen`) and applies the core's verdict: resolves to accept (with the text to log
 * when accepted unproven), rejects with a `VerificationError` (`RequestReplayed`,
 * `ReplayStoreUnavailable`) to refuse.
 */
async function claimReplay(store, identity, now) {
  const key = identity.replayKey
  if (typeof key !== 'string' || key.length !== 64) {
    throw new SigV4Error('InvalidOption', 'this verifier backend gives no replay key (a shared replay store needs the native addon)', 'replayStore')
  }
  const ttlMs = Math.max(1, identity.replayExpiresAtMs - Math.floor(millis(now)))
  let stored
  let failure
  try {
    stored = Boolean(await store.claim(key, ttlMs))
  } catch (e) {
    // The error's class and message: never a secret (a Redis error names a host at most), but the
    // client sees only the verdict's message, which carries the short reason.
    failure = e && /timed out/i.test(String(e.message)) ? 'timed out' : (e && e.name) || 'error'
  }
  const verdict = replayVerdict(stored, failure, Boolean(store.failOpen))
  if (!verdict.accept) throw new VerificationError(verdict.code, verdict.message)
  return verdict.message === null || verdict.message === undefined ? undefined : verdict.message
}

module.exports = { createRedisReplayStore, claimReplay, DEFAULT_PREFIX, DEFAULT_TIMEOUT_MS }
