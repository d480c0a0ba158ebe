'use strict'
// The edge suite (test-edge/suite.mjs) in Node on the WebAssembly backend (make test-edge sets
// LIBSIGV4_BACKEND=wasm), with the local server for the fetch checks.
const test = require('node:test')
const assert = require('node:assert')
const { prepare } = require('../prepare')
const server = require('../server')

test('edge suite in Node (WebAssembly backend)', async () => {
  const lib = require('../../lib/edge.js')
  const aws4fetch = require('../../lib/aws4fetch.js')
  const { runSuite } = await import('../suite.mjs')
  const { server: srv, url } = await server.start()
  try {
    const r = await runSuite(lib, aws4fetch, await prepare(), { fetchUrl: url, aws4: require('../../lib/aws4.js') })
    console.log(`edge suite in Node (${lib.backend}): ${r.passed} passed, ${r.failed} failed`)
    assert.deepStrictEqual(r.failures, [])
    assert.ok(r.passed > 300)
  } finally {
    srv.close()
  }
})
