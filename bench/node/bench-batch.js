'use strict'
// Benchmark: verifier.verifyMany (chunks checked on libuv's pool while the event loop copies the next
// ones) next to a loop of verifier.verify, same process, same 10,000 requests header-signed by aws4
// (POST, small JSON body, distinct paths, signed now). Each round times the loop and the batch back
// to back (order alternating), 7 rounds; prints wall and CPU time per request and two speedups:
// - wall: what this run saw; the verdict against the target on a quiet machine (on a shared,
//   saturated one extra threads get little extra CPU, so it drops towards 1 whatever the code does);
// - CPU critical path: loop CPU / max(event-loop thread CPU, all threads' CPU / cores): the event loop
//   only copies requests and builds results while pool threads check, so this is the shortest wall
//   time the batch can take with the machine's cores free to it (the event loop's serial share, or
//   the whole work spread over the cores), in CPU time so that other processes' load does not enter
//   it. The event-loop thread's CPU is read from /proc/self/task/<pid>/schedstat.
// Prints a table; asserts nothing. `make bench-batch` (release build).
const fs = require('node:fs')
const os = require('node:os')
const { dir, pkgRequire } = require('./pkg')
const aws4 = pkgRequire('aws4')
const { Verifier } = pkgRequire(dir)

const AKID = 'AKIDEXAMPLE'
const SECRET = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY'
const COUNT = Number(process.env.BATCH_COUNT || 10000)
const ROUNDS = Number(process.env.BATCH_ROUNDS || 7)
const CORES = os.availableParallelism ? os.availableParallelism() : os.cpus().length

function signedRequests(count) {
  const out = []
  for (let i = 0; i < count; i++) {
    const body = JSON.stringify({ id: i, name: `item ${i}` })
    const opts = { host: 'abc123.execute-api.us-east-1.amazonaws.com', method: 'POST', path: `/v1/items/${i}`, service: 'execute-api', region: 'us-east-1', body, headers: { 'Content-Type': 'application/json' } }
    aws4.sign(opts, { accessKeyId: AKID, secretAccessKey: SECRET })
    out.push({ method: 'POST', url: opts.path, headers: { ...opts.headers, Host: opts.host }, body })
  }
  return out
}

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[s.length >> 1] }

/** CPU time of the event-loop thread so far, ms (Linux; NaN elsewhere). */
function mainCpu() {
  try {
    return Number(fs.readFileSync(`/proc/self/task/${process.pid}/schedstat`, 'utf8').split(' ')[0]) / 1e6
  } catch {
    return NaN
  }
}

/** CPU seconds all processes have used so far (Linux /proc/stat, in USER_HZ = 100 ticks a second; NaN elsewhere). */
function machineCpu() {
  try {
    const f = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number)
    return (f[0] + f[1] + f[2] + f[5] + f[6]) / 100
  } catch {
    return NaN
  }
}

async function timed(fn) {
  const cpu = process.cpuUsage()
  const own = mainCpu()
  const start = process.hrtime.bigint()
  await fn()
  const wall = Number(process.hrtime.bigint() - start) / 1e6
  const used = process.cpuUsage(cpu)
  const total = (used.user + used.system) / 1000
  const main = mainCpu() - own
  return { wall, cpu: total, main, critical: Math.max(main, total / CORES) }
}

async function main() {
  const requests = signedRequests(COUNT)
  const verifier = new Verifier({ credentials: { [AKID]: SECRET }, region: 'us-east-1', service: 'execute-api' })
  const loop = () => { for (const r of requests) verifier.verify(r) }
  const batch = () => verifier.verifyMany(requests)
  loop()
  // Warm up, and check once, outside the timings, that all verified.
  if (!(await batch()).every((r) => r.accessKeyId === AKID)) throw new Error('a request failed')
  const loadBefore = os.loadavg()[0]
  const machineBefore = machineCpu()
  const ownBefore = process.cpuUsage()
  const loops = []
  const batches = []
  for (let i = 0; i < ROUNDS; i++) {
    const order = i % 2 === 0 ? [['loop', loop], ['batch', batch]] : [['batch', batch], ['loop', loop]]
    for (const [name, fn] of order) {
      const t = await timed(fn)
      if (name === 'loop') loops.push(t)
      else batches.push(t)
    }
  }
  const loadAfter = os.loadavg()[0]
  const own = process.cpuUsage(ownBefore)
  // What other processes ran meanwhile: the machine's CPU time minus this process's.
  const others = machineCpu() - machineBefore - (own.user + own.system) / 1e6
  const cores = CORES
  const us = (ms) => ((ms * 1000) / COUNT).toFixed(2)
  const col = (xs, k) => median(xs.map((x) => x[k]))
  const wallRatios = loops.map((l, i) => l.wall / batches[i].wall)
  const cpuRatios = loops.map((l, i) => l.cpu / batches[i].critical)
  const range = (xs) => `${Math.min(...xs).toFixed(2)}-${Math.max(...xs).toFixed(2)}`
  console.log(`Node verifyMany: ${COUNT.toLocaleString('en')} header-signed requests (aws4), ${ROUNDS} rounds, ${cores} cores, Node ${process.version}; load average before ${loadBefore.toFixed(2)}, after ${loadAfter.toFixed(2)}`)
  console.log('| µs per request (median)    |   wall | CPU, all threads | CPU, event loop | CPU critical path |')
  console.log('|----------------------------|--------|------------------|-----------------|-------------------|')
  console.log(`| loop of verify()           | ${us(col(loops, 'wall')).padStart(6)} | ${us(col(loops, 'cpu')).padStart(16)} | ${us(col(loops, 'main')).padStart(15)} | ${us(col(loops, 'cpu')).padStart(17)} |`)
  console.log(`| await verifyMany()         | ${us(col(batches, 'wall')).padStart(6)} | ${us(col(batches, 'cpu')).padStart(16)} | ${us(col(batches, 'main')).padStart(15)} | ${us(col(batches, 'critical')).padStart(17)} |`)
  // The bench's own threads add up to 2 to the load average while it runs.
  const quiet = loadBefore < cores ? 'quiet machine' : 'machine NOT quiet: wall is not the verdict'
  const wall = median(wallRatios)
  console.log(`speedup batch vs loop, wall (target >= 1.7x on 2 cores; ${quiet}): ${wall.toFixed(2)}x (rounds ${range(wallRatios)})${loadBefore < cores ? (wall >= 1.7 ? ' -> MET' : ' -> not met') : ''}`)
  console.log(`speedup batch vs loop, CPU critical path: ${median(cpuRatios).toFixed(2)}x (rounds ${range(cpuRatios)})`)
  console.log(`batch CPU/wall: ${median(batches.map((b) => b.cpu / b.wall)).toFixed(2)} cores of ${cores} (loop ${median(loops.map((l) => l.cpu / l.wall)).toFixed(2)}); other processes' CPU during the rounds: ${others.toFixed(2)} s (this one: ${((own.user + own.system) / 1e6).toFixed(2)} s)`)
}

main().catch((e) => { console.error(e); process.exit(1) })
