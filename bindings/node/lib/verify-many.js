'use strict'
// Verifier#verifyMany: the requests go to the native side in chunks of CHUNK, queued; lanes on libuv's
// thread pool (AsyncTasks) check queued chunks while the event loop copies the next ones, and with
// `threads` >= 2 (the default on a multi-core machine) the event loop checks a queued chunk itself when
// the lanes fall behind (work-stealing: both ends run out of work together). Chunks are finished in
// order on the event loop (replay cache, results). The event loop's work comes in slices of one chunk
// (copying it, checking one, finishing those done: ~0.1-0.5 ms each) with a return to the event loop
// (I/O, timers) between slices. One result per request, in order: a VerifiedIdentity or the error
// (returned, not thrown).
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
 * enough that the first chunk starts early and the last one ends soon after the event loop's part,
 * and that a chunk's joined text (~400 UTF-16 units a request) stays below V8's large-object size
 * (measured: 256 costs the event loop ~0.3 µs more per request than 128). */
const CHUNK = 128

/** Threads when `threads` is not given: the cores this process may use (the addon asks the OS). */
function defaultThreads() {
  const cores = native.batchThreads()
  return Number.isInteger(cores) && cores > 0 ? cores : 1
}

/** libuv's thread pool size (UV_THREADPOOL_SIZE, default 4). A lane holds a pool thread for the whole
 * call, so at most this minus one lanes run: fs, dns and crypto calls keep a thread meanwhile. */
function poolSize() {
  const n = typeof process === 'object' && process !== null && process.env ? Number(process.env.UV_THREADPOOL_SIZE) : NaN
  return Number.isInteger(n) && n > 0 ? n : 4
}

/** Chunks queued beyond which the event loop, rather than copy more, checks one itself. */
const AHEAD = 2

/** Back to the event loop (its I/O and timers run), then on. */
const yieldToLoop = typeof setImmediate === 'function'
  ? () => new Promise((resolve) => setImmediate(resolve))
  : () => new Promise((resolve) => setTimeout(resolve, 0))

/** A string body up to this many UTF-16 units travels inside the chunk's text (one copy for the
 * whole chunk); a longer one, or bytes, is handed over apart (copied once, not twice). */
const INLINE_BODY = 16384

/**
 * Whether `r` goes packed (src/batch.rs `addPacked`): method absent or a string, url a string,
 * body absent, a string or bytes, no payloadHash, no own `now`. The others are read field by
 * field, as `verify` reads them. A NUL inside a field is not looked for here: the native side
 * sees the record's field count disagree with its header count and has JS verify that request
 * on its own (which reports it with the code `verify` gives).
 */
function packable(method, url, body, r) {
  return typeof method === 'string' && typeof url === 'string' &&
    (r.payloadHash === undefined || r.payloadHash === null) && (r.now === undefined || r.now === null) &&
    (body === undefined || body === null || typeof body === 'string' || body instanceof Uint8Array)
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
  // `threads` threads verify: with 1, one pool lane (the event loop only copies and finishes);
  // with n >= 2, n - 1 pool lanes and the event loop, which checks a queued chunk itself whenever
  // more than AHEAD wait (the lanes fall behind). One lane a core, no more: a third thread on two
  // cores would take turns with the event loop, whose copying then falls behind (measured). And at
  // most poolSize() - 1 lanes, whatever `threads` says: libuv keeps a thread for other work.
  const total = threads || defaultThreads()
  const lanes = Math.max(1, Math.min(total - 1, poolSize() - 1))
  const helps = total >= 2
  const queue = new native.NativeBatchQueue()
  const tasks = []
  const startLanes = () => {
    while (queue.lanes < lanes && queue.length > 0) tasks.push(native.checkQueue(handle, queue))
  }
  // Queued chunks not finished yet, oldest first.
  const pending = []
  // A chunk's packed numbers (copied by addPacked, so one array serves every chunk).
  const meta = new Int32Array(3 * CHUNK)
  const finishChunk = ({ batch, at }) => {
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
  // Finishes the checked chunks at the head (in order: the replay cache sees the batch's order).
  const finishChecked = () => {
    while (pending.length > 0 && pending[0].batch.checked) finishChunk(pending.shift())
  }
  for (let start = 0; start < list.length; start += CHUNK) {
    const end = Math.min(start + CHUNK, list.length)
    const batch = new native.NativeBatch()
    const at = []
    // Requests in the common shapes go packed, a whole run of them in one native call: their
    // fields in `parts` (joined by NUL into one string: one copy out of JS, as UTF-16, converted
    // on the pool thread), three numbers each in `meta` (length in that string, header pairs,
    // body: its length when inlined as the last field, -1 none, -2 the next of `apart`). A
    // request read field by field flushes the run first, so the chunk keeps the array's order.
    let parts = []
    let apart = []
    let n = 0
    const flush = () => {
      if (n === 0) return
      batch.addPacked(parts.join('\0'), meta.subarray(0, 3 * n), apart, now)
      parts = []
      apart = []
      n = 0
    }
    for (let i = start; i < end; i++) {
      const r = list[i]
      if (r === null || typeof r !== 'object') {
        out[i] = notARequest()
        continue
      }
      // Headers first (their error wins, as in verify), straight into `parts` after two slots
      // for method and url.
      const mark = parts.length
      const h = r.headers
      parts.push('', '')
      try {
        headerList(h, parts)
      } catch (e) {
        parts.length = mark
        out[i] = adopt(e)
        continue
      }
      const { method = 'GET', url, body } = r
      if (!packable(method, url, body, r)) {
        const flat = h === undefined || h === null ? undefined : parts.slice(mark + 2)
        parts.length = mark
        flush()
        try {
          batch.add(r.method, r.url, flat, r.body, r.payloadHash, nowOf(r))
          at.push(i)
        } catch (e) {
          out[i] = adopt(e)
        }
        continue
      }
      parts[mark] = method
      parts[mark + 1] = url
      const pairs = (parts.length - mark - 2) >> 1
      let bodyField = -1
      if (typeof body === 'string' && body.length <= INLINE_BODY) {
        parts.push(body)
        bodyField = body.length
      } else if (body !== undefined && body !== null) {
        apart.push(body)
        bodyField = -2
      }
      let units = 0
      for (let j = mark; j < parts.length; j++) units += parts[j].length + 1
      meta[3 * n] = units
      meta[3 * n + 1] = pairs
      meta[3 * n + 2] = bodyField
      n++
      at.push(i)
    }
    flush()
    if (at.length > 0) {
      queue.push(batch)
      pending.push({ batch, at })
      startLanes()
    }
    if (queue.length > AHEAD) {
      if (helps) queue.help(handle)
      // One lane and no help: wait until the lanes have emptied the queue.
      else while (queue.length > AHEAD && tasks.length > 0) await tasks.shift()
    }
    finishChecked()
    await yieldToLoop()
  }
  // The end: help while chunks wait, then wait for the lanes' last chunks.
  queue.close()
  for (;;) {
    startLanes()
    finishChecked()
    if (pending.length === 0) break
    if (helps && queue.help(handle)) await yieldToLoop()
    else if (tasks.length > 0) await tasks.shift()
    else await yieldToLoop()
  }
  await Promise.all(tasks)
  return out
}

module.exports = { verifyMany }
