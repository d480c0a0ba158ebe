'use strict'
// `#node-stream` in Node, Bun and Deno (package.json "imports"; wasm/no-stream.js elsewhere).
module.exports = require('node:stream')
