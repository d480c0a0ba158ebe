'use strict'
// libsigv4/aws-sdk's SignatureV4 against @smithy/signature-v4 (the AWS SDK v3 signer) on generated
// hostile HttpRequests: sign, presign, signString, signEvent and signMessage must give identical
// output. Seeded (SIGV4_SEED); the seed is printed.
const test = require('node:test')
const assert = require('node:assert/strict')
const smithy = require('@smithy/signature-v4')
const { HttpRequest } = require('@smithy/core/protocols')
const { Sha256 } = require('@aws-crypto/sha256-js')
const { SignatureV4 } = require('../lib/aws-sdk')
const { rng } = require('./gen')

const SEED = Number(process.env.SIGV4_SEED || 20260)
const N = 250
const akid = 'AKIDEXAMPLE'
const secret = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY'
const token = 'tok/en+=='

const SEGMENTS = ['a', 'key', 'x y', '+', '%2B', '%2f', '%zz', '@', '*', ':', '=', '$', 'é', '日本', '😀', '', '.', '..', '~',
  "it's", '(1)', '!', ';']
const QUERY_PARTS = ['a', 'b', 'A', 'k', '', 'x y', '+', '@', '*', ':', '=', '$', 'é', '/', '&', '%', '~', '1', '%2F']
const HEADER_NAMES = ['X-Amz-Meta-A', 'x-amz-meta-a', 'x-custom', 'Content-Type', 'User-Agent', 'Proxy-Foo', 'Sec-Fetch-Mode',
  'Cache-Control', 'X-Amzn-Trace-Id', 'x-amz-server-side-encryption', 'Expect', 'Date', 'Authorization', 'X-Amz-Date',
  'X-Amz-Content-Sha256', 'host']
const HEADER_VALUES = ['v', ' padded ', 'a   b', 'x\ty', 'é', 'a\r\nb', ' \t ', '', 'a,b', '"q   q"']

const stats = {}
process.on('exit', () => console.log('outcomes', JSON.stringify(stats)))
const pick = (r, list) => list[Math.floor(r() * list.length)]

