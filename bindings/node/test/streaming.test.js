'use strict'
// Streaming (aws-chunked) uploads: the S3 documented example byte for byte; uploads through
// http.request (Transform) and fetch (duplex: 'half', async iterable) to a local node:http server
// that checks them with Verifier.verifyStreaming; a tampered chunk is refused; trailers; SigV4a.
const test = require('node:test')
const assert = require('node:assert/strict')
const http = require('node:http')
const crypto = require('node:crypto')
const fs = require('node:fs')
const path = require('node:path')
const { Readable } = require('node:stream')
const { pipeline } = require('node:stream/promises')
const { Signer, Verifier, VerificationError } = require('..')
const { ROOT } = require('./vectors')

const S3 = JSON.parse(fs.readFileSync(path.join(ROOT, 's3-examples.json'), 'utf8'))

test('the S3 documented chunked upload, byte for byte', async () => {
  const ex = S3.chunked_upload
  const c = S3.credentials
  const signer = new Signer({ credentials: { accessKeyId: c.access_key_id, secretAccessKey: c.secret_access_key }, region: S3.region, service: S3.service })
  const headers = ex.headers.filter(([n]) => n.toLowerCase() === 'x-amz-storage-class')
  const up = signer.signStreaming({ method: ex.method, url: ex.url, headers, decodedLength: 66560, chunkSize: 65536, timestamp: S3.timestamp })
  assert.equal(up.seedSignature, ex.seed_signature)
  for (const [n, v] of ex.headers) assert.equal(up.headers[n], v, n)
  assert.equal(up.headers['x-amz-content-sha256'], ex.x_amz_content_sha256)
  // The wire body from the documented sizes and signatures.
  const body = Buffer.alloc(66560, 'a')
  let expected = Buffer.alloc(0)
  let offset = 0
  ex.chunk_sizes.forEach((size, i) => {
    const parts = [Buffer.from(`${size.toString(16)};chunk-signature=${ex.chunk_signatures[i]}\r\n`)]
    if (size > 0) parts.push(body.subarray(offset, offset + size), Buffer.from('\r\n'))
    offset += size
    expected = Buffer.concat([expected, ...parts])
  })
  expected = Buffer.concat([expected, Buffer.from('\r\n')])
  assert.equal(expected.length, 66824)
  const pieces = []
  for await (const piece of up.encode([body.subarray(0, 1000), body.subarray(1000)])) pieces.push(piece)
  assert.deepEqual(Buffer.concat(pieces), expected)
  // The same through the Transform, in odd-sized writes.
  const up2 = signer.signStreaming({ method: ex.method, url: ex.url, headers, decodedLength: 66560, chunkSize: 65536, timestamp: S3.timestamp })
  const out = []
  const t = up2.transform()
  t.on('data', (d) => out.push(d))
  await pipeline(Readable.from((function * () { for (let i = 0; i < 66560; i += 7000) yield body.subarray(i, i + 7000) })()), t)
  assert.deepEqual(Buffer.concat(out), expected)
  // And the verifier accepts exactly those bytes at that time.
  const v = new Verifier({ credentials: { [c.access_key_id]: c.secret_access_key }, region: S3.region, service: S3.service })
  const stream = v.verifyStreaming({ method: ex.method, url: ex.url, headers: Object.entries(up.headers) }, { now: S3.timestamp })
  assert.deepEqual(stream.feed(expected), body)
  assert.deepEqual(stream.finish(), {})
})

const credentials = { accessKeyId: 'AKIDSTREAM', secretAccessKey: 'stream-secret' }
const scope = { region: 'us-east-1', service: 's3' }

