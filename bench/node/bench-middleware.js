'use strict'
// Throughput of a node:http server with and without the SigV4 middleware (withSigV4) on 127.0.0.1,
// replaying one signed request (the replay cache is off, as for any server that accepts retried
// requests). Prints a table and the method; asserts nothing.
// Run with `make bench-node-middleware` (release build). Targets (issue 17 item 7): node:http with
// withSigV4 >= 70% of without; the Express app with sigv4Middleware >= 90% of without, and its added
// CPU per request at most a third of what @filen/aws4-express adds in the same app and run.
//
// Both servers (bench/middleware-server.js, the same handler answering a small JSON body, with and
// without withSigV4) run in their own processes for the whole run. Two methods (BENCH_MODE):
// - `simultaneous` (default; needs wrk and taskset): both servers pinned to CPU 0 and loaded at the
//   same time by two wrk processes pinned to CPU 1. The scheduler gives the two busy servers equal
//   shares of CPU 0, so the ratio of their request rates is the ratio of what a request costs each,
//   and whatever else the shared machine does slows both alike: the steady number.
// - `alternating`: autocannon loads one server, then the other (order alternating between rounds);
//   each round gives one ratio. The servers report the CPU time they spent, so the table shows
//   server CPU per request too.
// The table shows the median ratio over the rounds. BENCH_SECONDS, BENCH_ROUNDS, BENCH_CONNECTIONS
// override the defaults; BENCH_PIN=1 (alternating) pins the servers to CPU 1 and autocannon to CPU 0.
// withSigV4 runs with its default `coalesce: true` (the requests of one event-loop turn verified back to
// back after it) and, for comparison, with `coalesce: false`. Since coalescing changes how the server
// schedules its work, two control rows keep the verifier's own cost visible: withSigV4 (coalescing) with
// the verification replaced by nothing, against the bare server (what the scheduling alone does) and as
// the baseline of withSigV4 itself (what the verification costs in the same coalescing server).
// BENCH_CONTROLS=1 (simultaneous) adds two more control rows for the presigned GET: coalesce off with the
// verification replaced by nothing, and by a 5 µs busy wait (see middleware-server.js).
const { spawn, execFileSync } = require('node:child_process')
const path = require('node:path')
const os = require('node:os')
const fs = require('node:fs')
const { dir, pkgRequire } = require('./pkg')
const autocannon = pkgRequire('autocannon')
const { Signer } = pkgRequire(dir)

const DURATION = Number(process.env.BENCH_SECONDS || 5)
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS || 32)
const ROUNDS = Number(process.env.BENCH_ROUNDS || 5)
const MODE = process.env.BENCH_MODE || 'simultaneous'
const SIMULTANEOUS = MODE === 'simultaneous'
const PIN = process.env.BENCH_PIN === '1' || SIMULTANEOUS
const CONTROLS = process.env.BENCH_CONTROLS === '1' && SIMULTANEOUS
const credentials = { accessKeyId: 'AKIDBENCH', secretAccessKey: 'bench-secret' }

