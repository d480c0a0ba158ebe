// make bench-edge: the edge benchmark (bench/node/edge/bench.mjs) in workerd (miniflare) and in Node on the
// WebAssembly backend, in one run; prints the table (µs per request; ratios against aws4fetch's sign()).
import { createRequire } from 'node:module'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { worker } from '../../../bindings/node/test-edge/workerd/run.mjs'
import { runBench } from './bench.mjs'

process.env.LIBSIGV4_BACKEND = 'wasm'
// Resolved from bindings/node (its lib/ and node_modules), where the benchmark lived before bench/node/.
const require = createRequire(new URL('../../../bindings/node/package.json', import.meta.url))
const lib = require('./lib/edge.js')
const ours = require('./lib/aws4fetch.js')
// The file `import('aws4fetch')` resolves to from bindings/node (its exports' "import" condition), not the CJS build.
const { AwsV4Signer } = await import(pathToFileURL(path.join(path.dirname(require.resolve('aws4fetch')), 'aws4fetch.esm.mjs')).href)

const mf = await worker()
let wd
try {
  wd = await (await mf.dispatchFetch('http://bench.local/bench', { method: 'POST', body: JSON.stringify({}) })).json()
} finally {
  await mf.dispose()
}
const nd = await runBench(lib, ours, AwsV4Signer)

const us = (v) => (v >= 1000 ? `${(v / 1000).toFixed(2)} ms` : `${v.toFixed(1)} µs`)
const rows = [['workload', 'runtime', 'aws4fetch sign()', 'libsigv4/aws4fetch sign()', 'speed-up', 'target', 'met', 'signSync()', 'Signer.sign()']]
for (const [name, r] of [['workerd', wd], ['Node wasm', nd]]) {
  const s1 = r.w1.ref / r.w1.async
  rows.push(['W1 GET', name, us(r.w1.ref), us(r.w1.async), `${s1.toFixed(1)}x faster`, '>= 5x faster', s1 >= 5 ? 'yes' : 'NO', us(r.w1.sync), us(r.w1.signer)])
  const s4 = r.w4.async / r.w4.ref
  rows.push(['W4 PUT 1 MiB', name, us(r.w4.ref), us(r.w4.async), `${s4.toFixed(2)}x the time`, '<= 1.2x', s4 <= 1.2 ? 'yes' : 'NO', us(r.w4.sync), `${us(r.w4.signer)} (signAsync ${us(r.w4.signerAsync)})`])
}
const notes = [['workerd', wd], ['Node wasm', nd]].map(([name, r]) => `${name}: aws4fetch's constructor alone (request preparation, no crypto) ${us(r.w1.refPrep)}; libsigv4 Signer.sign() ${(r.w1.ref / r.w1.signer).toFixed(1)}x faster than aws4fetch sign()`)
const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)))
for (const [i, r] of rows.entries()) {
  console.log('| ' + r.map((c, j) => c.padEnd(widths[j])).join(' | ') + ' |')
  if (i === 0) console.log('|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|')
}
for (const n of notes) console.log(n)
