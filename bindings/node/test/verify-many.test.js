'use strict'
// Verifier#verifyMany: one result per request, in order, verified off the event loop on several
// threads. Signed requests come from AWS's v4 suite and from aws4 (another implementation, signing
// at the current time); good ones give the identity, tampered ones their code, malformed entries a
// per-entry error, and with the replay cache a repeat later in the batch is RequestReplayed.
const test = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const path = require('node:path')
const aws4 = require('aws4')
const { Verifier, VerificationError, SigV4Error } = require('..')
const { cases, parseRequest } = require('./vectors')

const AKID = 'AKIDEXAMPLE'
const SECRET = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY'
const REFUSED = JSON.parse(fs.readFileSync(path.join(__dirname, '../../../tests/verify-refused-vectors.json'), 'utf8'))

/** The suite's cases a plain verifier for `service` accepts, both forms, each at its timestamp. */
function suiteRequests() {
  const out = []
  for (const c of cases()) {
    const ctx = c.context
    if (ctx.credentials.token || ctx.normalize === false || ctx.omit_session_token || ctx.service !== 'service' || REFUSED[c.name]) continue
    for (const form of ['header', 'query']) {
      const w = parseRequest(c.read(`${form}-signed-request.txt`))
      out.push({ method: w.method, url: w.target, headers: w.headers, body: w.body, now: ctx.timestamp })
    }
  }
  assert.ok(out.length >= 40, `${out.length} suite requests`)
  return out
}

const flip = (text) => text.slice(0, -1) + (text.endsWith('0') ? '1' : '0')

/** The request with its signature's last hex digit changed. */
function tampered(r) {
  const auth = r.headers.findIndex(([n]) => n.toLowerCase() === 'authorization')
  if (auth < 0) return { ...r, url: flip(r.url) }
  const headers = r.headers.map((h, i) => (i === auth ? [h[0], flip(h[1])] : h))
  return { ...r, headers }
}

/** `count` distinct requests aws4 signs now (header form). */
function aws4Requests(count) {
  const out = []
  for (let i = 0; i < count; i++) {
    const body = `item ${i}`
    const opts = { host: 'example.amazonaws.com', method: 'POST', path: `/items/${i}?n=${i}`, service: 'service', region: 'us-east-1', body, headers: {} }
    aws4.sign(opts, { accessKeyId: AKID, secretAccessKey: SECRET })
    out.push({ method: 'POST', url: opts.path, headers: { ...opts.headers, Host: opts.host }, body })
  }
  return out
}

const verifier = (options = {}) => new Verifier({ credentials: { [AKID]: SECRET }, region: 'us-east-1', service: 'service', ...options })
const codes = (results) => results.map((r) => (r instanceof VerificationError || r instanceof SigV4Error ? r.code : r.accessKeyId === AKID ? 'ok' : r))

for (const threads of [1, 2, undefined]) {
  test(`mixed good and bad requests keep their order (threads ${threads})`, async () => {
    const batch = []
    const want = []
    for (const r of suiteRequests()) {
      batch.push(r, tampered(r))
      want.push('ok', 'SignatureDoesNotMatch')
    }
    const results = await verifier().verifyMany(batch, { threads })
    assert.deepEqual(codes(results), want)
    assert.ok(results[1] instanceof VerificationError)
    assert.equal(typeof results[1].canonicalRequest, 'string')
    assert.equal(results[1].status, 403)
    assert.equal(results[0].service, 'service')
  })
}

test('a repeat later in the batch is a replay; the cache persists', async () => {
  const fresh = aws4Requests(150)
  const batch = [...fresh, ...fresh.slice(0, 50), fresh[149]]
  assert.deepEqual(codes(await verifier().verifyMany(batch, { threads: 2 })), Array(batch.length).fill('ok'))
  const v = verifier({ replayCache: true })
  const want = [...Array(150).fill('ok'), ...Array(51).fill('RequestReplayed')]
  assert.deepEqual(codes(await v.verifyMany(batch, { threads: 2 })), want)
  assert.throws(() => v.verify(fresh[3]), (e) => e.code === 'RequestReplayed')
  assert.equal(v.replayCacheLength, 150)
})

