'use strict'
// `#node-stream` where there is no node:stream (Workers, browsers): the Node stream helpers
// (transform(), readable()) say what to use instead; the web-stream ones work everywhere.
function unavailable(name) {
  return class {
    constructor() {
      throw new Error(`node:stream ${name} is not available in this runtime: use transformStream() / readableStream() (web streams)`)
    }
  }
}

module.exports = { Transform: unavailable('Transform'), Readable: unavailable('Readable') }
