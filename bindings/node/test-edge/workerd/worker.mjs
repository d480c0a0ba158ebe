// A Worker (workerd, through miniflare) running the edge suite: `libsigv4` and `libsigv4/aws4fetch` resolve
// through the `workerd` condition to the WebAssembly build, whose .wasm is a module import (CompiledWasm).
import * as lib from 'libsigv4'
import * as aws4fetch from 'libsigv4/aws4fetch'
import aws4 from 'libsigv4/aws4'
import { runSuite } from '../suite.mjs'
import { workloads, repeat } from '../../../../bench/node/edge/bench.mjs'

let bench = null

export default {
  async fetch(request) {
    const body = await request.json()
    if (new URL(request.url).pathname === '/bench') {
      // One batch of the benchmark (bench/node/edge/run.mjs times it from outside, by workerd's CPU time).
      if (bench === null) bench = workloads(lib, aws4fetch, await import('aws4fetch'), body.profile)
      await repeat(bench[body.load][body.name], body.n)
      return new Response('ok')
    }
    const r = await runSuite(lib, aws4fetch, body.data, { fetchUrl: body.fetchUrl, aws4 })
    return Response.json({ ...r, backend: lib.backend })
  },
}
