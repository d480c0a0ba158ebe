'use strict'
// examples/node: type-checked with tsc, then the compiled request-signer module calls the local
// verifying server (per-service helpers from env, retry, batch, errors).
const test = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const { execFileSync } = require('node:child_process')
const { start } = require('./server')

const EXAMPLES = path.join(__dirname, '..', '..', '..', 'examples', 'node')
const TSC = path.join(__dirname, '..', 'node_modules', '.bin', 'tsc')

test('examples/node type-checks with tsc (strict)', () => {
  execFileSync(TSC, ['-p', path.join(EXAMPLES, 'tsconfig.json')], { stdio: 'pipe' })
})

test('the request-signer example calls a verifying server', async () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'sigv4-example-'))
  fs.mkdirSync(path.join(out, 'node_modules'))
  fs.symlinkSync(path.join(__dirname, '..'), path.join(out, 'node_modules', 'libsigv4'), 'dir')
  execFileSync(TSC, ['-p', path.join(EXAMPLES, 'tsconfig.json'), '--noEmit', 'false', '--outDir', out], { stdio: 'pipe' })
  const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'example-secret' }
  let failures = 0
  const server = await start({ credentials, region: 'us-east-1', service: 'execute-api' }, {
    '/v1/jobs': ({ body, send }) => send(201, { jobId: 'j1', status: 'submitted', got: JSON.parse(body) }),
    '/v1/health': ({ send }) => (++failures <= 1 ? send(502, { message: 'cold start' }) : send(200, { healthy: true })),
    '/v1/forbidden': ({ send }) => send(403, { message: 'User is not authorized' }),
  })
  const saved = { ...process.env }
  try {
    process.env.AI_SERVICE_API_URL = `${server.url}/v1`
    process.env.ADMIN_SERVICE_API_URL = `${server.url}/v1`
    process.env.AWS_REGION = 'us-east-1'
    const rs = require(path.join(out, 'request-signer.js'))
    rs.useCredentials(credentials)
    const job = await rs.invokeAiService('/jobs', 'POST', { jobType: 'blog-post', topic: 'Real Estate' })
    assert.deepEqual(job, { jobId: 'j1', status: 'submitted', got: { jobType: 'blog-post', topic: 'Real Estate' } })
    assert.deepEqual(await rs.invokeApiGatewayWithRetry(`${server.url}/v1`, 'GET', '/health', undefined, {}, 3, 5), { healthy: true })
    const err = await rs.invokeAdminService('/forbidden').catch((e) => e)
    assert.equal(err.status, 403)
    assert.match(rs.describeError(err), /permission denied/)
    const results = await rs.batchInvokeApiGateway([
      { apiUrl: `${server.url}/v1`, method: 'POST', path: '/jobs', body: { n: 1 } },
      { apiUrl: `${server.url}/v1`, method: 'POST', path: '/jobs', body: { n: 2 } },
    ])
    assert.deepEqual(results.map((r) => r.status), ['fulfilled', 'fulfilled'])
    const signed = await rs.signRequest({ method: 'POST', hostname: 'abc.execute-api.us-east-1.amazonaws.com', path: '/v1/endpoint', body: '{}', queryParams: { param: 'value' } })
    assert.match(signed.headers.Authorization, /^AWS4-HMAC-SHA256 /)
    assert.ok(signed.headers['X-Amz-Date'])
    const m = require(path.join(out, 'aws4-migration.js'))
    process.env.AWS_ACCESS_KEY_ID = 'AKIDEXAMPLE'
    process.env.AWS_SECRET_ACCESS_KEY = 'example-secret'
    assert.match(m.signedForAxiosOrFetch({ a: 1 }).headers.Authorization, /Credential=AKIDEXAMPLE\/\d{8}\/us-east-1\/lambda\//)
    assert.match(m.nativeStyle({ a: 1 }).headers.Authorization, /SignedHeaders=content-type;host;x-amz-date/)
  } finally {
    process.env = saved
    await server.close()
    fs.rmSync(out, { recursive: true, force: true })
  }
})
