'use strict'
// One Node instance of the fleet benchmark: `node fleet_server.js MODE PORT REDIS_URL PREFIX` serves a small
// handler behind withSigV4 on 127.0.0.1:PORT (node:http). MODE: `none` (no replay check), `memory` (the
// per-process cache: not fleet-safe, the reference) or `redis` (createRedisReplayStore on node-redis: the fleet
// shares one Redis). Prints `READY` once listening.
const http = require('node:http')
const { pkgRequire, dir } = require('../node/pkg')

const { Verifier, withSigV4, createRedisReplayStore } = pkgRequire(dir)
const { createClient } = pkgRequire('redis')

async function main() {
  const [mode, port, url, prefix] = process.argv.slice(2)
  let replayStore
  if (mode === 'redis') {
    const client = createClient({ url, disableOfflineQueue: true })
    client.on('error', () => {})
    await client.connect()
    replayStore = createRedisReplayStore({ client, prefix, timeoutMs: 2000 })
  }
  const verifier = new Verifier({
    credentials: { AKIDBENCH: 'bench-secret-key' }, region: 'us-east-1', service: 'execute-api', maxSkew: 3600,
    ...(mode === 'memory' ? { replayCache: true } : {}),
  })
  const body = '{"ok": true}'
  const app = (req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length })
    res.end(body)
  }
  const server = http.createServer(withSigV4(verifier, app, replayStore === undefined ? {} : { replayStore }))
  server.listen(Number(port), '127.0.0.1', 2048, () => console.log('READY'))
}

main().catch((e) => { console.error(e); process.exit(1) })
