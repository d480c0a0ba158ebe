'use strict'
// The verification middleware under a real node:http server on 127.0.0.1, called by fetch and axios
// clients that sign through libsigv4: signed -> 200 with the identity; unsigned, tampered, expired
// and replayed requests -> 403 with AWS's code; 400 for malformed requests; 413 over maxBody.
const test = require('node:test')
const assert = require('node:assert/strict')
const http = require('node:http')
const axios = require('axios')
const { Signer, Verifier, withSigV4, sigv4Middleware, createSignedFetch, aws4Interceptor } = require('..')

const credentials = { accessKeyId: 'AKIDMIDDLEWARE', secretAccessKey: 'middleware-secret-key' }
const scope = { region: 'us-east-1', service: 'execute-api' }

function listen(handler) {
  const server = http.createServer(handler)
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => {
    const url = `http://127.0.0.1:${server.address().port}`
    resolve({ url, close: () => new Promise((r) => { server.closeAllConnections(); server.close(r) }) })
  }))
}

function echo(req, res) {
  res.writeHead(200, { 'content-type': 'application/json' })
  res.end(JSON.stringify({ who: req.sigv4, body: req.rawBody.toString('utf8'), isBuffer: Buffer.isBuffer(req.body) }))
}

/** Sends exactly the given method, path, headers and body (no client-added headers). */
function raw(url, method, path, headers, body) {
  return new Promise((resolve, reject) => {
    const u = new URL(url)
    const req = http.request({ host: u.hostname, port: u.port, method, path, headers, setHost: false }, (res) => {
      const chunks = []
      res.on('data', (c) => chunks.push(c))
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }))
    })
    req.on('error', reject)
    req.end(body)
  })
}

test('withSigV4 under node:http: fetch and axios clients', async (t) => {
  const verifier = new Verifier({ credentials: { [credentials.accessKeyId]: credentials.secretAccessKey }, ...scope })
  const server = await listen(withSigV4(verifier, echo))
  const signer = new Signer({ credentials, ...scope })
  try {
    await t.test('signed GET through createSignedFetch -> 200 with the identity', async () => {
      const signedFetch = createSignedFetch({ credentials, ...scope })
      const res = await signedFetch(`${server.url}/jobs?b=2&a=1`)
      assert.equal(res.status, 200)
      const out = await res.json()
      assert.equal(out.who.accessKeyId, credentials.accessKeyId)
      assert.equal(out.who.region, 'us-east-1')
      assert.equal(out.who.service, 'execute-api')
      assert.equal(out.who.presigned, false)
      assert.ok(out.who.signedHeaders.includes('host'))
    })

    await t.test('signed POST through axios with aws4Interceptor -> 200, body handed over', async () => {
      const client = axios.create()
      client.interceptors.request.use(aws4Interceptor({ credentials, ...scope }))
      const res = await client.post(`${server.url}/jobs`, { task: 'render', n: 3 })
      assert.equal(res.status, 200)
      assert.equal(res.data.who.accessKeyId, credentials.accessKeyId)
      assert.deepEqual(JSON.parse(res.data.body), { task: 'render', n: 3 })
      assert.equal(res.data.isBuffer, true)
    })

    await t.test('unsigned -> 403 MissingAuthenticationToken, AWS-style body and header', async () => {
      const res = await fetch(`${server.url}/jobs`)
      assert.equal(res.status, 403)
      assert.equal(res.headers.get('x-amzn-errortype'), 'MissingAuthenticationToken')
      const body = await res.json()
      assert.equal(body.__type, 'MissingAuthenticationToken')
      assert.match(body.message, /not signed/)
    })

    await t.test('tampered body -> 403 SignatureDoesNotMatch', async () => {
      const s = signer.sign({ method: 'POST', url: `${server.url}/jobs`, headers: { 'content-type': 'application/json' }, body: '{"amount":100}' })
      const res = await fetch(s.url, { method: 'POST', headers: s.headers, body: '{"amount":900}' })
      assert.equal(res.status, 403)
      assert.equal((await res.json()).__type, 'SignatureDoesNotMatch')
    })

    await t.test('expired presigned URL -> 403 RequestExpired', async () => {
      const s = signer.presign({ method: 'GET', url: `${server.url}/jobs/1`, timestamp: new Date(Date.now() - 7200e3) }, { expiresIn: 60 })
      const res = await fetch(s.url)
      assert.equal(res.status, 403)
      assert.equal((await res.json()).__type, 'RequestExpired')
      const fresh = signer.presign({ method: 'GET', url: `${server.url}/jobs/1` }, { expiresIn: 60 })
      const ok = await fetch(fresh.url)
      assert.equal(ok.status, 200)
      assert.equal((await ok.json()).who.presigned, true)
    })

    await t.test('malformed request -> 400, body over maxBody -> 413', async () => {
      const s = signer.sign({ method: 'GET', url: `${server.url}/a%zz` })
      const res = await raw(server.url, 'GET', '/a%zz', s.headers)
      assert.equal(res.status, 400)
      assert.equal(res.headers['x-amzn-errortype'], 'InvalidUrl')
      const small = await listen(withSigV4(verifier, echo, { maxBody: 8 }))
      try {
        const big = signer.sign({ method: 'POST', url: `${small.url}/jobs`, body: '0123456789' })
        const r1 = await raw(small.url, 'POST', '/jobs', { ...big.headers, 'content-length': '10' }, '0123456789')
        assert.equal(r1.status, 413)
        assert.equal(JSON.parse(r1.body).__type, 'RequestEntityTooLarge')
        const r2 = await raw(small.url, 'POST', '/jobs', { ...big.headers, 'transfer-encoding': 'chunked' }, '0123456789')
        assert.equal(r2.status, 413)
      } finally { await small.close() }
    })
  } finally {
    await server.close()
  }
})