function genRequest(r) {
  const segs = Array.from({ length: 1 + Math.floor(r() * 4) }, () => pick(r, SEGMENTS))
  const path = '/' + segs.join('/') + (r() < 0.2 ? '/' : '')
  const query = {}
  for (let i = Math.floor(r() * 4); i > 0; i--) {
    const key = pick(r, QUERY_PARTS) + pick(r, QUERY_PARTS)
    query[key] = r() < 0.25 ? [pick(r, QUERY_PARTS), pick(r, QUERY_PARTS)] : pick(r, QUERY_PARTS)
  }
  if (r() < 0.05) query['X-Amz-Signature'] = 'old'
  const headers = { host: pick(r, ['example.amazonaws.com', 'bucket.s3.us-east-1.amazonaws.com', '127.0.0.1:9000']) }
  for (let i = Math.floor(r() * 5); i > 0; i--) {
    const name = pick(r, HEADER_NAMES)
    headers[name] = name === 'X-Amz-Content-Sha256'
      ? pick(r, ['UNSIGNED-PAYLOAD', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'])
      : pick(r, HEADER_VALUES)
  }
  const bodies = [undefined, '', '{"a":1}', 'é', new Uint8Array([1, 2, 3]), new Uint8Array(0).buffer, { pipe() {} }]
  const body = pick(r, bodies)
  return new HttpRequest({ method: pick(r, ['GET', 'PUT', 'POST', 'DELETE']), protocol: 'https:',
    hostname: headers.host.split(':')[0], path, query, headers, body })
}

function plain(req) {
  return { method: req.method, hostname: req.hostname, port: req.port, protocol: req.protocol, path: req.path,
    query: req.query, headers: req.headers, body: req.body }
}

function options(r, presigning) {
  const o = { signingDate: new Date(Date.UTC(2024, 1, 29, 23, 59, 59) + Math.floor(r() * 1e9)) }
  if (r() < 0.2) o.unsignableHeaders = new Set(['x-custom', 'content-type'])
  if (r() < 0.2) o.signableHeaders = new Set(['user-agent', 'cache-control'])
  if (r() < 0.2) o.signingRegion = 'us-west-2'
  if (r() < 0.2) o.signingService = 'execute-api'
  if (presigning) {
    o.expiresIn = pick(r, [1, 900, 3600, 604800])
    if (r() < 0.2) o.unhoistableHeaders = new Set(['x-amz-meta-a'])
    if (r() < 0.2) o.hoistableHeaders = new Set(['x-custom'])
  }
  return o
}

async function outcome(fn) {
  try {
    return { ok: await fn() }
  } catch (err) {
    return { error: String(err && err.message ? err.constructor.name : err) }
  }
}

test(`SignatureV4 matches @smithy/signature-v4 on generated HttpRequests (seed ${SEED})`, async (t) => {
  console.log(`seed ${SEED}`)
  for (const uriEscapePath of [true, false]) {
    for (const applyChecksum of [true, false]) {
      await t.test(`uriEscapePath=${uriEscapePath} applyChecksum=${applyChecksum}`, async () => {
        const r = rng(SEED + (uriEscapePath ? 1 : 0) + (applyChecksum ? 2 : 0))
        for (let i = 0; i < N; i++) {
          const credentials = { accessKeyId: akid, secretAccessKey: secret, sessionToken: r() < 0.5 ? token : undefined }
          const init = { credentials, region: 'eu-west-1', service: pick(r, ['s3', 'dynamodb']), uriEscapePath, applyChecksum }
          const theirs = new smithy.SignatureV4({ ...init, sha256: Sha256 })
          const ours = new SignatureV4(init)
          const request = genRequest(r)
          const presigning = r() < 0.4
          const opts = options(r, presigning)
          const method = presigning ? 'presign' : 'sign'
          const a = await outcome(() => theirs[method](request, { ...opts }))
          const b = await outcome(() => ours[method](request, { ...opts }))
          const what = `case ${i} (seed ${SEED}): ${method} ${request.method} ${request.path} ${JSON.stringify(request.query)} ${JSON.stringify(request.headers)}`
          stats[a.error ? "error" : "ok"] = (stats[a.error ? "error" : "ok"] || 0) + 1
          assert.deepEqual(b.error, a.error, what)
          if (a.ok) assert.deepEqual(plain(b.ok), plain(a.ok), what)
        }
      })
    }
  }
})

test(`signWithCredentials / presignWithCredentials match the S3 client's signer (seed ${SEED})`, async () => {
  const { SignatureV4SignWithCredentials } = require('@aws-sdk/signature-v4-multi-region')
  const r = rng(SEED + 11)
  const express = { accessKeyId: 'ASIAEXPRESS', secretAccessKey: 'express/secret+', sessionToken: 'session/token==' }
  for (let i = 0; i < 200; i++) {
    const init = { credentials: { accessKeyId: akid, secretAccessKey: secret, sessionToken: token }, region: 'us-west-2',
      service: 's3express', uriEscapePath: false, applyChecksum: r() < 0.5 }
    const theirs = new SignatureV4SignWithCredentials({ ...init, sha256: Sha256 })
    const ours = new SignatureV4(init)
    const request = genRequest(r)
    const presigning = r() < 0.5
    const opts = options(r, presigning)
    const method = presigning ? 'presignWithCredentials' : 'signWithCredentials'
    const mine = genRequestCopy(request)
    const a = await outcome(() => theirs[method](request, express, { ...opts }))
    const b = await outcome(() => ours[method](mine, express, { ...opts }))
    const what = `case ${i} (seed ${SEED}): ${method} ${request.path}`
    assert.deepEqual(b.error, a.error, what)
    if (a.ok) assert.deepEqual(plain(b.ok), plain(a.ok), what)
    assert.deepEqual(plain(mine), plain(request), `${what}: the input is changed the same way`)
  }
})

function genRequestCopy(request) {
  return new HttpRequest({ ...request, headers: { ...request.headers }, query: JSON.parse(JSON.stringify(request.query)) })
}

test('signString, signEvent and signMessage match @smithy/signature-v4', async () => {
  const r = rng(SEED + 7)
  const credentials = { accessKeyId: akid, secretAccessKey: secret }
  const theirs = new smithy.SignatureV4({ credentials, region: 'us-east-1', service: 'transcribe', sha256: Sha256 })
  const ours = new SignatureV4({ credentials, region: 'us-east-1', service: 'transcribe' })
  const signingDate = new Date('2024-02-29T23:59:59Z')
  assert.equal(await ours.sign('a string to sign', { signingDate }), await theirs.sign('a string to sign', { signingDate }))
  const event = { headers: new Uint8Array([1, 2, 3]), payload: new Uint8Array([4, 5]) }
  const eo = { signingDate, priorSignature: 'ab'.repeat(32) }
  assert.equal(await ours.sign(event, eo), await theirs.sign(event, eo))
  const { Int64 } = { Int64: class { constructor(bytes) { this.bytes = bytes } } }
  for (let i = 0; i < 50; i++) {
    const headers = {
      ':event-type': { type: 'string', value: pick(r, ['AudioEvent', 'é', '']) },
      flag: { type: 'boolean', value: r() < 0.5 },
      b: { type: 'byte', value: Math.floor(r() * 256) - 128 },
      s: { type: 'short', value: Math.floor(r() * 65536) - 32768 },
      n: { type: 'integer', value: Math.floor(r() * 2 ** 32) - 2 ** 31 },
      l: { type: 'long', value: new Int64(Uint8Array.from({ length: 8 }, () => Math.floor(r() * 256))) },
      bin: { type: 'binary', value: Uint8Array.from({ length: Math.floor(r() * 10) }, () => Math.floor(r() * 256)) },
      ts: { type: 'timestamp', value: new Date(Math.floor(r() * 2e12)) },
      id: { type: 'uuid', value: '123e4567-e89b-12d3-a456-426614174000' },
    }
    const message = { message: { headers, body: Uint8Array.from({ length: Math.floor(r() * 40) }, () => Math.floor(r() * 256)) },
      priorSignature: 'cd'.repeat(32) }
    assert.deepEqual(await ours.sign(message, { signingDate }), await theirs.sign(message, { signingDate }), `message ${i}`)
  }
  const badUuid = { message: { headers: { id: { type: 'uuid', value: 'not-a-uuid' } }, body: new Uint8Array(0) }, priorSignature: '' }
  await assert.rejects(() => theirs.sign(badUuid, { signingDate }))
  await assert.rejects(() => ours.sign(badUuid, { signingDate }), /Invalid UUID/)
})

test('presign refuses an expiry over a week, as smithy does', async () => {
  const ours = new SignatureV4({ credentials: { accessKeyId: akid, secretAccessKey: secret }, region: 'us-east-1', service: 's3' })
  const req = new HttpRequest({ hostname: 'h', path: '/', headers: { host: 'h' } })
  await assert.rejects(() => ours.presign(req, { expiresIn: 604801 }), /one week/)
})
