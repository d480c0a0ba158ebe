'use strict'
// SigV4a through new Signer({..., algorithm: 'sigv4a'}): the AWS v4a suite in both forms. Canonical
// request, string to sign and the signed request are compared byte for byte with the suite;
// signatures are checked with node's crypto (ECDSA P-256, an independent implementation) against
// each case's public-key.json: ours, and the suite's own over the same string to sign. The signed
// requests also verify through Verifier({allowSigv4a: true}).
const test = require('node:test')
const assert = require('node:assert/strict')
const crypto = require('node:crypto')
const fs = require('node:fs')
const path = require('node:path')
const { Signer, Verifier, VerificationError } = require('..')
const { parseRequest, render, ROOT } = require('./vectors')

const SUITE = path.join(ROOT, 'aws-signing-test-suite', 'v4a')
const CASES = fs.readdirSync(SUITE, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort()
const WITH_OUTPUTS = CASES.filter((c) => fs.existsSync(path.join(SUITE, c, 'public-key.json')))

const read = (c, f) => fs.readFileSync(path.join(SUITE, c, f), 'utf8')
const b64url = (hex) => Buffer.from(hex, 'hex').toString('base64url')

function signerFor(ctx) {
  const c = ctx.credentials
  const credentials = { accessKeyId: c.access_key_id, secretAccessKey: c.secret_access_key }
  if (c.token) credentials.sessionToken = c.token
  const o = { credentials, region: ctx.region, service: ctx.service, algorithm: 'sigv4a' }
  if (ctx.normalize === false) o.normalizePath = false
  if (ctx.sign_body === true) o.contentSha256Header = true
  if (ctx.omit_session_token === true) o.signSessionToken = false
  return new Signer(o)
}

function sign(c, form) {
  const ctx = JSON.parse(read(c, 'context.json'))
  const raw = parseRequest(read(c, 'request.txt'))
  const req = { method: raw.method, url: raw.target, headers: raw.headers, body: raw.body, timestamp: new Date(ctx.timestamp) }
  const signer = signerFor(ctx)
  return { ctx, raw, signed: form === 'header' ? signer.sign(req) : signer.presign(req, { expiresIn: ctx.expiration_in_seconds }) }
}

function publicKey(c) {
  const k = JSON.parse(read(c, 'public-key.json'))
  return crypto.createPublicKey({ key: { kty: 'EC', crv: 'P-256', x: b64url(k.X), y: b64url(k.Y) }, format: 'jwk' })
}

const verifies = (key, sigHex, text) => crypto.verify('sha256', Buffer.from(text), { key, dsaEncoding: 'der' }, Buffer.from(sigHex, 'hex'))

const REFUSED = JSON.parse(require('node:fs').readFileSync(require('node:path').join(__dirname, '../../../tests/verify-refused-vectors.json'), 'utf8'))

test('suite shape: 40 cases, 38 with outputs', () => assert.deepEqual([CASES.length, WITH_OUTPUTS.length], [40, 38]))

for (const c of WITH_OUTPUTS) {
  for (const form of ['header', 'query']) {
    test(`v4a ${c} (${form})`, () => {
      const { ctx, raw, signed } = sign(c, form)
      const expect = (name) => read(c, `${form}-${name}`)
      assert.equal(signed.canonicalRequest, expect('canonical-request.txt'))
      assert.equal(signed.stringToSign, expect('string-to-sign.txt'))
      const key = publicKey(c)
      assert.ok(verifies(key, signed.signature, signed.stringToSign), 'our signature, checked by node:crypto')
      assert.ok(verifies(key, expect('signature.txt').trim(), expect('string-to-sign.txt')), "the suite's signature over the same text")
      assert.ok(!verifies(key, signed.signature, signed.stringToSign + ' '), 'a changed text fails')
      const expected = expect('signed-request.txt')
      const theirs = expected.split('Signature=')[1].split('\n')[0].split(' ')[0]
      assert.ok(verifies(key, theirs, expect('string-to-sign.txt')))
      assert.equal(render(raw, signed.url, signed.headers).replace(signed.signature, theirs), expected)
      // The verifier accepts it (SigV4a opted in), and refuses it by default.
      const c2 = ctx.credentials
      const secret = c2.token ? { secretAccessKey: c2.secret_access_key, sessionToken: c2.token } : c2.secret_access_key
      const vo = { credentials: { [c2.access_key_id]: secret }, region: 'us-east-1', service: ctx.service }
      if (ctx.normalize === false) vo.normalizePath = false
      if (ctx.omit_session_token === true) vo.signSessionToken = false
      const given = new Set(raw.headers.map(([n]) => n.toLowerCase()))
      const headers = [...raw.headers, ...Object.entries(signed.headers).filter(([n]) => !given.has(n.toLowerCase()))]
      const request = { method: raw.method, url: signed.url.replace(/^https?:\/\/[^/]+/, ''), headers, body: raw.body }
      // Issue 23: a raw target the application would read differently is refused; the normalised
      // path AWS signed still verifies.
      const refused = REFUSED[c]
      if (refused) {
        assert.throws(() => new Verifier({ ...vo, allowSigv4a: true }).verify(request, { now: new Date(ctx.timestamp) }),
          (e) => e.code === refused.code)
        if (refused.send_instead === null) return
        const q = request.url.indexOf('?')
        request.url = refused.send_instead + (q >= 0 ? request.url.slice(q) : '')
      }
      const who = new Verifier({ ...vo, allowSigv4a: true }).verify(request, { now: new Date(ctx.timestamp) })
      assert.equal(who.algorithm, 'AWS4-ECDSA-P256-SHA256')
      assert.equal(who.regionSet, ctx.region)
      assert.throws(() => new Verifier(vo).verify(request, { now: new Date(ctx.timestamp) }), VerificationError)
    })
  }
}

test('request-only cases sign with a well-formed DER signature', () => {
  for (const c of CASES.filter((x) => !WITH_OUTPUTS.includes(x))) {
    for (const form of ['header', 'query']) {
      const { signed } = sign(c, form)
      const der = Buffer.from(signed.signature, 'hex')
      assert.equal(der[0], 0x30)
      assert.equal(der[1], der.length - 2)
      assert.ok(signed.stringToSign.startsWith('AWS4-ECDSA-P256-SHA256\n'))
    }
  }
})

test('region sets and errors', () => {
  const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' }
  for (const region of ['us-east-1,us-west-2', '*']) {
    const signer = new Signer({ credentials, region, service: 's3', algorithm: 'sigv4a' })
    assert.equal(signer.algorithm, 'sigv4a')
    const s = signer.sign({ method: 'GET', url: 'https://bucket.s3.amazonaws.com/key', timestamp: '20150830T123600Z' })
    assert.equal(s.headers['X-Amz-Region-Set'], region)
    assert.ok(s.authorization.startsWith('AWS4-ECDSA-P256-SHA256 Credential=AKIDEXAMPLE/20150830/s3/aws4_request'))
    const url = signer.presign({ method: 'GET', url: 'https://bucket.s3.amazonaws.com/key' }, { expiresIn: 60 }).url
    assert.ok(url.includes('X-Amz-Algorithm=AWS4-ECDSA-P256-SHA256') && url.includes('X-Amz-Region-Set='))
  }
  assert.throws(() => new Signer({ credentials, region: 'us-east-1', service: 's3', algorithm: 'sigv5' }), (e) => e.code === 'InvalidOption' && e.argument === 'algorithm')
  assert.throws(() => new Signer({ credentials, region: 'us-east-1,,us-west-2', service: 's3', algorithm: 'sigv4a' }), (e) => e.code === 'InvalidRegion')
})

test('SigV4a with a credential provider, and signAsync', async () => {
  const signer = new Signer({ credentials: async () => ({ accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' }), region: '*', service: 's3', algorithm: 'sigv4a' })
  const s = await signer.signAsync({ method: 'GET', url: 'https://b.s3.amazonaws.com/k', timestamp: '20150830T123600Z' })
  const key = publicKey(WITH_OUTPUTS[0])
  assert.ok(verifies(key, s.signature, s.stringToSign))
})
