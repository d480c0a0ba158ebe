'use strict'
// Throughput of a node:http server with and without the SigV4 middleware (withSigV4), measured by
// autocannon on 127.0.0.1 replaying one pre-signed request (the replay cache is off, as for any
// server that accepts retried requests). Prints a table and the commands; asserts nothing.
// Run with `make bench-node-middleware` (release build). Target: with >= 90% of without.
const { spawn } = require('node:child_process')
const path = require('node:path')
const os = require('node:os')
const autocannon = require('autocannon')
const { Signer } = require('..')

const DURATION = Number(process.env.BENCH_SECONDS || 8)
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS || 32)
const ROUNDS = Number(process.env.BENCH_ROUNDS || 3)
const credentials = { accessKeyId: 'AKIDBENCH', secretAccessKey: 'bench-secret' }

function startServer(mode) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(__dirname, 'middleware-server.js'), mode], { stdio: ['ignore', 'pipe', 'inherit'] })
    child.stdout.once('data', (d) => {
      const m = /listening on (\d+)/.exec(String(d))
      if (m) resolve({ child, port: Number(m[1]) })
      else reject(new Error(`server said ${d}`))
    })
    child.once('exit', (code) => reject(new Error(`server exited ${code}`)))
  })
}

function run(opts) {
  return new Promise((resolve, reject) => autocannon(opts, (err, result) => (err ? reject(err) : resolve(result))))
}

async function measure(mode, request) {
  const { child, port } = await startServer(mode)
  try {
    const base = `http://127.0.0.1:${port}`
    const signer = new Signer({ credentials, region: 'us-east-1', service: 'execute-api' })
    let opts
    if (request === 'presigned') {
      const url = signer.presign({ method: 'GET', url: `${base}/health?team=a` }, { expiresIn: 3600 }).url
      opts = { url, method: 'GET' }
    } else {
      const s = signer.sign({ method: 'POST', url: `${base}/jobs`, headers: { 'content-type': 'application/json' }, body: '{"task":"render"}' })
      const headers = { ...s.headers }
      delete headers.Host
      opts = { url: `${base}/jobs`, method: 'POST', headers, body: '{"task":"render"}' }
    }
    await run({ ...opts, connections: CONNECTIONS, duration: 1 }) // warm up
    const r = await run({ ...opts, connections: CONNECTIONS, duration: DURATION })
    const bad = r.non2xx + r.errors
    if (bad > 0) throw new Error(`${mode}/${request}: ${bad} non-2xx answers or errors`)
    return r.requests.average
  } finally {
    child.kill()
  }
}

async function main() {
  console.log(`node ${process.version}, ${os.cpus()[0].model} x${os.cpus().length}, load ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}`)
  console.log(`command: autocannon -c ${CONNECTIONS} -d ${DURATION} <url> (in-process API), best of ${ROUNDS} alternating rounds per row`)
  const rows = []
  for (const request of ['presigned', 'header']) {
    const best = { plain: 0, sigv4: 0 }
    for (let i = 0; i < ROUNDS; i++) {
      for (const mode of ['plain', 'sigv4']) best[mode] = Math.max(best[mode], await measure(mode, request))
    }
    const ratio = best.sigv4 / best.plain
    rows.push([request === 'presigned' ? 'GET presigned URL (replayed)' : 'POST signed headers + body (replayed)', best.plain.toFixed(0), best.sigv4.toFixed(0), `${(ratio * 100).toFixed(1)}%`, ratio >= 0.9 ? 'yes' : 'NO'])
  }
  const head = ['request', 'req/s without', 'req/s with withSigV4', 'with / without', '>= 90%']
  const table = [head, ...rows]
  const w = head.map((_, i) => Math.max(...table.map((r) => String(r[i]).length)))
  const line = (r) => '| ' + r.map((c, i) => String(c).padEnd(w[i])).join(' | ') + ' |'
  console.log(line(head))
  console.log('|' + w.map((x) => '-'.repeat(x + 2)).join('|') + '|')
  for (const r of rows) console.log(line(r))
}

main().catch((e) => { console.error(e); process.exit(1) })
