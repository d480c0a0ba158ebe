'use strict'
// `#node-url` in Node, Bun and Deno (package.json "imports"; wasm/no-url.js elsewhere).
module.exports = require('node:url')
