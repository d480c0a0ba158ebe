'use strict'
// Differential test: the native Signer against @smithy/signature-v4 (the AWS SDK v3 signer) on
// generated hostile requests, in header and presigned form, for S3 and non-S3 services.
const test = require('node:test')
const assert = require('node:assert/strict')
const { SignatureV4 } = require('@smithy/signature-v4')
const { Sha256 } = require('@aws-crypto/sha256-js')
const { Signer } = require('..')
const { rng, request, wireQuery } = require('./gen')

const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', sessionToken: 'tok/en+=' }
const region = 'eu-west-1'
const when = new Date('2024-02-29T23:59:59Z')
const N = 300

function smithyQuery(pairs) {
  const q = {}
  for (const [k, v] of pairs) {
    if (k in q) q[k] = [].concat(q[k], v)
    else q[k] = v
  }
  return q
}

/** S3 paths must arrive already encoded for smithy (it signs S3 paths as given): encode once. */
function s3WirePath(path) {
  return path.split('/').map((s) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase())).join('/')
}

/**
 * The path as every HTTP client sends it (and as the core signs an absolute URL): a space, `"<>\\^\`{|}`
 * and non-ASCII characters percent-encoded (UTF-8), everything else as given. smithy signs the
 * path it is handed as the wire path, so it gets this form.
 */
function clientWirePath(path) {
  return path.replace(/[\u0000-\u0020"<>\\^`{|}\u007f-\u{10ffff}]/gu, (c) => encodeURIComponent(c).replace(/[!'()*]/g, (x) => '%' + x.charCodeAt(0).toString(16).toUpperCase()))
}

test(`native Signer matches @smithy/signature-v4 on ${N} hostile requests per service`, async (t) => {
  for (const service of ['execute-api', 'lambda', 's3']) {
    await t.test(service, async () => {
      const r = rng(service.length * 7919)
      const ours = new Signer({ credentials, region, service })
      const smithy = new SignatureV4({ credentials, region, service, sha256: Sha256, uriEscapePath: service !== 's3', applyChecksum: service === 's3' })
      let compared = 0
      for (let i = 0; i < N; i++) {
        const g = request(r)
        const path = service === 's3' ? s3WirePath(g.path) : clientWirePath(g.path)
        const wq = wireQuery(r, g.query)
        const url = `https://api.example.com${path}${wq ? '?' + wq : ''}`
        // smithy takes one value per name: give it the repeats joined after trimming each, which is
        // what the AWS suite's get-header-key-duplicate case prescribes.
        const headers = {}
        const trim = (v) => v.replace(/[ \t]+/g, ' ').trim()
        for (const [n, v] of g.headers) headers[n] = n in headers ? headers[n] + ',' + trim(v) : trim(v)
        const s = ours.sign({ method: g.method, url, headers: g.headers, body: g.body, timestamp: when })
        // Dot segments: smithy, botocore, aws4 and aws-c-auth drop the slash a trailing '.'/'..'
        // leaves ('/a/b/..' -> '/a'), and so does the core (issue 14): compared like the rest.
        const theirs = await smithy.sign({
          method: g.method, protocol: 'https:', hostname: 'api.example.com', path, query: smithyQuery(g.query),
          headers: { ...headers, host: 'api.example.com' }, body: g.body,
        }, { signingDate: when })
        const sig = /Signature=([0-9a-f]{64})/.exec(theirs.headers.authorization)[1]
        assert.equal(s.signature, sig, `header signature differs for ${g.method} ${url} ${JSON.stringify(g.headers)}\n${s.canonicalRequest}`)
        compared++
        // smithy's presign hoists x-amz-* headers into the query (a choice, not a rule): compare
        // presigned URLs of requests without them.
        if (service !== 's3' && !g.headers.some(([n]) => n.toLowerCase().startsWith('x-amz-'))) {
          const p = ours.presign({ method: g.method, url, headers: g.headers, body: g.body, timestamp: when }, { expiresIn: 900 })
          const tp = await smithy.presign({
            method: g.method, protocol: 'https:', hostname: 'api.example.com', path, query: smithyQuery(g.query),
            headers: { ...headers, host: 'api.example.com' }, body: g.body,
          }, { signingDate: when, expiresIn: 900 })
          assert.equal(p.signature, tp.query['X-Amz-Signature'], `presigned signature differs for ${url}\n${p.canonicalRequest}`)
        }
      }
      assert.ok(compared > N * 0.7, `compared ${compared}`)
    })
  }
})