test('invalid entries give their own errors; the rest verifies', async () => {
  const [good] = aws4Requests(1)
  const batch = [
    good,
    42,
    null,
    { method: 'GET' }, // no url
    { url: '/', headers: 7 },
    { ...good, now: 'yesterday' },
    { url: '/', headers: { Host: 'example.amazonaws.com' } },
    { ...good, method: 'G\0T' },
    { url: '/', headers: { Authorization: 'AWS4-HMAC-SHA256 Credential=NOBODY/x' } },
    good,
  ]
  const results = await verifier().verifyMany(batch)
  assert.equal(results.length, batch.length)
  assert.deepEqual(codes(results), [
    'ok', 'InvalidOption', 'InvalidOption', 'InvalidUrl', 'InvalidHeaderName', 'InvalidTimestamp',
    'MissingAuthenticationToken', 'InvalidMethod', 'IncompleteSignature', 'ok',
  ])
  for (const r of results.slice(1, -1)) assert.ok(r instanceof SigV4Error, String(r))
})

test('empty batch, wrong arguments', async () => {
  assert.deepEqual(await verifier().verifyMany([]), [])
  assert.deepEqual(await verifier().verifyMany(new Set()), [])
  await assert.rejects(verifier().verifyMany('GET /'), (e) => e.code === 'InvalidOption')
  await assert.rejects(verifier().verifyMany(null), (e) => e.code === 'InvalidOption')
  await assert.rejects(verifier().verifyMany([], { threads: 0 }), (e) => e.code === 'InvalidOption')
})

test('a credentials function is asked on the event loop, per request', async () => {
  const requests = aws4Requests(20)
  const asked = []
  const v = new Verifier({ credentials: (akid) => { asked.push(akid); return akid === AKID ? SECRET : undefined }, region: 'us-east-1', service: 'service' })
  const results = await v.verifyMany([...requests, { ...requests[0], headers: { ...requests[0].headers, Authorization: requests[0].headers.Authorization.replace(AKID, 'AKIDOTHER') } }])
  assert.deepEqual(codes(results), [...Array(20).fill('ok'), 'InvalidAccessKeyId'])
  assert.ok(asked.length >= 21)
})

test('the event loop keeps running while a large batch verifies', async () => {
  const requests = aws4Requests(100)
  const batch = Array.from({ length: 100 }, () => requests).flat() // 10,000 (replay cache off)
  let ticks = 0
  const timer = setInterval(() => { ticks++ }, 1)
  const started = Date.now()
  let results
  try {
    results = await verifier().verifyMany(batch, { threads: 1 })
  } finally {
    clearInterval(timer) // a failure must not leave the test process running
  }
  const took = Date.now() - started
  assert.equal(results.length, 10000)
  assert.ok(results.every((r) => r.accessKeyId === AKID))
  // Verified on the thread pool: timers fired meanwhile (a synchronous loop would allow none).
  if (took > 20) assert.ok(ticks > 0, `no timer tick in ${took} ms`)
})

/** `body` signed by aws4 now, with extra `headers`. */
function aws4Signed(path, body, headers = {}) {
  const opts = { host: 'example.amazonaws.com', method: 'POST', path, service: 'service', region: 'us-east-1', body, headers: { ...headers } }
  aws4.sign(opts, { accessKeyId: AKID, secretAccessKey: SECRET })
  return { method: 'POST', url: opts.path, headers: { ...opts.headers, Host: opts.host }, body }
}

