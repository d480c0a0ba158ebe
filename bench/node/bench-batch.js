'use strict'
// Benchmark: verifier.verifyMany (an AsyncTask on libuv's pool, spread over the cores) next to a loop
// of verifier.verify, same process, same 10,000 requests header-signed by aws4 (POST, small JSON
// body, distinct paths, signed now). Each round times the loop and the batch back to back (order
// alternating), 7 rounds; prints the median wall time of each, the speedup, the process CPU time per
// wall second during the batch (how many cores it really got) and the load average before and after
// (the machine may be shared). Prints a table; asserts nothing. `make bench-batch` (release build).
const os = require('node:os')
const { dir, pkgRequire } = require('./pkg')
const aws4 = pkgRequire('aws4')
const { Verifier } = pkgRequire(dir)

const AKID = 'AKIDEXAMPLE'
const SECRET = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY'
const COUNT = Number(process.env.BATCH_COUNT || 10000)
const ROUNDS = Number(process.env.BATCH_ROUNDS || 7)

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

async function timed(fn) {
  const cpu = process.cpuUsage()
  const start = process.hrtime.bigint()
  await fn()
  const wall = Number(process.hrtime.bigint() - start) / 1e6
  const used = process.cpuUsage(cpu)
  return { wall, cpu: (used.user + used.system) / 1000 }
}

async function main() {
  const requests = signedRequests(COUNT)
  const verifier = new Verifier({ credentials: { [AKID]: SECRET }, region: 'us-east-1', service: 'execute-api' })
  const loop = () => { for (const r of requests) verifier.verify(r) }
  const batch = async () => {
    const results = await verifier.verifyMany(requests)
    if (!results.every((r) => r.accessKeyId === AKID)) throw new Error('a request failed')
  }
  loop()
  await batch() // warm up
  const loadBefore = os.loadavg()[0]
  const loops = []
  const batches = []
  const batchCpu = []
  for (let i = 0; i < ROUNDS; i++) {
    const order = i % 2 === 0 ? [['loop', loop], ['batch', batch]] : [['batch', batch], ['loop', loop]]
    for (const [name, fn] of order) {
      const t = await timed(fn)
      if (name === 'loop') loops.push(t.wall)
      else { batches.push(t.wall); batchCpu.push(t.cpu / t.wall) }
    }
  }
  const loadAfter = os.loadavg()[0]
  const ratios = loops.map((l, i) => l / batches[i])
  const cores = os.availableParallelism ? os.availableParallelism() : os.cpus().length
  const loopMs = median(loops)
  const batchMs = median(batches)
  console.log(`Node verifyMany: ${COUNT.toLocaleString('en')} header-signed requests (aws4), ${ROUNDS} rounds, ${cores} cores, Node ${process.version}`)
  console.log(`| ${''.padEnd(28)} | ${'median ms'.padStart(9)} | ${'µs/request'.padStart(10)} |`)
  console.log(`|${'-'.repeat(30)}|${'-'.repeat(11)}|${'-'.repeat(12)}|`)
  console.log(`| ${'loop of verify()'.padEnd(28)} | ${loopMs.toFixed(1).padStart(9)} | ${(loopMs * 1000 / COUNT).toFixed(2).padStart(10)} |`)
  console.log(`| ${'await verifyMany()'.padEnd(28)} | ${batchMs.toFixed(1).padStart(9)} | ${(batchMs * 1000 / COUNT).toFixed(2).padStart(10)} |`)
  console.log(`speedup batch vs loop: median of rounds ${median(ratios).toFixed(2)}x (best ${Math.max(...ratios).toFixed(2)}x, target >= 1.7x on 2 cores)`)
  console.log(`batch CPU/wall: ${median(batchCpu).toFixed(2)} cores used of ${cores}; load average before ${loadBefore.toFixed(2)}, after ${loadAfter.toFixed(2)}`)
}

main().catch((e) => { console.error(e); process.exit(1) })
