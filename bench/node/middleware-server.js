'use strict'
// The server of bench-middleware.js: the same node:http handler with (`sigv4`) or without
// (`plain`) withSigV4 in front, or the same Express app bare or with a SigV4 middleware (`express-*`), on 127.0.0.1, in its own process. Prints `listening on PORT`;
// answers an IPC message `cpu` with its CPU time so far (process.cpuUsage, microseconds).
const http = require('node:http')
const { dir, pkgRequire } = require('./pkg')
const { Verifier, withSigV4, sigv4Middleware } = pkgRequire(dir)

const mode = process.argv[2]

// Controls: withSigV4 with the verification replaced by nothing (`noop`: what the middleware's
// JavaScript and its per-turn scheduling (`coalesce`) do to the server; `noop-each` with coalesce off)
// or by a busy wait of 5 µs (`spin5-each`, coalesce off, BENCH_CONTROLS=1: what any 5 µs of work per request costs this
// server), so the verifier's share can be told apart.
if (mode === 'noop' || mode === 'noop-each' || mode === 'spin5-each') {
  const { Verifier: V, VERIFY_RAW } = pkgRequire('./lib/verifier')
  const { VerifiedIdentity } = pkgRequire('./lib/identity')
  const who = () => new VerifiedIdentity('AKIDBENCH\0us-east-1\0execute-api\0host\0\0' + '0\0\0' + '0\0\0AWS4-HMAC-SHA256\0')
  V.prototype[VERIFY_RAW] = mode.startsWith('noop') ? who : function spin() {
    const until = process.hrtime.bigint() + 5000n
    while (process.hrtime.bigint() < until);
    return who()
  }
}

// A small JSON API answer, as a realistic handler would send: who called, what it got.
function answer(req, res, body) {
  const out = JSON.stringify({ ok: true, caller: req.sigv4 ? req.sigv4.accessKeyId : null, got: body.length })
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(out) })
  res.end(out)
}

// Both servers see the body: withSigV4 hands it over as req.rawBody; without it, the handler
// reads the stream itself (only when the request has one, as the middleware does).
const handler = (req, res) => {
  if (req.rawBody !== undefined) return answer(req, res, req.rawBody)
  if (req.headers['content-length'] === undefined && req.headers['transfer-encoding'] === undefined) return answer(req, res, Buffer.alloc(0))
  const chunks = []
  req.on('data', (c) => chunks.push(c))
  req.on('end', () => answer(req, res, Buffer.concat(chunks)))
}
const verifier = new Verifier({ credentials: { AKIDBENCH: 'bench-secret' }, region: 'us-east-1', service: 'execute-api' })

// The same small Express app (express.raw reads the body, one route answers as above) bare
// (`express-plain`), with our sigv4Middleware in front (`express-sigv4`), or with
// @filen/aws4-express's awsVerify (`express-filen`, its documented set-up: the raw body kept by
// express.raw's verify hook).
function expressApp() {
  const express = pkgRequire('express')
  const app = express()
  app.disable('x-powered-by')
  app.disable('etag')
  if (mode === 'express-sigv4') app.use(sigv4Middleware(verifier))
  if (mode === 'express-filen') {
    const { awsVerify, rawBodyFromVerify } = pkgRequire('@filen/aws4-express')
    app.use(express.raw({ type: '*/*', verify: rawBodyFromVerify }))
    app.use(awsVerify({ secretKey: (message) => (message.accessKey === 'AKIDBENCH' ? 'bench-secret' : undefined) }))
  } else {
    app.use(express.raw({ type: '*/*' }))
  }
  app.all('*', (req, res) => {
    const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0)
    answer(req, res, body)
  })
  return app
}

// `*-each`: withSigV4 with `coalesce: false` (each request verified inside the 'request' event).
const options = { coalesce: !mode.endsWith('-each') }
const server = http.createServer(mode.startsWith('express-') ? expressApp() : mode === 'plain' ? handler : withSigV4(verifier, handler, options))
server.keepAliveTimeout = 60000
server.listen(0, '127.0.0.1', () => console.log(`listening on ${server.address().port}`))
process.on('message', (m) => {
  if (m === 'cpu') {
    const u = process.cpuUsage()
    process.send({ cpu: u.user + u.system })
  }
})
process.on('disconnect', () => process.exit(0))
process.on('SIGINT', () => process.exit(0))
