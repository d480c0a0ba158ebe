'use strict'
// The Node half of `make bench-replay`'s first table (bench_replay.py runs it and prints the table):
// `node in_process.js REQUESTS.tsv REDIS_URL` verifies each pre-signed request (path TAB x-amz-date TAB
// authorization; distinct, all valid at the file's signing time) once per mode, in one process, and prints one
// JSON line per mode: `none` (no replay check), `memory` (the in-process replay cache) and `redis` (verify, then
// the middleware's claim through createRedisReplayStore and node-redis: one SET NX PX round trip, awaited
// before the next request, as one request at a time sees it). Wall and CPU microseconds per request.
const fs = require('node:fs')
const { pkgRequire, dir } = require('../node/pkg')

const { Verifier, createRedisReplayStore } = pkgRequire(dir)
const { claimReplay } = pkgRequire('./lib/replay-store.js')
const { createClient } = pkgRequire('redis')

const HOST = 'api.bench.test'
const KEYS = { AKIDBENCH: 'bench-secret-key' }

function load(file) {
  return fs.readFileSync(file, 'utf8').trim().split('\n').map((line) => line.split('\t'))
}

function epoch(stamp) {
  const m = /^(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z$/.exec(stamp)
  return Date.UTC(+m[1], m[2] - 1, +m[3], +m[4], +m[5], +m[6]) / 1000
}

async function run(mode, rows, client) {
  const verifier = new Verifier({
    credentials: KEYS, region: 'us-east-1', service: 'execute-api', maxSkew: 3600,
    ...(mode === 'memory' ? { replayCache: rows.length + 1 } : {}),
  })
  const store = mode === 'redis'
    ? createRedisReplayStore({ client, prefix: `sigv4-bench-node-${process.hrtime.bigint()}:`, timeoutMs: 2000 })
    : undefined
  const now = epoch(rows[0][1])
  const cpu = process.cpuUsage()
  const start = process.hrtime.bigint()
  for (const [path, date, auth] of rows) {
    const who = verifier.verify({ method: 'GET', url: path, headers: [['Host', HOST], ['X-Amz-Date', date], ['Authorization', auth]] }, { now })
    if (store !== undefined) await claimReplay(store, who, now)
  }
  const wall = Number(process.hrtime.bigint() - start) / 1e3 / rows.length
  const used = process.cpuUsage(cpu)
  return { mode, us: wall, cpu_us: (used.user + used.system) / rows.length }
}

async function main() {
  const [file, url] = process.argv.slice(2)
  const rows = load(file)
  const client = createClient({ url, disableOfflineQueue: true })
  client.on('error', () => {})
  await client.connect()
  // One warm-up pass (JIT, connection), then ROUNDS rounds of every mode in turn (a shared machine's
  // load changes from second to second; the Python side reports the median per mode). Each round's
  // Redis store has its own key prefix, so the same requests are fresh again.
  await run('redis', rows.slice(0, 2000), client)
  const rounds = Number(process.env.BENCH_IN_PROCESS_ROUNDS || 3)
  for (let round = 0; round < rounds; round++) {
    for (const mode of ['none', 'memory', 'redis']) console.log(JSON.stringify(await run(mode, rows, client)))
  }
  await client.quit()
}

main().catch((e) => { console.error(e); process.exit(1) })
