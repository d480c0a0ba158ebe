'use strict'
// The local server the edge runtimes fetch from (127.0.0.1, an ephemeral port): it verifies every request with
// libsigv4's Verifier (the Node package) and answers with the identity; /flaky answers 503 to its first request,
// /stream verifies an aws-chunked upload as it arrives and answers with its length and SHA-256.
const http = require('node:http')
const crypto = require('node:crypto')
const { Verifier } = require('..')

const CREDENTIALS = { AKIDEDGE: 'edge-secret' }

function start() {
  const verifier = new Verifier({ credentials: CREDENTIALS, region: 'us-east-1', service: 'execute-api', allowUnsignedPayload: true })
  const s3 = new Verifier({ credentials: CREDENTIALS, region: 'us-east-1', service: 's3' })
  let flaky = 0
  const server = http.createServer(async (req, res) => {
    const url = `http://${req.headers.host}${req.url}`
    const answer = (status, body) => {
      res.writeHead(status, { 'content-type': 'application/json', 'access-control-allow-origin': '*' })
      res.end(JSON.stringify(body))
    }
    try {
      if (req.url.startsWith('/stream')) {
        const stream = s3.verifyStreaming({ method: req.method, url, headers: req.rawHeaders })
        const hash = crypto.createHash('sha256')
        let length = 0
        for await (const piece of req) {
          const data = stream.feed(piece)
          length += data.length
          hash.update(data)
        }
        stream.finish()
        return answer(200, { length, sha256: hash.digest('hex'), accessKeyId: stream.identity.accessKeyId })
      }
      const chunks = []
      for await (const piece of req) chunks.push(piece)
      const who = verifier.verify({ method: req.method, url, headers: req.rawHeaders, body: Buffer.concat(chunks) })
      if (req.url.startsWith('/flaky') && flaky++ === 0) return answer(503, { retry: true })
      return answer(200, { accessKeyId: who.accessKeyId, attempts: flaky })
    } catch (e) {
      return answer(e.status || 500, { code: e.code, message: e.message })
    }
  })
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${server.address().port}` })))
}

module.exports = { start, CREDENTIALS }
