'use strict'
const { Signer } = require('./signer')
const { NONCE_HEADER, newNonce } = require('./nonce')
const { HttpError, SigV4Error } = require('./errors')
const { batch } = require('./batch')

/** Statuses retried by default: throttling and server errors. */
function defaultRetryOn(status) {
  return status === 429 || status >= 500
}

/** The region in an AWS host name such as `abc.execute-api.us-east-1.amazonaws.com`, if any. */
function regionFromHost(host) {
  const m = /\.([a-z]{2}(?:-gov)?-[a-z]+-\d)\.amazonaws\.com(?:\.cn)?$/.exec(host || '')
  return m ? m[1] : undefined
}

function sleep(ms, signal) {
  return new Promise((resolve, reject) => {
    if (signal && signal.aborted) return reject(signal.reason)
    const t = setTimeout(() => {
      if (signal) signal.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    function onAbort() {
      clearTimeout(t)
      reject(signal.reason)
    }
    if (signal) signal.addEventListener('abort', onAbort, { once: true })
  })
}

/** Exponential backoff with full jitter: a random delay in [0, min(max, base * 2^attempt)]. */
function backoff(attempt, baseDelayMs, maxDelayMs) {
  return Math.random() * Math.min(maxDelayMs, baseDelayMs * 2 ** attempt)
}

function retryAfterMs(response) {
  const v = response.headers.get('retry-after')
  if (!v) return 0
  const s = Number(v)
  if (Number.isFinite(s)) return s * 1000
  const d = Date.parse(v)
  return Number.isFinite(d) ? Math.max(0, d - Date.now()) : 0
}

function toBody(body) {
  if (body === undefined || body === null) return undefined
  if (typeof body === 'string' || body instanceof Uint8Array || body instanceof ArrayBuffer) return body
  if (ArrayBuffer.isView(body)) return new Uint8Array(body.buffer, body.byteOffset, body.byteLength)
  if (body instanceof URLSearchParams) return body.toString()
  throw new SigV4Error('InvalidOption', 'a signed request body must be a string, Buffer, Uint8Array, ArrayBuffer or URLSearchParams (streams cannot be hashed before sending)', 'body')
}

function headerPairs(h) {
  if (!h) return []
  if (Array.isArray(h)) return h.map(([n, v]) => [n, String(v)])
  if (typeof h.entries === 'function') return [...h.entries()]
  return Object.entries(h).filter(([, v]) => v !== undefined && v !== null).map(([n, v]) => [n, String(v)])
}

/**
 * `fetch` that signs every attempt afresh (new signature and date), retries 429/5xx and network
 * errors with exponential backoff and jitter (honouring `Retry-After`), and honours a per-attempt
 * `timeoutMs` and the caller's `AbortSignal`.
 *
 * Options: `service`, `region` (default: from the host, then AWS_REGION), `credentials` (object or
 * provider; default: env), `signer` (an existing `Signer` instead), `retries` (default 3),
 * `baseDelayMs` (100), `maxDelayMs` (5000), `timeoutMs`, `retryOn(status)`, `fetch`, `now` (a clock
 * returning the signing time, default the system clock), `nonce` (add a signed random `X-Request-Nonce`
 * header to each call, so identical calls within one second are not refused as replays by a verifier
 * with replay protection), and any `Signer` option.
 */
function createSignedFetch(options = {}) {
  const {
    service, region, credentials, signer: given, retries = 3, baseDelayMs = 100, maxDelayMs = 5000,
    timeoutMs, retryOn = defaultRetryOn, fetch: fetchImpl = globalThis.fetch, presign = false, expiresIn, now,
    nonce = false, ...signerOptions
  } = options
  if (typeof fetchImpl !== 'function') throw new SigV4Error('InvalidOption', 'no fetch implementation (Node 18+ has one built in)', 'fetch')
  if (!Number.isInteger(retries) || retries < 0) throw new SigV4Error('InvalidOption', 'retries must be a non-negative integer', 'retries')
  const signers = new Map()
  function signerFor(host) {
    if (given) return given
    const r = region || regionFromHost(host) || process.env.AWS_REGION || process.env.AWS_DEFAULT_REGION
    if (!r) throw new SigV4Error('InvalidRegion', 'no region: pass region, or set AWS_REGION', 'region')
    let s = signers.get(r)
    if (!s) {
      s = new Signer({ ...signerOptions, credentials, region: r, service })
      signers.set(r, s)
    }
    return s
  }

  return async function signedFetch(input, init = {}) {
    const url = new URL(typeof input === 'string' || input instanceof URL ? String(input) : input.url)
    const method = (init.method || (input && input.method) || 'GET').toUpperCase()
    const body = toBody(init.body)
    const headers = headerPairs(init.headers)
    // One nonce per call (its retries carry it too: each has a new date, so a new signature anyway).
    if (nonce) headers.push([NONCE_HEADER, newNonce()])
    const signer = signerFor(url.hostname)
    const userSignal = init.signal
    let attempt = 0
    let lastSecond = -1
    for (;;) {
      // A retry signed in the same second as the attempt before would carry the same signature
      // (SigV4 dates have one-second resolution), which a server with a replay cache refuses:
      // wait for the next second so that every attempt has a new date and signature.
      if (!now && Math.floor(Date.now() / 1000) === lastSecond) await sleep(1000 - (Date.now() % 1000) + 1, userSignal)
      lastSecond = Math.floor(Date.now() / 1000)
      const signals = []
      if (userSignal) signals.push(userSignal)
      if (timeoutMs) signals.push(AbortSignal.timeout(timeoutMs))
      const signal = signals.length > 1 ? AbortSignal.any(signals) : signals[0]
      const request = { method, url: url.href, headers, body }
      if (now) request.timestamp = now()
      const signed = presign ? await signer.presignAsync(request, { expiresIn }) : await signer.signAsync(request)
      const sendHeaders = {}
      for (const [n, v] of Object.entries(signed.headers)) if (n.toLowerCase() !== 'host') sendHeaders[n] = v
      let response
      try {
        response = await fetchImpl(signed.url, { ...init, method, headers: sendHeaders, body, signal })
      } catch (err) {
        if (userSignal && userSignal.aborted) throw userSignal.reason ?? err
        if (attempt >= retries) throw err
        await sleep(backoff(attempt++, baseDelayMs, maxDelayMs), userSignal)
        continue
      }
      if (!retryOn(response.status) || attempt >= retries) return response
      const wait = Math.min(maxDelayMs, Math.max(backoff(attempt++, baseDelayMs, maxDelayMs), retryAfterMs(response)))
      await response.arrayBuffer().catch(() => {})
      await sleep(wait, userSignal)
    }
  }
}

async function readBody(response) {
  const text = await response.text()
  if (!text) return null
  const type = response.headers.get('content-type') || ''
  if (type.includes('json')) {
    try { return JSON.parse(text) } catch { return text }
  }
  return text
}

/**
 * A client for one IAM-protected API (API Gateway, a Lambda function URL, any SigV4 endpoint):
 * `invoke(method, path, body?, query?, headers?)` sends JSON and returns the parsed response,
 * throwing `HttpError` (`status`, `body`) on a non-2xx answer; `batch(calls, {concurrency})`.
 */
function createApiClient({ baseUrl, service = 'execute-api', ...options }) {
  if (!baseUrl) throw new SigV4Error('InvalidUrl', 'baseUrl is required (e.g. https://abc123.execute-api.us-east-1.amazonaws.com/v1)', 'baseUrl')
  const signedFetch = createSignedFetch({ service, ...options })
  const base = String(baseUrl).replace(/\/+$/, '')
  async function invoke(method, path = '/', body = undefined, query = undefined, headers = undefined, init = {}) {
    const url = new URL(base + (path.startsWith('/') ? path : '/' + path))
    if (query) for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null) url.searchParams.append(k, String(v))
    const h = { accept: 'application/json', ...(headers || {}) }
    let payload
    if (body !== undefined && body !== null) {
      if (typeof body === 'string' || body instanceof Uint8Array) payload = body
      else {
        payload = JSON.stringify(body)
        if (!Object.keys(h).some((k) => k.toLowerCase() === 'content-type')) h['content-type'] = 'application/json'
      }
    }
    const response = await signedFetch(url, { ...init, method: method.toUpperCase(), headers: h, body: payload })
    const data = await readBody(response)
    if (!response.ok) throw new HttpError(response.status, response.statusText, data, url.href, method.toUpperCase())
    return data
  }
  return {
    invoke,
    fetch: signedFetch,
    batch: (calls, opts) => batch(calls, (c) => invoke(c.method || 'GET', c.path, c.body, c.query, c.headers), opts),
  }
}

module.exports = { createSignedFetch, createApiClient, regionFromHost, defaultRetryOn }
