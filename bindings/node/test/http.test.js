'use strict'
// fetch and axios against a local server (127.0.0.1) that checks every signature with smithy.
const test = require('node:test')
const assert = require('node:assert/strict')
const axios = require('axios')
const { createSignedFetch, createApiClient, aws4Interceptor, HttpError, batch } = require('..')
const { start } = require('./server')

const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', sessionToken: 'tok+en/=' }
const scope = { credentials, region: 'us-east-1', service: 'execute-api' }

let server
let flaky = 0
test.before(async () => {
  server = await start(scope, {
    '/ok': ({ req, body, send }) => send(200, { ok: true, method: req.method, body: body ? JSON.parse(body) : null, query: req.url.split('?')[1] || '' }),
    '/flaky': ({ send }) => (++flaky <= 2 ? send(503, { message: 'try again' }) : send(200, { ok: true })),
    '/throttle': ({ send, seen }) => (seen.length === 1 ? send(429, { message: 'slow down' }, { 'retry-after': '0' }) : send(200, { ok: true })),
    '/slow': ({ send }) => setTimeout(() => send(200, { ok: true }), 400),
    '/down': ({ send }) => send(500, { message: 'broken' }),
    '/jobs': ({ body, send }) => send(201, { jobId: 'j-' + JSON.parse(body).n }),
  })
})
test.after(() => server.close())

test('signed fetch: GET and POST with hostile query and path pass the server check', async () => {
  const f = createSignedFetch({ ...scope, retries: 0 })
  const r = await f(`${server.url}/ok?b=2&a=x y&plus=%2B&at=@&star=*&u=${encodeURIComponent('é')}&a=1`)
  assert.equal(r.status, 200, JSON.stringify(await r.clone().json()))
  const p = await f(`${server.url}/ok`, { method: 'POST', body: JSON.stringify({ a: 1 }), headers: new Headers({ 'Content-Type': 'application/json', 'X-Custom': '  a   b ' }) })
  assert.equal(p.status, 200)
  assert.deepEqual((await p.json()).body, { a: 1 })
})

test('unsigned and tampered requests are refused by the server (the check can fail)', async () => {
  const plain = await fetch(`${server.url}/ok`)
  assert.equal(plain.status, 403)
  const f = createSignedFetch({ ...scope, retries: 0, fetch: (url, init) => fetch(url, { ...init, body: '{"tampered":true}' }) })
  const r = await f(`${server.url}/ok`, { method: 'POST', body: '{"a":1}' })
  assert.equal(r.status, 403)
})

test('retries 5xx with backoff; every attempt carries a new signature and date', async () => {
  let clock = Date.parse('2026-01-01T00:00:00Z')
  const f = createSignedFetch({ ...scope, retries: 3, baseDelayMs: 5, now: () => new Date((clock += 1000)) })
  const before = server.seen.length
  const r = await f(`${server.url}/flaky`)
  assert.equal(r.status, 200)
  const attempts = server.seen.slice(before).filter((s) => s.path === '/flaky')
  assert.equal(attempts.length, 3)
  assert.ok(attempts.every((a) => a.ok))
  assert.equal(new Set(attempts.map((a) => a.signature)).size, 3)
  assert.equal(new Set(attempts.map((a) => a.amzDate)).size, 3)
})

test('retries 429 honouring Retry-After, gives up after `retries`', async () => {
  const f = createSignedFetch({ ...scope, retries: 2, baseDelayMs: 1 })
  assert.equal((await f(`${server.url}/throttle`)).status, 200)
  const before = server.seen.length
  assert.equal((await f(`${server.url}/down`)).status, 500)
  assert.equal(server.seen.length - before, 3)
})

test('network errors are retried; timeouts and AbortSignal are honoured', async () => {
  let calls = 0
  const failing = createSignedFetch({ ...scope, retries: 2, baseDelayMs: 1, fetch: async () => { calls++; throw new TypeError('fetch failed') } })
  await assert.rejects(failing(`${server.url}/ok`), /fetch failed/)
  assert.equal(calls, 3)
  const slow = createSignedFetch({ ...scope, retries: 0, timeoutMs: 50 })
  await assert.rejects(slow(`${server.url}/slow`), (e) => e.name === 'TimeoutError' || e.name === 'AbortError')
  const ac = new AbortController()
  const f = createSignedFetch({ ...scope, retries: 5, baseDelayMs: 1000 })
  const pending = f(`${server.url}/slow`, { signal: ac.signal })
  setTimeout(() => ac.abort(), 20)
  await assert.rejects(pending, (e) => e.name === 'AbortError')
})

test('presigned fetch puts the signature in the URL', async () => {
  const f = createSignedFetch({ ...scope, retries: 0, presign: true, expiresIn: 60 })
  const r = await f(`${server.url}/ok?x=1`)
  assert.equal(r.status, 200)
  assert.match(server.seen.at(-1).url, /X-Amz-Signature=/)
})

test('API client: JSON in and out, errors carry status and body, batch with a limit', async () => {
  const api = createApiClient({ ...scope, baseUrl: server.url + '/', retries: 0 })
  assert.deepEqual(await api.invoke('POST', '/jobs', { n: 7 }), { jobId: 'j-7' })
  const echoed = await api.invoke('GET', '/ok', null, { q: 'a b', n: 1 }, { 'X-Trace': '1' })
  assert.equal(echoed.query, 'q=a+b&n=1')
  await assert.rejects(api.invoke('GET', '/nope'), (e) => e instanceof HttpError && e.status === 404 && e.body.message === 'not found' && /404/.test(e.message))
  const results = await api.batch([{ method: 'POST', path: '/jobs', body: { n: 1 } }, { path: '/nope' }, { method: 'POST', path: '/jobs', body: { n: 2 } }], { concurrency: 2 })
  assert.deepEqual(results.map((x) => x.status), ['fulfilled', 'rejected', 'fulfilled'])
  assert.equal(results[2].value.jobId, 'j-2')
  let running = 0
  let peak = 0
  await batch([1, 2, 3, 4, 5, 6], async () => { peak = Math.max(peak, ++running); await new Promise((r) => setTimeout(r, 5)); running-- }, { concurrency: 2 })
  assert.equal(peak, 2)
})

test('axios interceptor: params, JSON data and headers are signed as sent', async () => {
  const client = axios.create({ baseURL: server.url })
  client.interceptors.request.use(aws4Interceptor(scope))
  const r = await client.post('/ok', { hello: 'world' }, { params: { q: 'a b+c', at: '@', list: ['x', 'y'] }, headers: { 'X-Custom': 'v' } })
  assert.equal(r.status, 200)
  assert.deepEqual(r.data.body, { hello: 'world' })
  const g = await client.get('/ok?already=1', { params: { more: 'é' } })
  assert.equal(g.status, 200)
  await assert.rejects(axios.get(`${server.url}/ok`), (e) => e.response.status === 403)
})

test('axios interceptor with signQuery presigns the URL', async () => {
  const client = axios.create()
  client.interceptors.request.use(aws4Interceptor({ ...scope, signQuery: true, expiresIn: 120 }))
  const r = await client.get(`${server.url}/ok`, { params: { a: '1 2' } })
  assert.equal(r.status, 200)
  assert.match(server.seen.at(-1).url, /X-Amz-Expires=120/)
})