/** A server that verifies aws-chunked uploads and answers the SHA-256 of the decoded body. */
function uploadServer(verifier) {
  const server = http.createServer((req, res) => {
    const answer = (status, obj) => { res.writeHead(status, { 'content-type': 'application/json' }); res.end(JSON.stringify(obj)) }
    let stream
    try {
      stream = verifier.verifyStreaming({ method: req.method, url: req.url, headers: req.rawHeaders })
    } catch (e) {
      req.resume()
      return answer(403, { __type: e.code, message: e.message })
    }
    const hash = crypto.createHash('sha256')
    let failed = null
    req.on('data', (chunk) => {
      if (failed) return
      try { hash.update(stream.feed(chunk)) } catch (e) { failed = e }
    })
    req.on('end', () => {
      if (!failed) { try { stream.trailers = stream.finish() } catch (e) { failed = e } }
      if (failed) return answer(400, { __type: failed.code, message: failed.message })
      answer(200, { sha256: hash.digest('hex'), who: stream.identity.accessKeyId, trailers: stream.trailers })
    })
  })
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${server.address().port}` })))
}

function put(url, headers, source) {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: 'PUT', headers }, (res) => {
      const chunks = []
      res.on('data', (c) => chunks.push(c))
      res.on('end', () => resolve({ status: res.statusCode, body: JSON.parse(Buffer.concat(chunks).toString()) }))
    })
    req.on('error', reject)
    source.on('error', (e) => req.destroy(e))
    source.pipe(req)
  })
}

test('uploads to a verifying node:http server: http.request + Transform, fetch + async iterable, tampering', async () => {
  const verifier = new Verifier({ credentials: { [credentials.accessKeyId]: credentials.secretAccessKey }, ...scope })
  const { server, url } = await uploadServer(verifier)
  const signer = new Signer({ credentials, ...scope })
  const data = crypto.randomBytes(3 * 1024 * 1024 + 12345)
  const digest = crypto.createHash('sha256').update(data).digest('hex')
  try {
    // http.request with the Transform; writes of 1 MiB run off the event loop.
    const up = signer.signStreaming({ method: 'PUT', url: `${url}/bucket/big.bin`, decodedLength: data.length, chunkSize: 256 * 1024 })
    const src = Readable.from((function * () { for (let i = 0; i < data.length; i += 1 << 20) yield data.subarray(i, i + (1 << 20)) })())
    const r1 = await put(up.url, up.headers, src.pipe(up.transform()))
    assert.deepEqual(r1, { status: 200, body: { sha256: digest, who: credentials.accessKeyId, trailers: {} } })

    // fetch with a streamed body (duplex: 'half'), trailer form with a checksum.
    const crc = Buffer.alloc(4)
    crc.writeUInt32BE(require('node:zlib').crc32 ? require('node:zlib').crc32(data) : 0)
    const up2 = signer.signStreaming({ method: 'PUT', url: `${url}/bucket/t.bin`, decodedLength: data.length, trailers: ['x-amz-checksum-crc32'] })
    assert.equal(up2.headers['x-amz-content-sha256'], 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER')
    assert.equal(up2.headers['x-amz-trailer'], 'x-amz-checksum-crc32')
    const body = Readable.from(up2.encode([data], { trailers: () => ({ 'x-amz-checksum-crc32': crc.toString('base64') }) }))
    const headers = { ...up2.headers }
    delete headers.Host
    const res = await fetch(up2.url, { method: 'PUT', headers, body, duplex: 'half' })
    assert.equal(res.status, 200)
    assert.deepEqual(await res.json(), { sha256: digest, who: credentials.accessKeyId, trailers: { 'x-amz-checksum-crc32': crc.toString('base64') } })

    // One byte changed in a chunk: refused (InvalidChunk), nothing after it is handed over.
    const up3 = signer.signStreaming({ method: 'PUT', url: `${url}/bucket/bad.bin`, decodedLength: 200000, chunkSize: 65536 })
    const wire = Buffer.concat([up3.chunk(data.subarray(0, 200000)), up3.final()])
    wire[wire.indexOf('\r\n') + 2 + 70000 % 65536] ^= 1
    const r3 = await put(up3.url, up3.headers, Readable.from([wire]))
    assert.equal(r3.status, 400)
    assert.equal(r3.body.__type, 'InvalidChunk')
    // Unsigned request -> 403 from verifyStreaming.
    const r4 = await put(`${url}/bucket/x`, { 'content-length': '0' }, Readable.from([]))
    assert.equal(r4.status, 403)
    assert.equal(r4.body.__type, 'MissingAuthenticationToken')
  } finally {
    server.closeAllConnections()
    await new Promise((r) => server.close(r))
  }
})

test('util.inspect of an upload hides the session token and the secret', () => {
  const token = 'stream-session-token-0123456789'
  const signer = new Signer({ credentials: { ...credentials, sessionToken: token }, ...scope })
  const up = signer.signStreaming({ method: 'PUT', url: 'https://b.s3.amazonaws.com/k', decodedLength: 10 })
  assert.equal(up.headers['X-Amz-Security-Token'], token)
  const text = require('node:util').inspect(up, { depth: 9 })
  assert.ok(!text.includes(token) && !text.includes(credentials.secretAccessKey), text)
  assert.match(text, /StreamingUpload/)
})

test('round trips in every payload form and SigV4a; truncation and misuse are errors', async () => {
  const body = crypto.randomBytes(150000)
  for (const algorithm of ['sigv4', 'sigv4a']) {
    const signer = new Signer({ credentials, region: algorithm === 'sigv4a' ? '*' : 'us-east-1', service: 's3', algorithm })
    const v = new Verifier({ credentials: { [credentials.accessKeyId]: credentials.secretAccessKey }, ...scope, allowSigv4a: true })
    for (const payload of ['streaming-signed', 'streaming-signed-trailer', 'streaming-unsigned-trailer']) {
      const trailers = payload === 'streaming-signed' ? undefined : ['x-amz-checksum-sha256']
      const up = signer.signStreaming({ method: 'PUT', url: 'https://b.s3.amazonaws.com/k', decodedLength: body.length, chunkSize: 65536, payload, trailers })
      const values = trailers ? { 'x-amz-checksum-sha256': crypto.createHash('sha256').update(body).digest('base64') } : undefined
      const pieces = []
      for await (const p of up.encode(Readable.from([body.subarray(0, 99999), body.subarray(99999)]), { trailers: values })) pieces.push(p)
      const wire = Buffer.concat(pieces)
      assert.equal(wire.length, Number(up.headers['Content-Length']), `${algorithm} ${payload}`)
      const s = v.verifyStreaming({ method: 'PUT', url: '/k', headers: Object.entries(up.headers) })
      assert.equal(s.identity.algorithm, algorithm === 'sigv4a' ? 'AWS4-ECDSA-P256-SHA256' : 'AWS4-HMAC-SHA256')
      const out = [s.feed(wire.subarray(0, 1000)), s.feed(wire.subarray(1000))]
      assert.deepEqual(Buffer.concat(out), body)
      assert.deepEqual(s.finish(), values ?? {})
      // Truncated: finish fails.
      const t = v.verifyStreaming({ method: 'PUT', url: '/k', headers: Object.entries(up.headers) })
      t.feed(wire.subarray(0, wire.length - 40))
      assert.throws(() => t.finish(), (e) => e instanceof VerificationError && e.code === 'InvalidChunk')
    }
  }
  const signer = new Signer({ credentials, ...scope })
  const up = signer.signStreaming({ method: 'PUT', url: 'https://b.s3.amazonaws.com/k', decodedLength: 10 })
  assert.throws(() => up.chunk(Buffer.alloc(11)), (e) => e.code === 'InvalidChunk')
  const up2 = signer.signStreaming({ method: 'PUT', url: 'https://b.s3.amazonaws.com/k', decodedLength: 10 })
  up2.chunk(Buffer.alloc(5))
  assert.throws(() => up2.final(), (e) => e.code === 'InvalidChunk')
  assert.throws(() => signer.signStreaming({ method: 'PUT', url: 'https://b.s3.amazonaws.com/k', decodedLength: -1 }), (e) => e.code === 'InvalidOption' && e.argument === 'decodedLength')
  assert.throws(() => signer.signStreaming({ method: 'PUT', url: 'https://b.s3.amazonaws.com/k', decodedLength: 1, chunkSize: 0 }), (e) => e.code === 'InvalidOption')
  assert.throws(() => signer.signStreaming({ method: 'PUT', url: 'https://b.s3.amazonaws.com/k', decodedLength: 1, payload: 'signed' }), (e) => e.code === 'InvalidOption' && e.argument === 'payload')
  assert.throws(() => signer.signStreaming({ method: 'PUT', url: 'https://b.s3.amazonaws.com/k', decodedLength: 1, trailers: ['x-custom'] }), (e) => e.code === 'InvalidOption')
})
