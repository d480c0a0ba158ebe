'use strict'
// Every v4 case of the AWS suite, in both forms, through the native Signer: canonical request,
// string to sign, signature and the signed request byte for byte.
const test = require('node:test')
const assert = require('node:assert/strict')
const { Signer, signV4 } = require('..')
const { cases, signerOptions, render } = require('./vectors')

const all = cases()

test('the v4 suite has 38 cases', () => {
  assert.equal(all.length, 38)
})

for (const form of ['header', 'query']) {
  test(`v4 suite, ${form} form`, async (t) => {
    for (const c of all) {
      await t.test(`${c.name} (${form})`, () => {
        const signer = new Signer(signerOptions(c.context))
        const req = c.request
        const request = { method: req.method, url: req.target, headers: req.headers, body: Buffer.from(req.body), timestamp: c.context.timestamp.replace(/[-:]/g, '') }
        const s = form === 'header' ? signer.sign(request) : signer.presign(request, { expiresIn: c.context.expiration_in_seconds })
        assert.equal(s.canonicalRequest, c.read(`${form}-canonical-request.txt`), 'canonical request')
        assert.equal(s.stringToSign, c.read(`${form}-string-to-sign.txt`), 'string to sign')
        assert.equal(s.signature, c.read(`${form}-signature.txt`).trim(), 'signature')
        assert.equal(render(req, s.url, s.headers), c.read(`${form}-signed-request.txt`), 'signed request')
      })
    }
  })
}

test('v4 suite through signV4 (header form, default options)', async (t) => {
  for (const c of all) {
    const ctx = c.context
    if (ctx.normalize === false || ctx.sign_body || ctx.omit_session_token) continue
    await t.test(c.name, () => {
      const req = c.request
      const q = req.target.indexOf('?')
      const uri = q >= 0 ? req.target.slice(0, q) : req.target
      const queryParams = []
      if (q >= 0) {
        for (const piece of req.target.slice(q + 1).split('&')) {
          if (!piece) continue
          const eq = piece.indexOf('=')
          const dec = (s) => decodeURIComponent(s.replace(/\+/g, ' '))
          queryParams.push(eq >= 0 ? [dec(piece.slice(0, eq)), dec(piece.slice(eq + 1))] : [dec(piece), ''])
        }
      }
      const out = signV4({
        accessKey: ctx.credentials.access_key_id, secretKey: ctx.credentials.secret_access_key,
        sessionToken: ctx.credentials.token, region: ctx.region, service: ctx.service, method: req.method,
        uri, queryParams, headers: req.headers, payload: req.body, timestamp: new Date(ctx.timestamp),
      })
      assert.equal(out.canonicalRequest, c.read('header-canonical-request.txt'))
      assert.equal(out.stringToSign, c.read('header-string-to-sign.txt'))
      assert.equal(out.signature, c.read('header-signature.txt').trim())
      assert.equal(out.timestamp, c.read('header-string-to-sign.txt').split('\n')[1])
      assert.ok(out.authorization.endsWith(`Signature=${out.signature}`))
    })
  }
})
