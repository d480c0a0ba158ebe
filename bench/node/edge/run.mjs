// make bench-edge: the edge benchmark (bench/node/edge/bench.mjs) in workerd (miniflare) and in Node on the
// WebAssembly backend, in one run; prints the table (CPU µs per request; ratios against aws4fetch's sign()).
// Each function runs in batches of ~BATCH_MS of CPU time, interleaved with the others, ROUNDS times; the best
// batch counts. workerd's CPU time is read from outside: the sum of its threads' schedstat (ns).
import { readdirSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { worker } from '../../../bindings/node/test-edge/workerd/run.mjs'
import { workloads, repeat } from './bench.mjs'

process.env.LIBSIGV4_BACKEND = 'wasm'
// Resolved from bindings/node (its lib/ and node_modules), where the benchmark lived before bench/node/.
const require = createRequire(new URL('../../../bindings/node/package.json', import.meta.url))
const lib = require('./lib/edge.js')
const ours = require('./lib/aws4fetch.js')
// The file `import('aws4fetch')` resolves to from bindings/node (its exports' "import" condition), not the CJS build.
const Ref = await import(pathToFileURL(path.join(path.dirname(require.resolve('aws4fetch')), 'aws4fetch.esm.mjs')).href)
const ROUNDS = Number(process.env.ROUNDS || 5)
const BATCH_MS = Number(process.env.BATCH_MS || 100)
const PROFILE = process.env.PROFILE === '1'

/** The workerd process miniflare started (a child of this process). */
function workerdPid() {
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
      if (Number(fields[1]) === process.pid && stat.includes('(workerd)')) return Number(pid)
    } catch {}
  }
  throw new Error('no workerd process found under this one')
}

/** CPU time (µs) of every thread of `pid`. */
function threadsCpu(pid) {
  let ns = 0
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try { ns += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]) } catch {}
  }
  return ns / 1000
}

const nodeCpu = () => { const u = process.cpuUsage(); return u.user + u.system }

/** Best CPU µs per call for every function of `names`, run through `run(name, n)` and measured by `cpu()`. */
async function timeAll(names, run, cpu) {
  const best = {}
  const size = {}
  for (const name of names) {
    await run(name, 3)
    best[name] = Infinity
    size[name] = 8
  }
  for (let r = 0; r < ROUNDS; r++) {
    for (const name of names) {
      for (;;) {
        const n = size[name]
        const start = cpu()
        await run(name, n)
        const used = cpu() - start
        if (used >= BATCH_MS * 1000) {
          best[name] = Math.min(best[name], used / n)
          break
        }
        size[name] = used <= 0 ? n * 8 : Math.ceil((n * BATCH_MS * 1000 * 1.2) / used)
      }
    }
  }
  return best
}

async function measure(run, cpu) {
  const w = workloads(lib, ours, Ref, PROFILE)
  const out = {}
  for (const [load, fns] of Object.entries(w)) out[load] = await timeAll(Object.keys(fns), (name, n) => run(load, name, n), cpu)
  return out
}

const mf = await worker()
let wd
try {
  const pid = workerdPid()
  wd = await measure(async (load, name, n) => {
    const res = await mf.dispatchFetch('http://bench.local/bench', { method: 'POST', body: JSON.stringify({ load, name, n, profile: PROFILE }) })
    if (!res.ok) throw new Error(`worker answered ${res.status}: ${await res.text()}`)
    await res.arrayBuffer()
  }, () => threadsCpu(pid))
} finally {
  await mf.dispose()
}
const w = workloads(lib, ours, Ref, PROFILE)
const nd = await measure((load, name, n) => repeat(w[load][name], n), nodeCpu)

const us = (v) => (v >= 1000 ? `${(v / 1000).toFixed(2)} ms` : `${v.toFixed(1)} µs`)
const rows = [['workload', 'runtime', 'aws4fetch', 'libsigv4/aws4fetch', 'speed-up', 'target', 'met', 'signSync()', 'Signer.sign()']]
for (const [name, r] of [['workerd', wd], ['Node wasm', nd]]) {
  const s1 = r.w1.ref / r.w1.async
  rows.push(['W1 sign()', name, us(r.w1.ref), us(r.w1.async), `${s1.toFixed(1)}x faster`, '>= 5x faster', s1 >= 5 ? 'yes' : 'NO', us(r.w1.sync), `${us(r.w1.signer)} (${(r.w1.ref / r.w1.signer).toFixed(1)}x)`])
  rows.push(['W1 sign() + read url, headers', name, us(r.w1.refRead), us(r.w1.asyncRead), `${(r.w1.refRead / r.w1.asyncRead).toFixed(1)}x faster`, '', '', '', ''])
  rows.push(['W1 AwsClient.sign() (Request)', name, us(r.w1.refClient), us(r.w1.client), `${(r.w1.refClient / r.w1.client).toFixed(1)}x faster`, '', '', '', ''])
  const s4 = r.w4.async / r.w4.ref
  rows.push(['W4 PUT 1 MiB sign()', name, us(r.w4.ref), us(r.w4.async), `${s4.toFixed(2)}x the time`, '<= 1.2x', s4 <= 1.2 ? 'yes' : 'NO', us(r.w4.sync), `${us(r.w4.signer)} (signAsync ${us(r.w4.signerAsync)})`])
}
const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)))
for (const [i, r] of rows.entries()) {
  console.log('| ' + r.map((c, j) => c.padEnd(widths[j])).join(' | ') + ' |')
  if (i === 0) console.log('|' + widths.map((n) => '-'.repeat(n + 2)).join('|') + '|')
}
for (const [name, r] of [['workerd', wd], ['Node wasm', nd]]) {
  console.log(`${name}: aws4fetch's constructor alone (request preparation, no crypto) ${us(r.w1.refPrep)}`)
}
console.log(`CPU time per request (best of ${ROUNDS} interleaved batches of >= ${BATCH_MS} ms CPU); ${new Date().toISOString().slice(0, 10)}`)
if (PROFILE) {
  console.log('\nW1 piece by piece (CPU µs per call):')
  for (const name of Object.keys(wd.profile)) console.log(`  ${name.padEnd(28)} workerd ${us(wd.profile[name]).padStart(9)}   Node wasm ${us(nd.profile[name]).padStart(9)}`)
}
