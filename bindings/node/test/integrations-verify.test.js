'use strict'
// What the integrations send verifies: SigV4a through the axios interceptor and the fetch helper
// to the project's own verifier (allowSigv4a), and repeated header names (given as [name, value]
// pairs or an array value) through fetch, axios and a plain Signer + fetch. A real node:http server
// on 127.0.0.1 with withSigV4.
const test = require('node:test')
const assert = require('node:assert/strict')
const http = require('node:http')
const axios = require('axios')
const { Signer, Verifier, withSigV4, createSignedFetch, aws4Interceptor } = require('..')

const credentials = { accessKeyId: 'AKIDINTEGRATION', secretAccessKey: 'integration-secret-key', sessionToken: 'integration-token' }
const scope = { region: 'us-east-1', service: 'execute-api' }

function listen(handler) {
  const server = http.createServer(handler)
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => {
    const url = `http://127.0.0.1:${server.address().port}`
    resolve({ url, close: () => new Promise((r) => { server.closeAllConnections(); server.close(r) }) })
  }))
}

function echo(req, res) {
  res.writeHead(200, { 'content-type': 'application/json' })
  res.end(JSON.stringify({ who: req.sigv4, body: req.rawBody.toString('utf8'), rep: req.headers['x-rep'] }))
}

async function withServer(options, fn) {
  const verifier = new Verifier({ credentials: { [credentials.accessKeyId]: { secretAccessKey: credentials.secretAccessKey, sessionToken: credentials.sessionToken } }, ...scope, ...options })
  const server = await listen(withSigV4(verifier, echo))
  try {
    await fn(server.url)
  } finally {
    await server.close()
  }
}

test('SigV4a through the fetch helper and the axios interceptor is accepted by the verifier (allowSigv4a)', async (t) => {
  await withServer({ allowSigv4a: true }, async (url) => {
    for (const region of ['us-east-1', '*', 'us-east-1,us-west-2']) {
      await t.test(`fetch, region set ${region}`, async () => {
        const signedFetch = createSignedFetch({ credentials, service: scope.service, region, algorithm: 'sigv4a', retries: 0 })
        const res = await signedFetch(`${url}/jobs?b=2&a=1`, { method: 'POST', body: '{"n":1}', headers: { 'content-type': 'application/json' } })
        const out = await res.json()
        assert.equal(res.status, 200, JSON.stringify(out))
        assert.equal(out.who.algorithm, 'AWS4-ECDSA-P256-SHA256')
        assert.equal(out.body, '{"n":1}')
      })
      await t.test(`axios, region set ${region}`, async () => {
        const client = axios.create({ validateStatus: () => true })
        client.interceptors.request.use(aws4Interceptor({ credentials, service: scope.service, region, algorithm: 'sigv4a' }))
        const res = await client.post(`${url}/jobs`, { task: 'render' }, { params: { q: 'a b+c' } })
        assert.equal(res.status, 200, JSON.stringify(res.data))
        assert.equal(res.data.who.algorithm, 'AWS4-ECDSA-P256-SHA256')
        assert.deepEqual(JSON.parse(res.data.body), { task: 'render' })
      })
    }
  })
  // And without allowSigv4a the same requests are refused (the test can fail).
  await withServer({}, async (url) => {
    const signedFetch = createSignedFetch({ credentials, service: scope.service, region: '*', algorithm: 'sigv4a', retries: 0 })
    const res = await signedFetch(`${url}/jobs`)
    assert.equal(res.status, 403)
  })
})
test('repeated header names: what the fetch helper, axios and Signer + fetch send verifies', async (t) => {
  await withServer({}, async (url) => {
    const pairs = [['X-Rep', 'a'], ['x-rep', 'b  c'], ['Content-Type', 'text/plain']]
    await t.test('createSignedFetch with [name, value] pairs', async () => {
      const signedFetch = createSignedFetch({ credentials, ...scope, retries: 0 })
      const res = await signedFetch(`${url}/rep`, { method: 'PUT', body: 'x', headers: pairs })
      const out = await res.json()
      assert.equal(res.status, 200, JSON.stringify(out))
    })
    await t.test('Signer.sign, then fetch(s.url, { headers: s.headers }) as the README shows', async () => {
      const s = new Signer({ credentials, ...scope }).sign({ method: 'PUT', url: `${url}/rep`, headers: pairs, body: 'x' })
      const headers = Object.fromEntries(Object.entries(s.headers).filter(([n]) => n.toLowerCase() !== 'host'))
      const res = await fetch(s.url, { method: 'PUT', headers, body: 'x' })
      const out = await res.json()
      assert.equal(res.status, 200, JSON.stringify(out))
    })
    await t.test('axios with a repeated header given as an array value', async () => {
      const client = axios.create({ validateStatus: () => true })
      client.interceptors.request.use(aws4Interceptor({ credentials, ...scope }))
      const res = await client.put(`${url}/rep`, 'x', { headers: { 'X-Rep': ['a', 'b  c'], 'Content-Type': 'text/plain' } })
      assert.equal(res.status, 200, JSON.stringify(res.data))
    })
  })
})

test('a URL whose path holds a raw space or non-ASCII character: the signed URL is what fetch sends, and it verifies', async () => {
  await withServer({}, async (url) => {
    const s = new Signer({ credentials, ...scope }).sign({ url: `${url}/a b/é/ü?q=x y&r=ß` })
    const headers = Object.fromEntries(Object.entries(s.headers).filter(([n]) => n.toLowerCase() !== 'host'))
    const res = await fetch(s.url, { headers })
    const out = await res.json()
    assert.equal(res.status, 200, JSON.stringify(out))
    const signedFetch = createSignedFetch({ credentials, ...scope, retries: 0 })
    const res2 = await signedFetch(`${url}/a b/é?q=x y`)
    assert.equal(res2.status, 200, JSON.stringify(await res2.json()))
  })
})

test('region and service swapped (botocore\'s argument order) is InvalidRegion naming the swap', () => {
  for (const [region, service] of [['execute-api', 'us-east-1'], ['s3', 'eu-west-1'], ['lambda', 'ap-south-1']]) {
    assert.throws(() => new Signer({ credentials, region, service }), (e) => e.code === 'InvalidRegion' && /swapped/.test(e.message), `${region}/${service}`)
  }
  assert.throws(() => new Signer({ credentials, region: '*', service: 's3' }), (e) => e.code === 'InvalidRegion')
})
