'use strict'
// The server of bench-middleware.js: the same node:http handler with (`sigv4`) or without
// (`plain`) withSigV4 in front, on 127.0.0.1, in its own process. Prints `listening on PORT`;
// answers an IPC message `cpu` with its CPU time so far (process.cpuUsage, microseconds).
const http = require('node:http')
const { Verifier, withSigV4 } = require('..')

const mode = process.argv[2]

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
const server = http.createServer(mode === 'sigv4' ? withSigV4(verifier, handler) : handler)
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
