// Runs the edge suite in workerd (Cloudflare's runtime) through miniflare 4.20251118.0, the last release that
// runs on Node 20: the Worker is bundled by esbuild with the workerd/worker/browser conditions (as wrangler does),
// sigv4.wasm is given as a CompiledWasm module, and the Worker fetches from a local server on 127.0.0.1.
// The benchmark (bench/node/edge/run.mjs) uses worker() to run its batches in workerd.
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import path from 'node:path'
import { createRequire } from 'node:module'
import { build } from 'esbuild'
import { Miniflare } from 'miniflare'

const require = createRequire(import.meta.url)
const here = path.dirname(fileURLToPath(import.meta.url))
const pkg = path.join(here, '..', '..')

export async function worker() {
  const out = await build({
    entryPoints: [path.join(here, 'worker.mjs')],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'neutral',
    mainFields: ['module', 'main'],
    conditions: ['workerd', 'worker', 'browser'],
    external: ['*.wasm'],
    logLevel: 'error',
  })
  const mf = new Miniflare({
    compatibilityDate: '2025-11-01',
    modules: [
      { type: 'ESModule', path: path.join(pkg, 'worker.mjs'), contents: out.outputFiles[0].text },
      { type: 'CompiledWasm', path: path.join(pkg, 'sigv4.wasm'), contents: readFileSync(path.join(pkg, 'wasm', 'sigv4.wasm')) },
    ],
    modulesRoot: pkg,
  })
  await mf.ready
  return mf
}

async function main() {
  const mf = await worker()
  try {
    const { prepare } = require('../prepare.js')
    const server = require('../server.js')
    const { server: srv, url } = await server.start()
    try {
      const res = await mf.dispatchFetch('http://edge.local/run', { method: 'POST', body: JSON.stringify({ data: await prepare(), fetchUrl: url }) })
      const text = await res.text()
      let r
      try { r = JSON.parse(text) } catch { throw new Error(`worker answered ${res.status}: ${text.slice(0, 2000)}`) }
      for (const f of r.failures) console.log(`FAIL ${f.name}\n  ${f.message}`)
      console.log(`workerd (miniflare, ${r.backend}): ${r.passed} passed, ${r.failed} failed`)
      if (r.failed !== 0 || r.passed < 300 || r.backend !== 'wasm') process.exitCode = 1
    } finally {
      srv.close()
    }
  } finally {
    await mf.dispose()
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main()