test('bodies of every kind and size, non-ASCII text and NULs keep each request whole and in place', async () => {
  const long = 'x'.repeat(20000) + 'é'
  const bodies = [
    'short', '', long, Buffer.from('bytes body'), new Uint8Array([0, 1, 2, 255]), 'héllo ✓ 😀', 'lone \ud800 surrogate',
    'with\0NUL\0inside', '\0', 'x'.repeat(16384), 'x'.repeat(16385), undefined,
  ]
  const batch = []
  const want = []
  for (let round = 0; round < 30; round++) {
    bodies.forEach((body, k) => {
      const r = aws4Signed(`/b/${round}/${k}`, body === undefined ? '' : body)
      if (body === undefined) delete r.body
      batch.push(r)
      want.push('ok')
    })
    // Two-byte header values (aws4 makes Authorization two-byte), and a NUL inside a header value
    // in the middle of a run of packed requests: that one alone fails, as verify fails it.
    const nul = aws4Signed(`/n/${round}`, 'b')
    nul.headers['X-Amz-Date'] = nul.headers['X-Amz-Date'] + '\0'
    batch.push(nul, aws4Signed(`/a/${round}`, 'after'))
    want.push(codeOfVerify(nul), 'ok')
    // A request read field by field (payloadHash) between packed ones.
    const hashed = aws4Signed(`/h/${round}`, 'hashed')
    batch.push({ ...hashed, body: undefined, payloadHash: require('node:crypto').createHash('sha256').update('hashed').digest('hex') })
    want.push('ok')
  }
  assert.notEqual(want[12], 'ok')
  for (const threads of [1, 2, undefined]) {
    const results = await verifier().verifyMany(batch, { threads })
    assert.deepEqual(codes(results), want)
    // Same identities as single calls give.
    for (const k of [0, 2, 5, 6, 10]) assert.deepEqual(results[k].toJSON(), verifier().verify(batch[k]).toJSON())
  }
})

function codeOfVerify(r) {
  try {
    verifier().verify(r)
    return 'ok'
  } catch (e) {
    return e.code
  }
}

test('timers run during a default batch (the event loop verifies in slices), and an abandoned batch frees its lanes', async () => {
  const requests = aws4Requests(100)
  const batch = Array.from({ length: 60 }, () => requests).flat() // 6,000 (replay cache off)
  let ticks = 0
  const timer = setInterval(() => { ticks++ }, 1)
  const started = Date.now()
  let results
  try {
    results = await verifier().verifyMany(batch)
  } finally {
    clearInterval(timer)
  }
  const took = Date.now() - started
  assert.ok(results.every((r) => r.accessKeyId === AKID))
  if (took > 20) assert.ok(ticks > 0, `no timer tick in ${took} ms`)
  // An entry whose headers getter throws, after 2,000 good ones: the call rejects; the pool lanes
  // started for the chunks before it end on their own (else this test file would never exit).
  const bad = { get headers() { throw new Error('boom') }, url: '/' }
  await assert.rejects(verifier().verifyMany([...batch.slice(0, 2000), bad]), /boom/)
  assert.deepEqual(codes(await verifier().verifyMany(requests.slice(0, 3))), ['ok', 'ok', 'ok'])
})

test('pool lanes never take every libuv thread, whatever threads asks', async () => {
  const native = require('../lib/native.js')
  const pool = Number(process.env.UV_THREADPOOL_SIZE) || 4
  const original = native.checkQueue
  let most = 0
  // The queue counts its lanes started and not ended (a lane ends natively, before its promise settles).
  native.checkQueue = (handle, queue) => {
    const lane = original(handle, queue)
    most = Math.max(most, queue.lanes)
    return lane
  }
  try {
    const requests = aws4Requests(100)
    const batch = Array.from({ length: 30 }, () => requests).flat()
    const results = await verifier().verifyMany(batch, { threads: pool + 4 })
    assert.ok(results.every((r) => r.accessKeyId === AKID))
  } finally {
    native.checkQueue = original
  }
  assert.ok(most >= 1 && most <= pool - 1, `${most} lanes at once with a pool of ${pool}`)
})
