'use strict'
// The WebAssembly backend for runtimes with a file system (Node without a matching native binary,
// Bun, Deno): sigv4.wasm is read from next to this file when first needed.
const backend = require('./backend.js')

backend.setLoader(() => {
  const fs = require('node:fs')
  const path = require('node:path')
  return fs.readFileSync(path.join(__dirname, 'sigv4.wasm'))
})

module.exports = backend
