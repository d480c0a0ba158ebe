'use strict'
// Throughput of a node:http server with and without the SigV4 middleware (withSigV4), measured by
// autocannon on 127.0.0.1 replaying one signed request (the replay cache is off, as for any server
// that accepts retried requests). Prints a table and the method; asserts nothing.
// Run with `make bench-node-middleware` (release build). Target (issue 6): with >= 90% of without.
//
// Method, for a shared machine: both servers (bench/middleware-server.js, the same handler
// answering a small JSON body, with and without withSigV4) run in their own processes for the
// whole run; each round loads one then the other back to back (the order alternates between
// rounds) and gives one ratio; the table shows the median ratio over the rounds. The servers also
// report the CPU time they spent, so the table shows server CPU per request too: on a machine
// where other work competes for the cores, that ratio moves less than throughput does.
// BENCH_SECONDS, BENCH_ROUNDS, BENCH_CONNECTIONS override the defaults; BENCH_PIN=1 pins the servers
// to CPU 1 and the load generator to CPU 0 (taskset), so neither migrates between the cores.
const { spawn, execFileSync } = require('node:child_process')
const path = require('node:path')
const os = require('node:os')
const autocannon = require('autocannon')
const { Signer } = require('..')

const DURATION = Number(process.env.BENCH_SECONDS || 5)
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS || 32)
const ROUNDS = Number(process.env.BENCH_ROUNDS || 5)
const PIN = process.env.BENCH_PIN === '1'
const credentials = { accessKeyId: 'AKIDBENCH', secretAccessKey: 'bench-secret' }

function startServer(mode) {
  return new Promise((resolve, reject) => {
    const args = [process.execPath, path.join(__dirname, 'middleware-server.js'), mode]
    if (PIN) args.unshift('taskset', '-c', '1')
    const child = spawn(args[0], args.slice(1), { stdio: ['ignore', 'pipe', 'inherit', 'ipc'] })
    child.stdout.once('data', (d) => {
      const m = /listening on (\d+)/.exec(String(d))
      if (m) resolve({ child, port: Number(m[1]) })
      else reject(new Error(`server said ${d}`))
    })
    child.once('exit', (code) => reject(new Error(`server exited ${code}`)))
  })
}

/** The server's CPU time so far, in microseconds. */
function cpu(server) {
  return new Promise((resolve) => {
    server.child.once('message', (m) => resolve(m.cpu))
    server.child.send('cpu')
  })
}

function run(opts) {
  return new Promise((resolve, reject) => autocannon(opts, (err, result) => (err ? reject(err) : resolve(result))))
}

/** The autocannon options of `request` sent to `port` (signed once, replayed). */
function requestOptions(request, port) {
  const base = `http://127.0.0.1:${port}`
  const signer = new Signer({ credentials, region: 'us-east-1', service: 'execute-api' })
  if (request === 'presigned') {
    return { url: signer.presign({ method: 'GET', url: `${base}/health?team=a` }, { expiresIn: 3600 }).url, method: 'GET' }
  }
  const s = signer.sign({ method: 'POST', url: `${base}/jobs`, headers: { 'content-type': 'application/json' }, body: '{"task":"render"}' })
  const headers = { ...s.headers }
  delete headers.Host
  return { url: `${base}/jobs`, method: 'POST', headers, body: '{"task":"render"}' }
}

/** Loads `server` for `seconds`: requests per second and server CPU microseconds per request. */
async function measure(server, opts, seconds) {
  const before = await cpu(server)
  const r = await run({ ...opts, connections: CONNECTIONS, duration: seconds })
  const spent = (await cpu(server)) - before
  const bad = r.non2xx + r.errors
  if (bad > 0) throw new Error(`${bad} non-2xx answers or errors`)
  return { rps: r.requests.average, cpuPerRequest: spent / r.requests.total }
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b)
  const m = s.length >> 1
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2
}

async function main() {
  console.log(`node ${process.version}, ${os.cpus()[0].model} x${os.cpus().length}, load ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}`)
  console.log(`method: autocannon -c ${CONNECTIONS} -d ${DURATION} (in-process API) on 127.0.0.1; servers in their own processes; ` +
    `${ROUNDS} rounds, each loading both servers back to back (order alternating); median per-round ratio` +
    (PIN ? '; servers pinned to CPU 1, load generator to CPU 0' : ''))
  if (PIN) execFileSync('taskset', ['-cp', '0', String(process.pid)], { stdio: 'ignore' })
  const servers = { plain: await startServer('plain'), sigv4: await startServer('sigv4') }
  const rows = []
  try {
    for (const request of ['presigned', 'header']) {
      const opts = { plain: requestOptions(request, servers.plain.port), sigv4: requestOptions(request, servers.sigv4.port) }
      for (const mode of ['plain', 'sigv4']) await measure(servers[mode], opts[mode], 1) // warm up
      const got = { plain: [], sigv4: [] }
      const ratios = []
      const cpuRatios = []
      for (let i = 0; i < ROUNDS; i++) {
        const order = i % 2 === 0 ? ['plain', 'sigv4'] : ['sigv4', 'plain']
        const m = {}
        for (const mode of order) m[mode] = await measure(servers[mode], opts[mode], DURATION)
        for (const mode of order) got[mode].push(m[mode])
        ratios.push(m.sigv4.rps / m.plain.rps)
        cpuRatios.push(m.plain.cpuPerRequest / m.sigv4.cpuPerRequest)
      }
      const ratio = median(ratios)
      rows.push([
        request === 'presigned' ? 'GET presigned URL (replayed)' : 'POST signed headers + body (replayed)',
        median(got.plain.map((x) => x.rps)).toFixed(0),
        median(got.sigv4.map((x) => x.rps)).toFixed(0),
        `${(ratio * 100).toFixed(1)}% (${ratios.map((r) => (r * 100).toFixed(0)).join(' ')})`,
        `${median(got.plain.map((x) => x.cpuPerRequest)).toFixed(1)} / ${median(got.sigv4.map((x) => x.cpuPerRequest)).toFixed(1)}`,
        `${(median(cpuRatios) * 100).toFixed(1)}%`,
        ratio >= 0.9 ? 'yes' : 'NO',
      ])
    }
  } finally {
    for (const s of Object.values(servers)) s.child.kill()
  }
  const head = ['request', 'req/s without', 'req/s with withSigV4', 'with / without (median; rounds)', 'server CPU µs/req without / with', 'CPU ratio', '>= 90%']
  const table = [head, ...rows]
  const w = head.map((_, i) => Math.max(...table.map((r) => String(r[i]).length)))
  const line = (r) => '| ' + r.map((c, i) => String(c).padEnd(w[i])).join(' | ') + ' |'
  console.log(line(head))
  console.log('|' + w.map((x) => '-'.repeat(x + 2)).join('|') + '|')
  for (const r of rows) console.log(line(r))
}

main().catch((e) => { console.error(e); process.exit(1) })
