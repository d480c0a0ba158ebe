'use strict'
// `trustedProxies` on sigv4Middleware / withSigV4: behind a reverse proxy that rewrites Host and strips a path
// prefix (a small forwarding proxy started here on 127.0.0.1, setting X-Forwarded-Host / X-Forwarded-Prefix),
// a request signed (by aws4) for the public URL verifies when the proxy is trusted; from an untrusted peer the
// headers are ignored (verified as received), crafted headers from loopback included; a malformed value from
// a trusted proxy is a 400. Under node:http and Express. The rule itself is the core's.
const test = require('node:test')
const assert = require('node:assert/strict')
const http = require('node:http')
const aws4 = require('aws4')
const express = require('express5')
const { Verifier, withSigV4, sigv4Middleware } = require('..')

const credentials = { accessKeyId: 'AKIDPROXY', secretAccessKey: 'proxy-secret-key' }
const verifier = new Verifier({ credentials: { AKIDPROXY: 'proxy-secret-key' }, region: 'us-east-1', service: 'execute-api' })

const listen = (server) => new Promise((r) => server.listen(0, '127.0.0.1', () => r(server.address().port)))
const close = (server) => new Promise((r) => { server.closeAllConnections(); server.close(r) })

function backendHttp(options) {
  return http.createServer(withSigV4(verifier, (req, res) => res.end(JSON.stringify({ url: req.url, who: req.sigv4.accessKeyId })), options))
}

function backendExpress(options) {
  const app = express()
  app.use(sigv4Middleware(verifier, options))
  app.get('/items', (req, res) => res.json({ url: req.url, who: req.sigv4.accessKeyId }))
  return http.createServer(app)
}

/** A reverse proxy: /api/x -> backend /x, Host rewritten, X-Forwarded-Host / -Prefix set. */
function proxyTo(port, forwardedPrefix = '/api') {
  return http.createServer((req, res) => {
    const path = req.url.startsWith('/api') ? req.url.slice(4) || '/' : req.url
    const headers = { ...req.headers, host: `127.0.0.1:${port}`, 'x-forwarded-host': req.headers.host, 'x-forwarded-prefix': forwardedPrefix }
    const up = http.request({ host: '127.0.0.1', port, method: req.method, path, headers }, (answer) => {
      res.writeHead(answer.statusCode, answer.headers)
      answer.pipe(res)
    })
    req.pipe(up)
  })
}

function signed(host, path, extra = {}) {
  return aws4.sign({ host, path, method: 'GET', service: 'execute-api', region: 'us-east-1', headers: { ...extra } }, credentials).headers
}

async function viaProxy(backend, forwardedPrefix) {
  const port = await listen(backend)
  const proxy = proxyTo(port, forwardedPrefix)
  const pport = await listen(proxy)
  try {
    const host = `127.0.0.1:${pport}`
    const r = await fetch(`http://${host}/api/items?x=1`, { headers: signed(host, '/api/items?x=1') })
    return { status: r.status, body: await r.json() }
  } finally {
    await close(proxy)
    await close(backend)
  }
}

for (const [name, make] of [['node:http', backendHttp], ['Express', backendExpress]]) {
  test(`${name}: behind a trusted proxy the public URL verifies`, async () => {
    const r = await viaProxy(make({ trustedProxies: ['127.0.0.1'] }))
    assert.equal(r.status, 200, JSON.stringify(r.body))
    assert.deepEqual(r.body, { url: '/items?x=1', who: 'AKIDPROXY' })
    const bad = await viaProxy(make({ trustedProxies: ['127.0.0.0/8'] }), 'api')
    assert.equal(bad.status, 400)
    assert.equal(bad.body.__type, 'InvalidHeaderValue')
  })

  test(`${name}: forwarded headers of untrusted peers are ignored`, async () => {
    for (const trustedProxies of [undefined, ['10.0.0.0/8', '::2']]) {
      const r = await viaProxy(make({ trustedProxies }))
      assert.equal(r.status, 403)
      assert.equal(r.body.__type, 'SignatureDoesNotMatch')
    }
    // A client on loopback crafting the headers: ignored — signed for what it reached, it verifies.
    const server = make({ trustedProxies: ['10.0.0.0/8'] })
    const port = await listen(server)
    try {
      const host = `127.0.0.1:${port}`
      const forged = { 'X-Forwarded-Host': 'forged.example', 'X-Forwarded-Prefix': '/api' }
      assert.equal((await fetch(`http://${host}/items?x=1`, { headers: { ...signed(host, '/items?x=1'), ...forged } })).status, 200)
      const h = signed('forged.example', '/api/items?x=1')
      delete h.Host
      assert.equal((await fetch(`http://${host}/items?x=1`, { headers: { ...h, ...forged } })).status, 403)
    } finally { await close(server) }
  })
}

test('trusted loopback: the last X-Forwarded-Host is the one used; bad options refused', async () => {
  const server = backendHttp({ trustedProxies: ['127.0.0.1', '::1'] })
  const port = await listen(server)
  try {
    const h = signed('public.example', '/items?x=1')
    delete h.Host
    const url = `http://127.0.0.1:${port}/items?x=1`
    assert.equal((await fetch(url, { headers: { ...h, 'X-Forwarded-Host': 'public.example' } })).status, 200)
    assert.equal((await fetch(url, { headers: { ...h, 'X-Forwarded-Host': 'public.example, other.example' } })).status, 403)
  } finally { await close(server) }
  for (const bad of ['127.0.0.1', ['10.0.0.0/33'], [7]]) {
    assert.throws(() => sigv4Middleware(verifier, { trustedProxies: bad }), (e) => e.code === 'InvalidOption' && e.argument === 'trustedProxies')
  }
})
