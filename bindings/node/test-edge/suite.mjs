// The checks every edge runtime runs (workerd, Bun, Chromium, Node's WebAssembly path), with no Node built-in:
// the AWS v4 suite signed (header and presigned forms) and verified, the S3 documentation examples (header
// signing and the aws-chunked upload through a web TransformStream, then verified), SigV4a signed and verified,
// libsigv4/aws4 against the npm aws4's output,
// aws4fetch's own output for generated requests (sign() and signSync()), and — where `fetchUrl` is given — signed
// fetches from the local server: aws4fetch's retry on 503, and an S3 upload streamed as aws-chunked (not where
// `streamUpload` is false: Deno's fetch sends a stream body chunked, without the Content-Length S3 needs).
// Returns { passed, failed, failures: [{ name, message }] }.

const enc = new TextEncoder()

export async function runSuite(lib, aws4fetch, data, { fetchUrl, aws4, streamUpload = true } = {}) {
  const failures = []
  let passed = 0
  const check = async (name, fn) => {
    try {
      await fn()
      passed++
    } catch (e) {
      failures.push({ name, message: String(e && e.stack ? e.stack : e).slice(0, 600) })
    }
  }
  const eq = (a, b, what) => {
    const x = JSON.stringify(a)
    const y = JSON.stringify(b)
    if (x !== y) throw new Error(`${what}: ${x} !== ${y}`)
  }

  for (const c of data.v4) {
    const req = { ...c.request, body: enc.encode(c.request.body), timestamp: c.timestamp }
    await check(`v4 ${c.name} header`, () => {
      const s = new lib.Signer(c.options).sign(req)
      eq(s.canonicalRequest, c.header.canonicalRequest, 'canonical request')
      eq(s.stringToSign, c.header.stringToSign, 'string to sign')
      eq(s.signature, c.header.signature, 'signature')
    })
    await check(`v4 ${c.name} presign`, () => {
      const s = new lib.Signer(c.options).presign(req, { expiresIn: c.expiresIn })
      eq(s.canonicalRequest, c.query.canonicalRequest, 'canonical request')
      eq(s.signature, c.query.signature, 'signature')
    })
    const ctx = c.context
    const cr = ctx.credentials
    const vo = { credentials: { [cr.access_key_id]: cr.token ? { secretAccessKey: cr.secret_access_key, sessionToken: cr.token } : cr.secret_access_key }, region: ctx.region, service: ctx.service }
    if (ctx.normalize === false) vo.normalizePath = false
    if (ctx.omit_session_token === true) vo.signSessionToken = false
    for (const form of ['header', 'query']) {
      let w = c.signed[form]
      await check(`v4 ${c.name} verify ${form}`, () => {
        const v = new lib.Verifier(vo)
        if (c.refused) {
          // A raw target the verifier refuses (tests/verify-refused-vectors.json); then the path AWS signed.
          let code = null
          try {
            v.verify({ method: w.method, url: w.target, headers: w.headers, body: enc.encode(w.body) }, { now: c.timestamp })
          } catch (e) {
            code = e.code
          }
          eq(code, c.refused.code, 'refused target')
          if (c.refused.send_instead === null) return
          const q = w.target.indexOf('?')
          w = { ...w, target: c.refused.send_instead + (q >= 0 ? w.target.slice(q) : '') }
        }
        const who = v.verify({ method: w.method, url: w.target, headers: w.headers, body: enc.encode(w.body) }, { now: c.timestamp })
        eq(who.accessKeyId, cr.access_key_id, 'accessKeyId')
        let code = null
        try {
          v.verify({ method: w.method === 'GET' ? 'PUT' : 'GET', url: w.target, headers: w.headers, body: enc.encode(w.body) }, { now: c.timestamp })
        } catch (e) {
          code = e.code
        }
        eq(code, 'SignatureDoesNotMatch', 'tampered method')
      })
    }
  }

  const s3 = data.s3
  const s3creds = { accessKeyId: s3.credentials.access_key_id, secretAccessKey: s3.credentials.secret_access_key }
  for (const ex of s3.header_signed) {
    await check(`s3 ${ex.name}`, () => {
      const s = new lib.Signer({ credentials: s3creds, region: s3.region, service: s3.service })
        .sign({ method: ex.method, url: ex.url, headers: ex.headers, body: ex.body, timestamp: s3.timestamp })
      eq(s.signature, ex.signature, 'signature')
      eq(s.signedHeaders, ex.signed_headers, 'signed headers')
    })
  }
  await check('s3 aws-chunked upload through a TransformStream, then verified', async () => {
    const ex = s3.chunked_upload
    const signer = new lib.Signer({ credentials: s3creds, region: s3.region, service: s3.service })
    const headers = ex.headers.filter(([n]) => n.toLowerCase() === 'x-amz-storage-class')
    const up = signer.signStreaming({ method: ex.method, url: ex.url, headers, decodedLength: 66560, chunkSize: 65536, timestamp: s3.timestamp })
    eq(up.seedSignature, ex.seed_signature, 'seed signature')
    const body = new Uint8Array(66560).fill(97)
    const source = new ReadableStream({
      start(controller) {
        for (let i = 0; i < body.length; i += 7000) controller.enqueue(body.subarray(i, i + 7000))
        controller.close()
      },
    })
    const wire = new Uint8Array(await new Response(up.readableStream(source)).arrayBuffer())
    eq(wire.length, 66824, 'wire length')
    const text = new TextDecoder().decode(wire)
    ex.chunk_sizes.forEach((size, i) => {
      if (!text.includes(`${size.toString(16)};chunk-signature=${ex.chunk_signatures[i]}\r\n`)) throw new Error(`chunk ${i} signature missing`)
    })
    const v = new lib.Verifier({ credentials: { [s3creds.accessKeyId]: s3creds.secretAccessKey }, region: s3.region, service: s3.service })
    const stream = v.verifyStreaming({ method: ex.method, url: ex.url, headers: Object.entries(up.headers) }, { now: s3.timestamp })
    const data = stream.feed(wire)
    eq(data.length, 66560, 'verified length')
    eq(stream.finish(), {}, 'trailers')
  })

  await check('sigv4a sign and verify', () => {
    const creds = { accessKeyId: 'AKIDV4A', secretAccessKey: 'v4a-secret' }
    const s = new lib.Signer({ credentials: creds, region: 'us-east-1,us-west-2', service: 's3', algorithm: 'sigv4a' })
      .sign({ method: 'GET', url: 'https://b.s3.amazonaws.com/key', timestamp: '20240101T000000Z' })
    if (!s.authorization.startsWith('AWS4-ECDSA-P256-SHA256 ')) throw new Error(s.authorization)
    const v = new lib.Verifier({ credentials: { AKIDV4A: 'v4a-secret' }, region: 'us-west-2', service: 's3', allowSigv4a: true })
    const who = v.verify({ method: 'GET', url: s.url, headers: s.headers }, { now: '20240101T000000Z' })
    eq([who.algorithm, who.regionSet], ['AWS4-ECDSA-P256-SHA256', 'us-east-1,us-west-2'], 'identity')
  })

  const shape = (s) => ({ method: s.method, url: s.url.toString(), headers: [...s.headers] })
  for (const [i, { input, expected }] of data.aws4fetch.entries()) {
    await check(`aws4fetch #${i} ${input.url}`, async () => {
      eq(shape(await new aws4fetch.AwsV4Signer({ ...input, headers: input.headers && { ...input.headers } }).sign()), expected, 'sign()')
      eq(shape(new aws4fetch.AwsV4Signer({ ...input, headers: input.headers && { ...input.headers } }).signSync()), expected, 'signSync()')
    })
  }

  for (const [i, c] of (aws4 ? data.aws4 : []).entries()) {
    await check(`aws4 #${i} ${c.input.host}${c.input.path}`, () => {
      const out = aws4.sign({ ...c.input, headers: { ...c.input.headers } }, c.credentials)
      eq({ path: out.path, headers: out.headers }, c.expected, 'aws4.sign')
    })
  }

  if (fetchUrl) {
    const client = new aws4fetch.AwsClient({ accessKeyId: 'AKIDEDGE', secretAccessKey: 'edge-secret', service: 'execute-api', region: 'us-east-1', retries: 3, initRetryMs: 5 })
    await check('AwsClient.fetch retries a 503, then the server verifies the signature', async () => {
      // A bytes body: fetch adds no Content-Type (which aws4fetch never signs and the verifier wants signed).
      const res = await client.fetch(`${fetchUrl}/flaky?x=1`, { method: 'POST', body: enc.encode('{"a":1}') })
      eq(res.status, 200, 'status')
      eq(await res.json(), { accessKeyId: 'AKIDEDGE', attempts: 2 }, 'answer')
    })
    await check('AwsClient.fetch with a wrong secret is refused (403)', async () => {
      const bad = new aws4fetch.AwsClient({ accessKeyId: 'AKIDEDGE', secretAccessKey: 'wrong', service: 'execute-api', region: 'us-east-1', retries: 0 })
      const res = await bad.fetch(`${fetchUrl}/plain`)
      eq(res.status, 403, 'status')
    })
    if (streamUpload) await check('S3 upload of a ReadableStream body as aws-chunked, verified chunk by chunk', async () => {
      const s3client = new aws4fetch.AwsClient({ accessKeyId: 'AKIDEDGE', secretAccessKey: 'edge-secret', service: 's3', region: 'us-east-1' })
      const size = 200000
      const body = new ReadableStream({
        start(controller) {
          for (let i = 0; i < size; i += 50000) controller.enqueue(new Uint8Array(Math.min(50000, size - i)).fill(98))
          controller.close()
        },
      })
      const res = await s3client.fetch(`${fetchUrl}/stream/bucket/key`, { method: 'PUT', body, aws: { streaming: true, decodedLength: size } })
      const got = await res.json()
      eq(res.status, 200, `status ${JSON.stringify(got)}`)
      eq(got.length, size, 'length')
    })
  }
  return { passed, failed: failures.length, failures }
}
