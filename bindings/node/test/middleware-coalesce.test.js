'use strict'
// The middleware's `coalesce` option: requests that arrive in one event-loop turn are verified back to
// back once the turn's I/O is read (setImmediate), each still answered on its own, in arrival order;
// `coalesce: false` verifies inside the call. The requests here are handed to the middleware directly
// (several in one turn, which a loaded server does through its sockets) and to a real server.
const test = require('node:test')
const assert = require('node:assert/strict')
const http = require('node:http')
const { Signer, Verifier, withSigV4, sigv4Middleware, SigV4Error } = require('..')

const credentials = { accessKeyId: 'AKIDCOALESCE', secretAccessKey: 'coalesce-secret-key' }
const scope = { region: 'us-east-1', service: 'execute-api' }
const verifier = new Verifier({ credentials: { AKIDCOALESCE: 'coalesce-secret-key' }, ...scope })
const signer = new Signer({ credentials, ...scope })

/** A bodiless GET as node:http hands it to a handler (rawHeaders as received), signed or tampered. */
function request(path, { tamper = false } = {}) {
  const signed = signer.sign({ method: 'GET', url: `http://api.example.com${path}` })
  const rawHeaders = []
  for (const [k, v] of Object.entries(signed.headers)) rawHeaders.push(k, v)
  return { method: 'GET', url: tamper ? `${path}&x=1` : path, rawHeaders, headers: {}, socket: {} }
}

/** A response that records what the middleware answered. */
function response() {
  const res = { status: undefined, body: '', headersSent: false }
  res.writeHead = (status) => { res.status = status; res.headersSent = true; return res }
  res.end = (body) => { res.body = String(body || '') }
  return res
}

const turn = () => new Promise((resolve) => setImmediate(resolve))

test('requests of one turn are verified after it, each with its own identity and answer, in order', async () => {
  const seen = []
  const handle = withSigV4(verifier, (req, res) => {
    seen.push(req.url)
    res.writeHead(200)
    res.end(req.sigv4.accessKeyId)
  })
  const reqs = [request('/a?n=1'), request('/b?n=2', { tamper: true }), request('/c?n=3'), request('/d?n=4')]
  const ress = reqs.map(() => response())
  reqs.forEach((req, i) => handle(req, ress[i]))
  // Nothing has run yet: the turn is still being read.
  assert.deepEqual(seen, [])
  assert.equal(ress[0].status, undefined)
  await turn()
  assert.deepEqual(seen, ['/a?n=1', '/c?n=3', '/d?n=4'])
  assert.deepEqual(ress.map((r) => r.status), [200, 403, 200, 200])
  assert.equal(ress[0].body, 'AKIDCOALESCE')
  assert.equal(JSON.parse(ress[1].body).__type, 'SignatureDoesNotMatch')
})

test('coalesce: false verifies and calls the handler inside the call', () => {
  let ran = 0
  const handle = withSigV4(verifier, (req, res) => { ran++; res.writeHead(200); res.end('ok') }, { coalesce: false })
  const res = response()
  handle(request('/now?x=1'), res)
  assert.equal(ran, 1)
  assert.equal(res.status, 200)
})

test('a handler that throws does not strand the requests queued after it', async () => {
  const handle = withSigV4(verifier, (req, res) => {
    if (req.url.startsWith('/boom')) throw new Error('handler failed')
    res.writeHead(200)
    res.end('ok')
  })
  const errors = []
  const listeners = process.listeners('uncaughtException')
  process.removeAllListeners('uncaughtException')
  process.on('uncaughtException', (e) => errors.push(e.message))
  try {
    const ress = [response(), response(), response()]
    handle(request('/boom?n=1'), ress[0])
    handle(request('/fine?n=2'), ress[1])
    handle(request('/fine?n=3'), ress[2])
    await turn()
    await turn()
    assert.deepEqual(errors, ['handler failed'])
    assert.deepEqual(ress.map((r) => r.status), [undefined, 200, 200])
  } finally {
    process.removeAllListeners('uncaughtException')
    for (const l of listeners) process.on('uncaughtException', l)
  }
})

test('coalesce must be a boolean', () => {
  for (const coalesce of ['yes', 1, null]) {
    assert.throws(() => sigv4Middleware(verifier, { coalesce }), (e) => e instanceof SigV4Error && e.code === 'InvalidOption' && e.argument === 'coalesce')
  }
})

test('a real server with coalescing answers many concurrent signed requests, each its own', async () => {
  const server = http.createServer(withSigV4(verifier, (req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' })
    res.end(`${req.sigv4.accessKeyId} ${req.url} ${req.rawBody.toString('utf8')}`)
  }))
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  const base = `http://127.0.0.1:${server.address().port}`
  try {
    const sends = []
    for (let i = 0; i < 64; i++) {
      const body = i % 2 === 0 ? '' : `{"n":${i}}`
      const method = body === '' ? 'GET' : 'POST'
      const signed = signer.sign({ method, url: `${base}/item?i=${i}`, body, headers: method === 'GET' ? {} : { 'content-type': 'application/json' } })
      const headers = { ...signed.headers }
      if (i % 7 === 3) headers.Authorization = headers.Authorization.replace(/.$/, (c) => (c === '0' ? '1' : '0'))
      sends.push(fetch(`${base}/item?i=${i}`, { method, headers, body: method === 'GET' ? undefined : body })
        .then(async (r) => [r.status, await r.text()]))
    }
    const got = await Promise.all(sends)
    got.forEach(([status, text], i) => {
      if (i % 7 === 3) {
        assert.equal(status, 403, `request ${i}`)
      } else {
        assert.equal(status, 200, `request ${i}: ${text}`)
        assert.equal(text, `AKIDCOALESCE /item?i=${i} ${i % 2 === 0 ? '' : `{"n":${i}}`}`)
      }
    })
  } finally {
    server.closeAllConnections()
    await new Promise((resolve) => server.close(resolve))
  }
})
