'use strict'
// The types match the runtime: every option the .d.ts declares is one the runtime reads (a value
// of the wrong type is refused naming it: a misspelt option would be ignored silently), every
// error the package throws is a SigV4Error with a code, and serialising errors and streaming
// uploads never writes the session token.
const test = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const path = require('node:path')
const L = require('..')
const aws4 = require('libsigv4/aws4')

const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', sessionToken: 'SECRET-SESSION-TOKEN' }

function declared(file, name) {
  const text = fs.readFileSync(path.join(__dirname, '..', file), 'utf8')
  const body = text.match(new RegExp(`export interface ${name} \\{([\\s\\S]*?)\\n\\}`))[1]
  return [...body.matchAll(/^ {2}(\w+)\??:/gm)].map((m) => m[1])
}

test('every VerifierOptions field of the .d.ts is read by the runtime (allowSigv4a, not allowSigv4A)', () => {
  const names = declared('types.d.ts', 'VerifierOptions')
  assert.ok(names.includes('allowSigv4a'), names.join())
  for (const name of names) {
    const options = { credentials: { AKIDEXAMPLE: 'secret' }, region: 'us-east-1', service: 's3', [name]: Symbol('wrong type') }
    assert.throws(() => new L.Verifier(options), (e) => e instanceof L.SigV4Error && e.argument === name, name)
  }
})

test('every SignerOptions field of the .d.ts is read by the runtime', () => {
  const names = declared('types.d.ts', 'SignerOptions')
  for (const name of names) {
    const options = { credentials, region: 'us-east-1', service: 's3', [name]: Symbol('wrong type') }
    assert.throws(() => new L.Signer(options), (e) => e instanceof L.SigV4Error && typeof e.code === 'string' && e.argument === name, name)
  }
})

test('every error thrown while signing or verifying is a SigV4Error with a code', () => {
  const signer = new L.Signer({ credentials, region: 'us-east-1', service: 'execute-api' })
  const bad = [
    () => signer.sign({ url: 'no-host' }),
    () => signer.sign(5),
    () => signer.sign({ url: 'https://h/', headers: { 'a b': 'x' } }),
    () => signer.sign({ url: 'https://h/', headers: { a: 'x\ny' } }),
    () => signer.sign({ url: 'https://h/', body: 5 }),
    () => signer.sign({ url: 'https://h/', payloadHash: 'nothex' }),
    () => signer.sign({ url: 'https://h/', timestamp: 'yesterday' }),
    () => signer.presign({ url: 'https://h/' }, { expiresIn: 604801 }),
    () => new L.Signer({ credentials: 7, region: 'us-east-1', service: 's3' }),
    () => new L.Signer({ credentials, region: 'bad region', service: 's3' }),
    () => new L.Signer({ credentials, region: 'us-east-1' }),
    () => L.signV4({}),
    () => L.sha256Hex(5),
    () => new L.Verifier({}),
    () => aws4.sign({ host: 'h', path: '/%zz', service: 's3' }, credentials),
  ]
  for (const f of bad) {
    assert.throws(f, (e) => e instanceof L.SigV4Error && e.name === 'SigV4Error' && typeof e.code === 'string' && e.code.length > 0, f.toString())
  }
})

test('JSON.stringify of a VerificationError or a StreamingUpload never includes the session token', () => {
  const signer = new L.Signer({ credentials, region: 'us-east-1', service: 's3' })
  const up = signer.signStreaming({ method: 'PUT', url: 'https://b.s3.amazonaws.com/k', decodedLength: 3 })
  assert.ok(up.headers['x-amz-security-token'] === credentials.sessionToken || up.headers['X-Amz-Security-Token'] === credentials.sessionToken)
  const json = JSON.stringify(up)
  assert.ok(!json.includes(credentials.sessionToken), json)
  assert.equal(JSON.parse(json).seedSignature, up.seedSignature)

  const signed = signer.sign({ url: 'https://b.s3.amazonaws.com/k' })
  const verifier = new L.Verifier({ credentials: { AKIDEXAMPLE: { secretAccessKey: 'wrong', sessionToken: credentials.sessionToken } }, region: 'us-east-1', service: 's3' })
  let caught
  try {
    verifier.verify({ method: 'GET', url: '/k', headers: signed.headers })
  } catch (e) {
    caught = e
  }
  assert.ok(caught instanceof L.VerificationError && caught instanceof L.SigV4Error)
  assert.equal(caught.code, 'SignatureDoesNotMatch')
  assert.ok(caught.canonicalRequest.includes('x-amz-security-token'))
  const text = JSON.stringify(caught)
  assert.ok(!text.includes(credentials.sessionToken), text)
  assert.equal(JSON.parse(text).code, 'SignatureDoesNotMatch')
})
