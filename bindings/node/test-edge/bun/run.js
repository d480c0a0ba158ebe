// The edge suite in Bun (npm's `bun` package): `libsigv4` resolves through the `bun` condition to the
// WebAssembly build; the local server runs in the same process.
import { runSuite } from '../suite.mjs'
import prep from '../prepare.js'
import server from '../server.js'

const lib = await import('libsigv4')
const edge = await import('libsigv4/edge')
const aws4fetch = await import('libsigv4/aws4fetch')
const aws4 = (await import('libsigv4/aws4')).default
if (edge.backend !== 'wasm') throw new Error(`Bun loaded the ${edge.backend} backend, not the WebAssembly build`)
const { server: srv, url } = await server.start()
let r
try {
  r = await runSuite(lib, aws4fetch, await prep.prepare(), { fetchUrl: url, aws4 })
} finally {
  srv.close()
}
for (const f of r.failures) console.log(`FAIL ${f.name}\n  ${f.message}`)
console.log(`bun ${Bun.version} (${edge.backend}): ${r.passed} passed, ${r.failed} failed`)
process.exit(r.failed === 0 && r.passed > 300 ? 0 : 1)
