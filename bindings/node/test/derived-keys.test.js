'use strict'
// `signingKeys` on Verifier: the verifier gets derived signing keys (kSigning for the request's date,
// region and service), never the secret. Keys derived by @smithy/signature-v4's getSigningKey (checked
// against the AWS documentation's derivation example); requests signed by @smithy/signature-v4 and aws4;
// the scope asked for; session tokens; unknown keys; misuse; through withSigV4 on a real server.
const test = require('node:test')
const assert = require('node:assert/strict')
const http = require('node:http')
const aws4 = require('aws4')
const { SignatureV4, getSigningKey } = require('@smithy/signature-v4')
const { Sha256 } = require('@aws-crypto/sha256-js')
const { Verifier, withSigV4 } = require('..')

const accessKeyId = 'AKIDEXAMPLE'
const secretAccessKey = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY'
const smithyKey = (secret, date, region, service) =>
  getSigningKey(Sha256, { accessKeyId, secretAccessKey: secret }, date, region, service).then((k) => Buffer.from(k))

test('smithy derivation is the AWS documented one (IAM, 20120215)', async () => {
  const key = await smithyKey(secretAccessKey, '20120215', 'us-east-1', 'iam')
  assert.equal(key.toString('hex'), 'f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d')
})

async function smithySigned(secret = secretAccessKey, sessionToken) {
  const signer = new SignatureV4({ credentials: { accessKeyId, secretAccessKey: secret, sessionToken }, region: 'eu-west-1', service: 'execute-api', sha256: Sha256 })
  const req = await signer.sign({ method: 'POST', protocol: 'https:', hostname: 'api.example.com', path: '/v1/items', query: { q: '1' }, headers: { host: 'api.example.com', 'content-type': 'application/json' }, body: '{"a":1}' }, { signingDate: new Date('2026-03-15T10:15:00Z') })
  return req.headers
}

const NOW = '20260315T101500Z'

for (const form of ['buffer', 'hex', 'uint8array', 'object']) {
  test(`smithy-signed request verifies with a smithy-derived key (${form})`, async () => {
    const keys = new Map()
    const asked = []
    const v = new Verifier({
      region: 'eu-west-1',
      service: 'execute-api',
      signingKeys: (akid, date, region, service) => {
        asked.push([akid, date, region, service])
        if (akid !== accessKeyId) return undefined
        const key = keys.get(date)
        return { buffer: key, hex: key.toString('hex'), uint8array: new Uint8Array(key), object: { signingKey: key } }[form]
      },
    })
    keys.set('20260315', await smithyKey(secretAccessKey, '20260315', 'eu-west-1', 'execute-api'))
    const headers = await smithySigned()
    const who = v.verify({ method: 'POST', url: '/v1/items?q=1', headers, body: '{"a":1}' }, { now: NOW })
    assert.equal(who.accessKeyId, accessKeyId)
    assert.deepEqual(asked, [[accessKeyId, '20260315', 'eu-west-1', 'execute-api']])
    assert.throws(() => v.verify({ method: 'POST', url: '/v1/items?q=1', headers, body: '{"a":2}' }, { now: NOW }), (e) => e.code === 'XAmzContentSHA256Mismatch')
  })
}

test('wrong key, unknown key, session token, misuse, a throwing lookup', async () => {
  const key = await smithyKey(secretAccessKey, '20260315', 'eu-west-1', 'execute-api')
  const headers = await smithySigned()
  const req = { method: 'POST', url: '/v1/items?q=1', headers, body: '{"a":1}' }
  const other = await smithyKey('other-secret', '20260315', 'eu-west-1', 'execute-api')
  const scope = { region: 'eu-west-1', service: 'execute-api' }
  assert.throws(() => new Verifier({ ...scope, signingKeys: () => other }).verify(req, { now: NOW }), (e) => e.code === 'SignatureDoesNotMatch')
  assert.throws(() => new Verifier({ ...scope, signingKeys: () => undefined }).verify(req, { now: NOW }), (e) => e.code === 'InvalidAccessKeyId')
  const tokened = new Verifier({ ...scope, signingKeys: () => ({ signingKey: key, sessionToken: 'TOKEN1' }) })
  assert.throws(() => tokened.verify(req, { now: NOW }), (e) => e.code === 'InvalidToken')
  tokened.verify({ ...req, headers: await smithySigned(secretAccessKey, 'TOKEN1') }, { now: NOW })
  assert.throws(() => new Verifier({ ...scope, credentials: { [accessKeyId]: secretAccessKey }, signingKeys: () => key }), (e) => e.code === 'InvalidOption' && e.argument === 'signingKeys')
  assert.throws(() => new Verifier({ ...scope, signingKeys: 'nope' }), (e) => e.code === 'InvalidOption')
  for (const bad of [Buffer.alloc(31), 'zz'.repeat(32), 42]) {
    assert.throws(() => new Verifier({ ...scope, signingKeys: () => bad }).verify(req, { now: NOW }), (e) => !String(e.message).includes(secretAccessKey))
  }
  assert.throws(() => new Verifier({ ...scope, signingKeys: () => { throw new Error('key service down') } }).verify(req, { now: NOW }), /key service down/)
})

test('withSigV4 on a real server with derived keys; aws4 signs the client request', async () => {
  const today = new Date().toISOString().slice(0, 10).replace(/-/g, '')
  const cache = new Map([[today, await smithyKey(secretAccessKey, today, 'us-east-1', 'execute-api')]])
  const v = new Verifier({ region: 'us-east-1', service: 'execute-api', signingKeys: (akid, date) => (akid === accessKeyId ? cache.get(date) : undefined) })
  const server = http.createServer(withSigV4(v, (req, res) => res.end(req.sigv4.accessKeyId)))
  await new Promise((r) => server.listen(0, '127.0.0.1', r))
  try {
    const host = `127.0.0.1:${server.address().port}`
    const opts = aws4.sign({ host, path: '/items?x=1', method: 'GET', service: 'execute-api', region: 'us-east-1' }, { accessKeyId, secretAccessKey })
    const r = await fetch(`http://${host}/items?x=1`, { headers: opts.headers })
    assert.equal(r.status, 200)
    assert.equal(await r.text(), accessKeyId)
    const bad = aws4.sign({ host, path: '/items?x=1', method: 'GET', service: 'execute-api', region: 'us-east-1' }, { accessKeyId, secretAccessKey: 'wrong' })
    assert.equal((await fetch(`http://${host}/items?x=1`, { headers: bad.headers })).status, 403)
  } finally {
    server.closeAllConnections()
    await new Promise((r) => server.close(r))
  }
})
