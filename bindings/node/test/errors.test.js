'use strict'
// Bad inputs throw errors with a stable `code` (and the `argument`); secrets never show in
// util.inspect; credential providers are called lazily and again before expiry.
const test = require('node:test')
const assert = require('node:assert/strict')
const util = require('node:util')
const { Signer, signV4, SigV4Error } = require('..')

const SECRET = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY'
const TOKEN = 'FwoGZXIvYXdzEXAMPLETOKEN'
const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: SECRET, sessionToken: TOKEN }
const opts = { credentials, region: 'us-east-1', service: 'execute-api' }
const signer = new Signer(opts)

function throwsCode(fn, code, argument) {
  assert.throws(fn, (e) => {
    assert.equal(e.code, code, `${e.message}`)
    if (argument) assert.equal(e.argument, argument)
    assert.ok(!String(e.message).includes(SECRET))
    return true
  })
}

test('bad constructor options', () => {
  throwsCode(() => new Signer(), 'InvalidOption')
  throwsCode(() => new Signer({ ...opts, region: '' }), 'InvalidRegion', 'region')
  throwsCode(() => new Signer({ ...opts, region: 'us/east' }), 'InvalidRegion', 'region')
  throwsCode(() => new Signer({ ...opts, service: 42 }), 'InvalidService', 'service')
  throwsCode(() => new Signer({ ...opts, credentials: { accessKeyId: '', secretAccessKey: 'x' } }), 'InvalidCredentials')
  throwsCode(() => new Signer({ ...opts, credentials: { accessKeyId: 'A' } }), 'InvalidCredentials', 'secretAccessKey')
  throwsCode(() => new Signer({ ...opts, payload: 'maybe' }), 'InvalidOption', 'payload')
  throwsCode(() => new Signer({ ...opts, uriEncoding: 'triple' }), 'InvalidOption', 'uriEncoding')
  throwsCode(() => new Signer({ ...opts, normalizePath: 'yes' }), 'InvalidOption', 'normalizePath')
})

test('bad requests', () => {
  const url = 'https://h.example/'
  throwsCode(() => signer.sign(), 'InvalidUrl', 'request')
  throwsCode(() => signer.sign({}), 'InvalidUrl', 'url')
  throwsCode(() => signer.sign({ url: 'not a url' }), 'InvalidUrl', 'url')
  throwsCode(() => signer.sign({ url: 'https://h/\r\nX: y' }), 'InvalidUrl', 'url')
  throwsCode(() => signer.sign({ url, method: 'GE T' }), 'InvalidMethod', 'method')
  throwsCode(() => signer.sign({ url, headers: { 'Bad Name': 'v' } }), 'InvalidHeaderName')
  throwsCode(() => signer.sign({ url, headers: { 'X-A': 'v\r\nInjected: 1' } }), 'InvalidHeaderValue')
  throwsCode(() => signer.sign({ url, headers: { 'X-A': 'v\u0000' } }), 'InvalidHeaderValue')
  throwsCode(() => signer.sign({ url, headers: 'x' }), 'InvalidHeaderName', 'headers')
  throwsCode(() => signer.sign({ url, headers: [['only-name']] }), 'InvalidHeaderName', 'headers')
  throwsCode(() => signer.sign({ url, body: 12 }), 'InvalidOption', 'body')
  throwsCode(() => signer.sign({ url, payloadHash: 'abc' }), 'InvalidPayloadHash')
  throwsCode(() => signer.sign({ url, timestamp: 'yesterday' }), 'InvalidTimestamp', 'timestamp')
  throwsCode(() => signer.sign({ url, timestamp: new Date('nope') }), 'InvalidTimestamp', 'timestamp')
  throwsCode(() => signer.sign({ url, timestamp: {} }), 'InvalidTimestamp', 'timestamp')
  throwsCode(() => signer.presign({ url }, { expiresIn: 0 }), 'InvalidExpiry', 'expiresIn')
  throwsCode(() => signer.presign({ url }, { expiresIn: 604801 }), 'InvalidExpiry', 'expiresIn')
  throwsCode(() => signer.presign({ url }, { expiresIn: 1.5 }), 'InvalidExpiry', 'expiresIn')
  throwsCode(() => signV4({ accessKey: 'A', secretKey: 'S', region: 'r', service: 's', method: 'GET', uri: 'x' }), 'InvalidUrl', 'uri')
  throwsCode(() => signV4({ accessKey: 'A', secretKey: 'S', region: 'r', service: 's', method: 'GET', uri: '/' }), 'InvalidUrl')
})

test('async variants reject with the same codes', async () => {
  await assert.rejects(signer.signAsync({ url: 'nope' }), (e) => e.code === 'InvalidUrl')
  await assert.rejects(signer.presignAsync({ url: 'https://h/' }, { expiresIn: -1 }), (e) => e.code === 'InvalidExpiry')
  const big = Buffer.alloc(1 << 20, 7)
  const a = await signer.signAsync({ method: 'PUT', url: 'https://h/k', body: big, timestamp: 0 })
  const b = signer.sign({ method: 'PUT', url: 'https://h/k', body: big, timestamp: 0 })
  assert.deepEqual({ ...a }, { ...b })
  assert.equal(a.payloadHash, require('node:crypto').createHash('sha256').update(big).digest('hex'))
})

