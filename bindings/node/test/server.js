'use strict'
// A local HTTP server on 127.0.0.1 that checks SigV4 signatures by recomputing them with
// @smithy/signature-v4 (a different implementation), for the fetch and axios tests.
const http = require('node:http')
const { SignatureV4 } = require('@smithy/signature-v4')
const { Sha256 } = require('@aws-crypto/sha256-js')

function queryObject(search) {
  const q = {}
  for (const [k, v] of new URLSearchParams(search)) {
    if (k in q) q[k] = [].concat(q[k], v)
    else q[k] = v
  }
  return q
}

function amzToDate(s) {
  return new Date(`${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}T${s.slice(9, 11)}:${s.slice(11, 13)}:${s.slice(13, 15)}Z`)
}

/** Verifies a received request; returns {ok, signature, amzDate} or {ok: false, why}. */
async function verify(req, body, { credentials, region, service }) {
  const raw = req.url
  const q = raw.indexOf('?')
  const path = q >= 0 ? raw.slice(0, q) : raw
  const query = queryObject(q >= 0 ? raw.slice(q + 1) : '')
  const smithy = new SignatureV4({ credentials, region, service, sha256: Sha256, uriEscapePath: service !== 's3', applyChecksum: false })
  const base = { method: req.method, protocol: 'http:', hostname: '127.0.0.1', path, body }
  if (query['X-Amz-Signature']) {
    const given = query['X-Amz-Signature']
    const amzDate = query['X-Amz-Date']
    const signedNames = query['X-Amz-SignedHeaders'].split(';')
    const expiresIn = Number(query['X-Amz-Expires'])
    for (const k of Object.keys(query)) if (k.startsWith('X-Amz-')) delete query[k]
    const headers = {}
    for (const n of signedNames) headers[n] = req.headers[n]
    const out = await smithy.presign({ ...base, query, headers }, { signingDate: amzToDate(amzDate), expiresIn })
    return out.query['X-Amz-Signature'] === given ? { ok: true, signature: given, amzDate } : { ok: false, why: 'presigned signature mismatch' }
  }
  const auth = req.headers.authorization || ''
  const m = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, SignedHeaders=([^,]+), Signature=([0-9a-f]{64})$/.exec(auth)
  if (!m) return { ok: false, why: 'no or malformed Authorization' }
  if (m[1] !== credentials.accessKeyId || m[3] !== region || m[4] !== service) return { ok: false, why: 'wrong scope' }
  const amzDate = req.headers['x-amz-date']
  const headers = {}
  for (const n of m[5].split(';')) headers[n] = req.headers[n]
  const out = await smithy.sign({ ...base, query, headers }, { signingDate: amzToDate(amzDate) })
  const expected = /Signature=([0-9a-f]{64})/.exec(out.headers.authorization)[1]
  return expected === m[6] ? { ok: true, signature: m[6], amzDate } : { ok: false, why: 'signature mismatch' }
}

/** Starts the server; `routes[path](ctx)` answers verified requests. Resolves to {url, close, seen}. */
function start(scope, routes) {
  const seen = []
  const server = http.createServer((req, res) => {
    const chunks = []
    req.on('data', (c) => chunks.push(c))
    req.on('end', async () => {
      const body = Buffer.concat(chunks).toString('utf8')
      const v = await verify(req, body, scope).catch((e) => ({ ok: false, why: String(e) }))
      const pathname = req.url.split('?')[0]
      seen.push({ path: pathname, url: req.url, ...v })
      const send = (status, data, headers = {}) => {
        res.writeHead(status, { 'content-type': 'application/json', ...headers })
        res.end(data === undefined ? '' : JSON.stringify(data))
      }
      if (!v.ok) return send(403, { message: 'SignatureDoesNotMatch', why: v.why })
      const route = routes[pathname] || routes['*']
      if (!route) return send(404, { message: 'not found' })
      route({ req, body, send, seen: seen.filter((s) => s.path === pathname) })
    })
  })
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address()
      resolve({ url: `http://127.0.0.1:${port}`, seen, close: () => new Promise((r) => { server.closeAllConnections(); server.close(r) }) })
    })
  })
}

module.exports = { start }