function startServer(mode) {
  return new Promise((resolve, reject) => {
    const args = [process.execPath, path.join(__dirname, 'middleware-server.js'), mode]
    if (PIN) args.unshift('taskset', '-c', SIMULTANEOUS ? '0' : '1')
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

/** A wrk Lua script sending `opts` (method, headers, body): wrk's command line has no body. */
function wrkScript(opts) {
  const lines = [`wrk.method = ${JSON.stringify(opts.method)}`]
  if (opts.body !== undefined) lines.push(`wrk.body = ${JSON.stringify(opts.body)}`)
  for (const [k, v] of Object.entries(opts.headers || {})) lines.push(`wrk.headers[${JSON.stringify(k)}] = ${JSON.stringify(v)}`)
  const file = path.join(os.tmpdir(), `libsigv4-bench-${process.pid}-${Math.random().toString(36).slice(2)}.lua`)
  fs.writeFileSync(file, lines.join('\n') + '\n')
  return file
}

/** Runs wrk on CPU 1 against `opts` for `seconds`: requests per second and the request count. */
function wrk(opts, seconds) {
  const script = wrkScript(opts)
  const args = ['-c', '1', 'wrk', '-t1', `-c${CONNECTIONS}`, `-d${seconds}s`, '-s', script, opts.url]
  return new Promise((resolve, reject) => {
    const p = spawn('taskset', args, { stdio: ['ignore', 'pipe', 'inherit'] })
    let out = ''
    p.stdout.on('data', (d) => { out += d })
    p.on('close', (code) => {
      fs.rmSync(script, { force: true })
      const rps = /Requests\/sec:\s+([\d.]+)/.exec(out)
      const total = /(\d+) requests in/.exec(out)
      if (code !== 0 || !rps) return reject(new Error(`wrk failed: ${out}`))
      const refused = /Non-2xx or 3xx responses: (\d+)/.exec(out)
      if (refused) return reject(new Error(`${refused[1]} requests were refused`))
      resolve({ rps: Number(rps[1]), total: Number(total[1]) })
    })
  })
}

/** Loads both servers at the same time: requests per second and server CPU µs per request each. */
async function measureBoth(servers, opts, seconds) {
  const before = { plain: await cpu(servers.plain), sigv4: await cpu(servers.sigv4) }
  const [plain, sigv4] = await Promise.all([wrk(opts.plain, seconds), wrk(opts.sigv4, seconds)])
  const spent = { plain: (await cpu(servers.plain)) - before.plain, sigv4: (await cpu(servers.sigv4)) - before.sigv4 }
  return {
    plain: { rps: plain.rps, cpuPerRequest: spent.plain / plain.total },
    sigv4: { rps: sigv4.rps, cpuPerRequest: spent.sigv4 / sigv4.total },
  }
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b)
  const m = s.length >> 1
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2
}

async function main() {
  console.log(`node ${process.version}, ${os.cpus()[0].model} x${os.cpus().length}, load ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}`)
  console.log(SIMULTANEOUS
    ? `method: wrk -t1 -c${CONNECTIONS} -d${DURATION}s on 127.0.0.1, one per server, on CPU 1; both servers on CPU 0, loaded at the same time; ${ROUNDS} rounds; median per-round ratio`
    : `method: autocannon -c ${CONNECTIONS} -d ${DURATION} (in-process API) on 127.0.0.1; servers in their own processes; ` +
      `${ROUNDS} rounds, each loading both servers back to back (order alternating); median per-round ratio` +
      (PIN ? '; servers pinned to CPU 1, load generator to CPU 0' : ''))
  if (PIN && !SIMULTANEOUS) execFileSync('taskset', ['-cp', '0', String(process.pid)], { stdio: 'ignore' })
  // [label, request, server with a middleware, the same server without, target with / without]
  const cases = [
    ['node:http, GET presigned URL (replayed)', 'presigned', 'sigv4', 'plain', 0.7],
    ['node:http, POST signed headers + body (replayed)', 'header', 'sigv4', 'plain', 0.7],
    ['node:http, GET presigned, withSigV4 coalesce: false', 'presigned', 'sigv4-each', 'plain'],
    ['node:http, POST, withSigV4 coalesce: false', 'header', 'sigv4-each', 'plain'],
    ['control: GET presigned, withSigV4 with the verification replaced by nothing', 'presigned', 'noop', 'plain'],
    ['GET presigned, withSigV4 vs the row above (the verification alone)', 'presigned', 'sigv4', 'noop', 0.7],
    ['Express 4, POST signed headers + body, sigv4Middleware', 'header', 'express-sigv4', 'express-plain', 0.9],
    ['Express 4, POST signed headers + body, @filen/aws4-express', 'header', 'express-filen', 'express-plain', undefined],
  ]
  if (CONTROLS) {
    cases.push(['control: GET, coalesce: false, verification replaced by nothing', 'presigned', 'noop-each', 'plain'])
    cases.push(['control: GET, coalesce: false, verification replaced by a 5 µs busy wait', 'presigned', 'spin5-each', 'plain'])
  }
  const all = {}
  for (const mode of new Set(cases.flatMap((c) => [c[3], c[2]]))) all[mode] = await startServer(mode)
  const rows = []
  const added = {}
  try {
    for (const [label, request, mode, baseline, target] of cases) {
      const servers = { plain: all[baseline], sigv4: all[mode] }
      const opts = { plain: requestOptions(request, servers.plain.port), sigv4: requestOptions(request, servers.sigv4.port) }
      if (SIMULTANEOUS) await measureBoth(servers, opts, 1) // warm up
      else for (const mode of ['plain', 'sigv4']) await measure(servers[mode], opts[mode], 1)
      const got = { plain: [], sigv4: [] }
      const ratios = []
      const cpuRatios = []
      for (let i = 0; i < ROUNDS; i++) {
        const order = i % 2 === 0 ? ['plain', 'sigv4'] : ['sigv4', 'plain']
        let m = {}
        if (SIMULTANEOUS) m = await measureBoth(servers, opts, DURATION)
        else for (const mode of order) m[mode] = await measure(servers[mode], opts[mode], DURATION)
        for (const mode of order) got[mode].push(m[mode])
        ratios.push(m.sigv4.rps / m.plain.rps)
        cpuRatios.push(m.plain.cpuPerRequest / m.sigv4.cpuPerRequest)
      }
      const ratio = median(ratios)
      const cpuWithout = median(got.plain.map((x) => x.cpuPerRequest))
      const cpuWith = median(got.sigv4.map((x) => x.cpuPerRequest))
      added[mode] = cpuWith - cpuWithout
      rows.push([
        label,
        median(got.plain.map((x) => x.rps)).toFixed(0),
        median(got.sigv4.map((x) => x.rps)).toFixed(0),
        `${(ratio * 100).toFixed(1)}% (${ratios.map((r) => (r * 100).toFixed(0)).join(' ')})`,
        `${cpuWithout.toFixed(1)} / ${cpuWith.toFixed(1)}`,
        `${(median(cpuRatios) * 100).toFixed(1)}%`,
        mode === 'noop' || mode === 'noop-each' || mode === 'spin5-each' ? '(control)'
          : mode === 'sigv4-each' ? '(coalesce off)' : target === undefined ? '(competitor)'
          : `>= ${target * 100}%: rate ${ratio >= target ? 'yes' : 'NO'}, CPU ${median(cpuRatios) >= target ? 'yes' : 'NO'}`,
      ])
    }
  } finally {
    for (const s of Object.values(all)) s.child.kill()
  }
  const head = ['server, request, middleware', 'req/s without', 'req/s with', 'rate ratio with / without (median; rounds)', 'server CPU µs/req without / with', 'CPU ratio without / with', 'target (rate ratio, CPU ratio)']
  const table = [head, ...rows]
  const w = head.map((_, i) => Math.max(...table.map((r) => String(r[i]).length)))
  const line = (r) => '| ' + r.map((c, i) => String(c).padEnd(w[i])).join(' | ') + ' |'
  console.log(line(head))
  console.log('|' + w.map((x) => '-'.repeat(x + 2)).join('|') + '|')
  for (const r of rows) console.log(line(r))
  console.log('rate ratio: requests/s with the middleware / without, both servers loaded at once (what the target is set on; a quiet')
  console.log('machine gives the steady figure). CPU ratio: server CPU µs per request without / with (steadier when the machine is shared).')
  if (added['express-sigv4'] !== undefined && added['express-filen'] !== undefined) {
    const share = added['express-sigv4'] / added['express-filen']
    console.log(`Express: CPU added per request by sigv4Middleware ${added['express-sigv4'].toFixed(1)} µs, by @filen/aws4-express ` +
      `${added['express-filen'].toFixed(1)} µs: ours adds ${(share * 100).toFixed(0)}% of its cost (target <= 33%: ${share <= 1 / 3 ? 'yes' : 'NO'})`)
  }
}

main().catch((e) => { console.error(e); process.exit(1) })