test('bodies: string, Buffer, Uint8Array and ArrayBuffer hash the same bytes', () => {
  const text = '{"é":1}'
  const bytes = Buffer.from(text)
  const sigs = [text, bytes, new Uint8Array(bytes), bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length)]
    .map((body) => signer.sign({ method: 'POST', url: 'https://h/', body, timestamp: 0 }).signature)
  assert.equal(new Set(sigs).size, 1)
  const headerForms = [{ 'X-A': '1' }, [['X-A', '1']], new Headers({ 'X-A': '1' })]
    .map((headers) => signer.sign({ url: 'https://h/', headers, timestamp: 0 }).signedHeaders)
  assert.deepEqual(headerForms, ['host;x-a;x-amz-date;x-amz-security-token', 'host;x-a;x-amz-date;x-amz-security-token', 'host;x-a;x-amz-date;x-amz-security-token'])
  const t = [new Date(1700000000000), 1700000000, '20231114T221320Z'].map((timestamp) => signer.sign({ url: 'https://h/', timestamp }).amzDate)
  assert.deepEqual(t, ['20231114T221320Z', '20231114T221320Z', '20231114T221320Z'])
})

test('secrets never appear in util.inspect output', () => {
  const shown = [
    util.inspect(signer, { depth: 10, showHidden: true }),
    util.inspect(signer.sign({ url: 'https://h/', timestamp: 0 }), { depth: 10 }),
    util.inspect(signer.presign({ url: 'https://h/', timestamp: 0 }), { depth: 10 }),
    JSON.stringify(signer),
    String(signer),
  ]
  for (const text of shown) {
    assert.ok(!text.includes(SECRET), text)
    assert.ok(!text.includes(TOKEN), text)
    assert.ok(!text.includes(encodeURIComponent(TOKEN)), text)
  }
  // but the token is still sent
  assert.equal(signer.sign({ url: 'https://h/' }).headers['X-Amz-Security-Token'], TOKEN)
  assert.match(signer.presign({ url: 'https://h/' }).url, new RegExp(TOKEN))
})

test('credential providers: loaded on first use, refreshed before expiry, errors surface', async () => {
  let calls = 0
  let expiresIn = 10 * 60 * 1000
  const provider = async () => ({ accessKeyId: `AKID${++calls}`, secretAccessKey: SECRET, expiration: new Date(Date.now() + expiresIn) })
  const s = new Signer({ credentials: provider, region: 'us-east-1', service: 'lambda' })
  assert.throws(() => s.sign({ url: 'https://h/' }), (e) => e.code === 'InvalidCredentials' && e instanceof SigV4Error)
  const first = await s.signAsync({ url: 'https://h/' })
  assert.match(first.authorization, /Credential=AKID1\//)
  await Promise.all([s.signAsync({ url: 'https://h/' }), s.signAsync({ url: 'https://h/' })])
  assert.equal(calls, 1, 'fresh credentials are reused')
  assert.match(s.sign({ url: 'https://h/' }).authorization, /AKID1/)
  expiresIn = 60 * 1000 // within the refresh window
  await s.refreshCredentials(true)
  assert.equal(calls, 2)
  assert.match(s.sign({ url: 'https://h/' }).authorization, /Credential=AKID2\//, 'sign() uses refreshed credentials')
  const third = await s.signAsync({ url: 'https://h/' })
  assert.equal(calls, 3, 'credentials expiring within 5 minutes are refreshed')
  assert.match(third.authorization, /AKID3/)
  const bad = new Signer({ credentials: async () => { throw new Error('no role') }, region: 'us-east-1', service: 'lambda' })
  await assert.rejects(bad.signAsync({ url: 'https://h/' }), /no role/)
  const empty = new Signer({ credentials: async () => null, region: 'us-east-1', service: 'lambda' })
  await assert.rejects(empty.signAsync({ url: 'https://h/' }), (e) => e.code === 'InvalidCredentials')
})

test('credentials from the environment when none are given', () => {
  const saved = { ...process.env }
  try {
    delete process.env.AWS_ACCESS_KEY_ID
    delete process.env.AWS_SECRET_ACCESS_KEY
    delete process.env.AWS_ACCESS_KEY
    delete process.env.AWS_SECRET_KEY
    throwsCode(() => new Signer({ region: 'us-east-1', service: 'lambda' }), 'InvalidCredentials')
    process.env.AWS_ACCESS_KEY_ID = 'AKIDENV'
    process.env.AWS_SECRET_ACCESS_KEY = 'secret'
    assert.match(new Signer({ region: 'us-east-1', service: 'lambda' }).sign({ url: 'https://h/' }).authorization, /AKIDENV/)
  } finally {
    process.env = saved
  }
})
