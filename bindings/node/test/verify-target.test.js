'use strict'
// Issue 23 reproducers: what the verifier checks is the request-target the application receives.
// The Verifier and the middleware go through the core's one reading of the raw target
// (RequestTarget::parse). Requests are signed by libsigv4 or aws4 for /a; expected outcomes are
// codes and statuses, not signatures. Each test failed before the fix.
const test = require('node:test')
const assert = require('node:assert/strict')
const http = require('node:http')
const net = require('node:net')
const aws4 = require('aws4')
const { Signer, Verifier, withSigV4 } = require('..')

const HOST = 'example.amazonaws.com'
const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' }
const NOW = new Date('2015-08-30T12:36:00Z')
const signer = new Signer({ credentials, region: 'us-east-1', service: 'service' })

function verifier(extra = {}) {
  return new Verifier({ credentials: { [credentials.accessKeyId]: credentials.secretAccessKey }, region: 'us-east-1', service: 'service', ...extra })
}

function signedHeaders(path = '/a') {
  return signer.sign({ method: 'GET', url: `https://${HOST}${path}`, timestamp: NOW }).headers
}

function codeOf(fn) {
  try {
    fn()
    return 'verifies'
  } catch (e) {
    return e.code
  }
}

test('a raw # in the target is refused (400), never cut', () => {
  const v = verifier()
  const headers = signedHeaders()
  assert.equal(codeOf(() => v.verify({ method: 'GET', url: '/a', headers }, { now: NOW })), 'verifies')
  for (const url of ['/a#x?evil=1', '/a#?evil=1', '/a#', `https://${HOST}/a#x?evil=1`]) {
    assert.throws(() => v.verify({ method: 'GET', url, headers }, { now: NOW }),
      (e) => e.code === 'InvalidUrl' && e.status === 400 && e.message.includes('#'), url)
  }
})

test('an absolute-form authority must agree with Host', () => {
  const v = verifier()
  const headers = signedHeaders('/a?x=1')
  for (const url of [`https://${HOST}/a?x=1`, `http://${HOST.toUpperCase()}:80/a?x=1`]) {
    assert.equal(codeOf(() => v.verify({ method: 'GET', url, headers }, { now: NOW })), 'verifies', url)
  }
  for (const url of ['https://evil.example/a?x=1', `https://${HOST}./a?x=1`, `https://${HOST}:8443/a?x=1`]) {
    assert.equal(codeOf(() => v.verify({ method: 'GET', url, headers }, { now: NOW })), 'InvalidUrl', url)
  }
})

test('a non-UTF-8 query key is read the same whatever its length', () => {
  const v = verifier()
  for (const url of ['/a?%FF=xxxxxx', '/a?%FF=xxxxx', '/a?%FF%FE=1&b=%FF']) {
    assert.equal(codeOf(() => v.verify({ method: 'GET', url, headers: signedHeaders(url) }, { now: NOW })), 'verifies', url)
  }
})

test('allowUnsignedPayload accepts ordinary presigned URLs (libsigv4 and aws4)', () => {
  const ours = signer.presign({ method: 'GET', url: `https://${HOST}/a?x=1`, timestamp: NOW }, { expiresIn: 300 }).url
  const signed = aws4.sign({ host: HOST, path: '/a?x=1&X-Amz-Expires=300', service: 'service', region: 'us-east-1', signQuery: true }, credentials)
  const theirs = signed.path
  const theirTime = new URL(`https://${HOST}${theirs}`).searchParams.get('X-Amz-Date')
  const defaults = verifier()
  const allowing = verifier({ allowUnsignedPayload: true })
  const headers = { host: HOST }
  for (const [url, now] of [[ours, NOW], [theirs, theirTime]]) {
    assert.equal(codeOf(() => defaults.verify({ method: 'GET', url, headers }, { now })), 'verifies', url)
    assert.equal(codeOf(() => allowing.verify({ method: 'GET', url, headers }, { now })), 'verifies', url)
  }
})

test('signing drops the fragment as the WHATWG URL parser does', () => {
  for (const url of ['https://h.example/a#b?c=d', 'https://h.example/a?x=1#y?z=2', 'https://h.example/a#', 'https://h.example/p%20q?x=1#f']) {
    const s = signer.sign({ method: 'GET', url, timestamp: NOW })
    const sent = new URL(url)
    sent.hash = ''
    assert.equal(s.url, sent.href.replace(/#$/, ''), url)
    const [, path, query] = s.canonicalRequest.split('\n')
    assert.equal(path, sent.pathname.replace(/%20/g, '%2520'), url)
    assert.equal(query === '', sent.search === '', url)
  }
})

/** Writes `bytes` to the server and returns the response status (0 when the socket closes without one). */
function rawRequest(port, bytes) {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.end(bytes))
    let data = ''
    socket.on('data', (c) => { data += c.toString('latin1') })
    socket.on('close', () => resolve(Number((/^HTTP\/1\.1 (\d{3})/.exec(data) || [0, 0])[1])))
    socket.on('error', () => {})
  })
}

test('the middleware keeps an unsigned query from the application (raw bytes on a socket)', async () => {
  const seen = []
  const v = verifier()
  const server = http.createServer(withSigV4(v, (req, res) => { seen.push(req.url); res.end('ok') }, { clock: () => NOW }))
  await new Promise((r) => server.listen(0, '127.0.0.1', r))
  const port = server.address().port
  const lines = Object.entries(signedHeaders()).map(([n, val]) => `${n}: ${val}\r\n`).join('')
  try {
    assert.equal(await rawRequest(port, `GET /a HTTP/1.1\r\n${lines}Connection: close\r\n\r\n`), 200)
    assert.equal(await rawRequest(port, `GET /a#x?evil=1 HTTP/1.1\r\n${lines}Connection: close\r\n\r\n`), 400)
    // Absolute-form reaches a node:http handler as req.url = the whole URL: refused.
    assert.equal(await rawRequest(port, `GET http://${HOST}/a HTTP/1.1\r\n${lines}Connection: close\r\n\r\n`), 400)
    assert.equal(await rawRequest(port, `GET http://evil.example/a HTTP/1.1\r\n${lines}Connection: close\r\n\r\n`), 400)
    assert.deepEqual(seen, ['/a'])
  } finally {
    server.closeAllConnections()
    await new Promise((r) => server.close(r))
  }
})
