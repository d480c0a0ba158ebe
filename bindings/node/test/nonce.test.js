'use strict'
// `nonce: true` on createSignedFetch and aws4Interceptor: a signed random X-Request-Nonce makes identical
// calls signed in the same second distinct, so a verifier with a replay cache accepts both; without it the
// copy is refused as RequestReplayed with a message saying what happened and what to do.
const test = require('node:test')
const assert = require('node:assert/strict')
const http = require('node:http')
const axios = require('axios')
const { Verifier, withSigV4, createSignedFetch, aws4Interceptor } = require('..')

const credentials = { accessKeyId: 'AKIDNONCE', secretAccessKey: 'nonce-secret-key' }
const scope = { region: 'us-east-1', service: 'execute-api' }
const fixed = new Date()
fixed.setMilliseconds(0)

async function serve() {
  const verifier = new Verifier({ credentials: { [credentials.accessKeyId]: credentials.secretAccessKey }, ...scope, replayCache: true })
  const seen = []
  const server = http.createServer(withSigV4(verifier, (req, res) => {
    seen.push(req.headers['x-request-nonce'])
    res.end('ok')
  }))
  await new Promise((r) => server.listen(0, '127.0.0.1', r))
  return { url: `http://127.0.0.1:${server.address().port}`, seen, close: () => new Promise((r) => { server.closeAllConnections(); server.close(r) }) }
}

test('fetch helper: nonce makes two identical calls in one second both accepted', async () => {
  const s = await serve()
  try {
    const f = createSignedFetch({ credentials, ...scope, now: () => fixed, nonce: true, retries: 0 })
    assert.equal((await f(`${s.url}/items`)).status, 200)
    assert.equal((await f(`${s.url}/items`)).status, 200)
    assert.equal(s.seen.length, 2)
    for (const n of s.seen) assert.match(n, /^[0-9a-f]{32}$/)
    assert.notEqual(s.seen[0], s.seen[1])
  } finally { await s.close() }
})

test('fetch helper without nonce: the identical copy is RequestReplayed, with advice', async () => {
  const s = await serve()
  try {
    const f = createSignedFetch({ credentials, ...scope, now: () => fixed, retries: 0 })
    assert.equal((await f(`${s.url}/items`)).status, 200)
    const r = await f(`${s.url}/items`)
    assert.equal(r.status, 403)
    const body = await r.json()
    assert.equal(body.__type, 'RequestReplayed')
    assert.match(body.message, /already accepted once/)
    assert.match(body.message, /X-Request-Nonce/)
    assert.match(body.message, /nonce: true/)
  } finally { await s.close() }
})

test('axios interceptor: nonce is signed and sent; identical calls both accepted', async () => {
  const s = await serve()
  try {
    const client = axios.create()
    client.interceptors.request.use(aws4Interceptor({ credentials, ...scope, nonce: true }))
    // Both calls are likely in the same second; with the nonce that no longer matters.
    assert.equal((await client.get(`${s.url}/items`)).status, 200)
    assert.equal((await client.get(`${s.url}/items`)).status, 200)
    assert.equal(s.seen.length, 2)
    assert.notEqual(s.seen[0], s.seen[1])
  } finally { await s.close() }
})
