'use strict'
// Verifier#verifyMany: the requests go to the native side in chunks; each chunk is checked on libuv's
// thread pool (an AsyncTask) while the event loop copies the next ones, then finished in order on the
// event loop (replay cache, results). One result per request, in order: a VerifiedIdentity or the
// error (returned, not thrown).
const native = require('#native')
const { VerifiedIdentity } = require('./identity')
const { SigV4Error } = require('./errors')
const { headerList } = require('./headers')

function notARequest() {
  return new SigV4Error('InvalidOption', 'each request must be an object {method, url, headers, body, payloadHash, now}', 'requests')
}

function threadCount(options) {
  const threads = options === undefined || options === null ? undefined : options.threads
  if (threads === undefined || threads === null) return 0
  if (!Number.isInteger(threads) || threads < 1 || threads > 1024) {
    throw new SigV4Error('InvalidOption', 'threads must be an integer 1..1024 (or omitted: every core)', 'threads')
  }
  return threads
}

/** Requests per chunk: enough that a chunk's fixed costs (a task, two native calls) vanish, few
 * enough that the first chunk starts early and the last one ends soon after the event loop's part. */
const CHUNK = 256

/** Chunks in flight when `threads` is not given: one per core where the platform says how many,
 * else libuv's pool size (the most that run at once anyway). */
function defaultLanes() {
  const cores = globalThis.navigator && globalThis.navigator.hardwareConcurrency
  if (Number.isInteger(cores) && cores > 0) return cores
  const pool = typeof process === 'object' && process.env ? Number(process.env.UV_THREADPOOL_SIZE) : NaN
  return Number.isInteger(pool) && pool > 0 ? pool : 4
}

/**
 * `[record, headerCount]` of `r` in the packed verify format (method NUL url [NUL name NUL value]...,
 * src/batch.rs) with its headers `flat` (lib/headers.js's list), or undefined when `r` is not packed
 * here: method absent or a string, url a string, body absent, a string or bytes, no payloadHash, no
 * own `now`. A NUL inside a field is not looked for here: the native side sees the record's field
 * count disagree with `headerCount` and has JS verify that request on its own (which reports it
 * with the code `verify` gives).
 */
function packed(r, flat) {
  const { method = 'GET', url, body } = r
  if (typeof method !== 'string' || typeof url !== 'string') return undefined
  if ((r.payloadHash !== undefined && r.payloadHash !== null) || (r.now !== undefined && r.now !== null)) return undefined
  if (body !== undefined && body !== null && typeof body !== 'string' && !(body instanceof Uint8Array)) return undefined
  if (flat === undefined) return [method + '\0' + url, 0]
  return [method + '\0' + url + '\0' + flat.join('\0'), flat.length >> 1]
}

/**
 * `verifier` (its handle and credentials function) over `requests`. `helpers` are verifier.js's
 * `{adopt, VerificationError}` (passed in: this module is required by verifier.js).
 */
async function verifyMany(verifier, handle, lookup, requests, options, helpers) {
  const { adopt, VerificationError } = helpers
  if (requests === null || typeof requests !== 'object' || typeof requests[Symbol.iterator] !== 'function') {
    throw new SigV4Error('InvalidOption', 'verifyMany takes an array (or any iterable) of requests', 'requests')
  }
  const list = Array.from(requests)
  const threads = threadCount(options)
  const now = options === undefined || options === null ? undefined : options.now
  const nowOf = (r) => (r.now === undefined || r.now === null ? now : r.now)
  // A credentials function can only run on the event loop, and the WebAssembly backend has no
  // threads: verify one by one there (same results, in order).
  if (lookup !== undefined || typeof native.NativeBatch !== 'function') {
    return list.map((r) => {
      if (r === null || typeof r !== 'object') return notARequest()
      try {
        return verifier.verify(r, { now: nowOf(r) })
      } catch (e) {
        return adopt(e)
      }
    })
  }
  const out = new Array(list.length)
  const single = (r) => {
    try {
      return verifier.verify(r, { now: nowOf(r) })
    } catch (e) {
      return adopt(e)
    }
  }
  // Chunks being checked on the pool, oldest first; at most `lanes` at once.
  const lanes = threads || defaultLanes()
  const inFlight = []
  const finishOldest = async () => {
    const { batch, at, checked } = inFlight.shift()
    await checked
    const results = batch.finish(handle)
    for (let k = 0; k < results.length; k++) {
      const v = results[k]
      out[at[k]] = typeof v === 'string'
        ? new VerifiedIdentity(v)
        : v === null
          ? single(list[at[k]])
          : new VerificationError(v[0], v[1], v[2] ?? undefined, v[3] ?? undefined, v[4] ?? undefined)
    }
  }
  for (let start = 0; start < list.length; start += CHUNK) {
    const end = Math.min(start + CHUNK, list.length)
    const batch = new native.NativeBatch()
    const at = []
    // Requests in the common shapes go packed, many per native call (packed()); the others are read
    // field by field as verify reads them. Packed ones wait in these arrays until the next field-read
    // one (or the chunk's end), so the chunk keeps the array's order.
    let records = []
    let counts = []
    let bodies = []
    const flush = () => {
      if (records.length === 0) return
      batch.addPacked(records, counts, bodies, now)
      records = []
      counts = []
      bodies = []
    }
    for (let i = start; i < end; i++) {
      const r = list[i]
      if (r === null || typeof r !== 'object') {
        out[i] = notARequest()
        continue
      }
      let flat
      try {
        flat = headerList(r.headers)
      } catch (e) {
        out[i] = adopt(e)
        continue
      }
      const p = packed(r, flat)
      if (p !== undefined) {
        records.push(p[0])
        counts.push(p[1])
        bodies.push(r.body)
        at.push(i)
        continue
      }
      flush()
      try {
        batch.add(r.method, r.url, flat, r.body, r.payloadHash, nowOf(r))
        at.push(i)
      } catch (e) {
        out[i] = adopt(e)
      }
    }
    flush()
    if (at.length === 0) continue
    inFlight.push({ batch, at, checked: native.checkBatch(handle, batch) })
    // The pool has `lanes` chunks: finish the oldest (in order: the replay cache sees the batch's
    // order) before copying more.
    if (inFlight.length >= lanes) await finishOldest()
  }
  while (inFlight.length > 0) await finishOldest()
  return out
}

module.exports = { verifyMany }