test('the replay cache refuses the same signed request twice', async () => {
  const verifier = new Verifier({ credentials: { [credentials.accessKeyId]: credentials.secretAccessKey }, ...scope, replayCache: true })
  const server = await listen(withSigV4(verifier, echo))
  try {
    const s = new Signer({ credentials, ...scope }).sign({ method: 'GET', url: `${server.url}/health` })
    const first = await fetch(s.url, { headers: s.headers })
    assert.equal(first.status, 200)
    const second = await fetch(s.url, { headers: s.headers })
    assert.equal(second.status, 403)
    assert.equal((await second.json()).__type, 'RequestReplayed')
  } finally {
    await server.close()
  }
})

test('Express-style use: (req, res, next), errors to next, explainMismatch', async () => {
  const calls = []
  const lookup = (akid) => { if (akid === 'AKIDBROKEN') throw new Error('store down'); return akid === credentials.accessKeyId ? credentials.secretAccessKey : undefined }
  const verifier = new Verifier({ credentials: lookup, ...scope })
  const mw = sigv4Middleware(verifier, { explainMismatch: true })
  // A two-step chain as Express runs it: the middleware, then the route, or the error handler.
  const server = await listen((req, res) => mw(req, res, (err) => {
    calls.push(err ? 'error' : 'route')
    if (err) { res.writeHead(500); return res.end(String(err.message)) }
    echo(req, res)
  }))
  try {
    const s = new Signer({ credentials, ...scope }).sign({ method: 'PUT', url: `${server.url}/items/7`, body: 'v1' })
    const ok = await fetch(s.url, { method: 'PUT', headers: s.headers, body: Buffer.from('v1') })
    assert.equal(ok.status, 200)
    assert.equal((await ok.json()).body, 'v1')
    const bad = await fetch(s.url, { method: 'PUT', headers: s.headers, body: Buffer.from('v2') })
    const answer = await bad.json()
    assert.equal(answer.__type, 'SignatureDoesNotMatch')
    assert.match(answer.canonicalRequest, /^PUT\n\/items\/7\n/)
    assert.match(answer.stringToSign, /^AWS4-HMAC-SHA256\n/)
    const broken = new Signer({ credentials: { accessKeyId: 'AKIDBROKEN', secretAccessKey: 'x' }, ...scope }).sign({ method: 'GET', url: `${server.url}/x` })
    const err = await fetch(broken.url, { headers: broken.headers })
    assert.equal(err.status, 500)
    assert.equal(await err.text(), 'store down')
    assert.deepEqual(calls, ['route', 'error'])
  } finally {
    await server.close()
  }
  assert.throws(() => sigv4Middleware({}), (e) => e.code === 'InvalidOption')
  assert.throws(() => sigv4Middleware(verifier, { maxBody: -1 }), (e) => e.code === 'InvalidOption')
})
