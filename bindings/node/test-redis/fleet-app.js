'use strict'
// One instance of a verifying API for the fleet tests: `node fleet-app.js REDIS_URL`. node:http +
// withSigV4 with a node-redis replay store; prints `PORT <n>` once listening on 127.0.0.1.
const http = require('node:http')
const { createClient } = require('redis')
const { Verifier, withSigV4, createRedisReplayStore } = require('..')

async function main() {
  const client = createClient({ url: process.argv[2], disableOfflineQueue: true, socket: { reconnectStrategy: () => 100, connectTimeout: 1000 } })
  client.on('error', () => {}) // reconnects on its own; each claim meanwhile fails closed
  await client.connect()
  const replayStore = createRedisReplayStore({ client, prefix: 'sigv4-test:', timeoutMs: 5000 })
  const verifier = new Verifier({ credentials: { AKIDFLEET: 'fleet-secret-key' }, region: 'us-east-1', service: 'execute-api' })
  const server = http.createServer(withSigV4(verifier, (req, res) => res.end(req.sigv4.accessKeyId), { replayStore }))
  server.listen(0, '127.0.0.1', 1024, () => console.log(`PORT ${server.address().port}`))
}

main().catch((e) => { console.error(e); process.exit(1) })
