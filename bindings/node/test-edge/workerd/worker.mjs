// A Worker (workerd, through miniflare) running the edge suite: `libsigv4` and `libsigv4/aws4fetch` resolve
// through the `workerd` condition to the WebAssembly build, whose .wasm is a module import (CompiledWasm).
import * as lib from 'libsigv4'
import * as aws4fetch from 'libsigv4/aws4fetch'
import aws4 from 'libsigv4/aws4'
import { runSuite } from '../suite.mjs'
import { runBench } from '../../../../bench/node/edge/bench.mjs'

export default {
  async fetch(request) {
    const body = await request.json()
    if (new URL(request.url).pathname === '/bench') {
      const { AwsV4Signer } = await import('aws4fetch')
      return Response.json(await runBench(lib, aws4fetch, AwsV4Signer, body))
    }
    const r = await runSuite(lib, aws4fetch, body.data, { fetchUrl: body.fetchUrl, aws4 })
    return Response.json({ ...r, backend: lib.backend })
  },
}
