'use strict'
// libsigv4/aws4 against the real aws4 package on aws4's inference rules, query formatting, the
// clock and RequestSigner's state (the generated differential is aws4-diff.test.js).
const test = require('node:test')
const assert = require('node:assert/strict')
const aws4 = require('aws4')
const ours = require('libsigv4/aws4')

const creds = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' }
const withToken = { ...creds, sessionToken: 'session+token/=' }
const DATE = '20240229T235959Z'

function clone(o) {
  return JSON.parse(JSON.stringify(o))
}

test('aws4 inference: service and region from host names, default hosts, env credentials', () => {
  const saved = { ...process.env }
  try {
    process.env.AWS_ACCESS_KEY_ID = 'AKIDENV'
    process.env.AWS_SECRET_ACCESS_KEY = 'envsecret'
    process.env.AWS_SESSION_TOKEN = 'envtoken'
    const samples = [
      { host: 'search-x-aaaa.us-east-1.es.amazonaws.com', path: '/_search' },
      { host: 'my-bucket.s3.amazonaws.com', path: '/k' },
      { host: 's3-eu-west-1.amazonaws.com', path: '/b/k' },
      { host: 'email.us-west-2.amazonaws.com', path: '/', body: 'Action=SendEmail' },
      { service: 'sts', path: '/?Action=GetCallerIdentity&Version=2011-06-15' },
      { service: 'sqs', region: 'eu-central-1', path: '/' },
      { service: 's3', region: 'us-east-1', path: '/b/k', signQuery: true },
      { hostname: 'lambda.us-east-2.amazonaws.com', port: 8443, path: '/2015-03-31/functions' },
      { host: 'x.execute-api.ap-south-1.amazonaws.com.cn', path: '/v1', doNotModifyHeaders: true },
    ]
    for (const s of samples) {
      const o = { ...s, headers: { ...(s.headers || {}), Date: 'Thu, 29 Feb 2024 23:59:59 GMT' } }
      assert.deepEqual(ours.sign(clone(o)), aws4.sign(clone(o)), JSON.stringify(s))
      const a = new ours.RequestSigner(clone(o))
      const b = new aws4.RequestSigner(clone(o))
      assert.deepEqual([a.service, a.region, a.credentials], [b.service, b.region, b.credentials])
    }
    // A URL string, as aws4 accepts.
    const u = 'https://sqs.us-west-1.amazonaws.com/?Action=ListQueues'
    assert.equal(typeof ours.sign(u).headers.Authorization, 'string')
  } finally {
    process.env = saved
  }
})

test('aws4 query formatting: queries kept as sent and near misses agree with aws4', () => {
  const queries = [
    'Param2=value2&Param1=value1', 'a=', 'a=1&b=2&c=3', 'x-y.z~_=v-1.2~_', 'A=b',
    // near misses: each is reformatted by aws4 (decoded, re-encoded, regrouped or reordered)
    'a', 'a=1&a=2', 'a=1&b=2&a=3', '2=x&1=y', 'b=1&10=z', '=v', 'a=1&&b=2', 'a=1&', '&a=1', 'a=b=c',
    'a=%41', 'a=%7e', 'a+b=c', 'a=b+c', "a=it's", 'a=(1)', 'a=*', 'a=!', 'a=%2A', 'a=1#frag', 'a=\u00e9', 'a=b c',
    'a.b=1&a_b=2&A=3', 'constructor=1&toString=2', Array.from({ length: 1001 }, (_, i) => `k${i}=v`).join('&'),
  ]
  for (const q of queries) {
    for (const extra of [{}, { signQuery: true }, { service: 's3', region: 'us-east-1' }]) {
      const o = { host: 'example.amazonaws.com', path: `/p?${q}`, service: 'service', region: 'us-east-1', ...extra, headers: { Date: 'Thu, 29 Feb 2024 23:59:59 GMT' } }
      const got = ours.sign(clone(o), creds)
      const expected = aws4.sign(clone(o), creds)
      assert.deepEqual(got, expected, `${q} ${JSON.stringify(extra)}`)
    }
  }
})

test('aws4 signing time from the clock: the same X-Amz-Date as aws4 in the same second', () => {
  const o = { host: 'example.amazonaws.com', path: '/?a=1', service: 'service', region: 'us-east-1' }
  for (let attempt = 0; ; attempt++) {
    const before = Math.floor(Date.now() / 1000)
    const a = ours.sign(clone(o), creds)
    const b = aws4.sign(clone(o), creds)
    const c = ours.sign(clone(o), creds)
    if (Math.floor(Date.now() / 1000) !== before && attempt < 5) continue
    assert.deepEqual(a, b)
    assert.deepEqual(c, b)
    break
  }
})

test('aws4 RequestSigner debugging methods agree with aws4', () => {
  const o = { host: 'example.amazonaws.com', path: '/?Param2=value2&Param1=value1', service: 'service', region: 'us-east-1', headers: { 'X-Amz-Date': '20150830T123600Z' } }
  const a = new ours.RequestSigner(clone(o), creds)
  const b = new aws4.RequestSigner(clone(o), creds)
  assert.equal(a.canonicalString(), b.canonicalString())
  assert.equal(a.stringToSign(), b.stringToSign())
  // the AWS suite's get-vanilla-query-order-key-case signature
  assert.equal(a.signature(), 'b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500')
  assert.equal(a.signature(), b.signature())
})

test('aws4 RequestSigner state after sign(): parsedPath and formatPath agree with aws4', () => {
  const paths = ['/?Param2=value2&Param1=value1', '/a?x=1&x=2&y', '/?b=%20&a=+', '/p', '/?']
  for (const path of paths) {
    for (const signQuery of [false, true]) {
      const o = { host: 'example.amazonaws.com', path, service: 'service', region: 'us-east-1', signQuery, headers: { 'X-Amz-Date': DATE } }
      // With signQuery aws4 dates the query from the clock: the two must sign within one second (retried
      // when a second boundary fell between them; otherwise the comparison is exact).
      const stamp = (signed) => (/X-Amz-Date=(\w+)/.exec(signed.path) || [])[1]
      let a, b, sa, sb
      for (let attempt = 0; attempt < 5; attempt++) {
        a = new ours.RequestSigner(clone(o), creds)
        b = new aws4.RequestSigner(clone(o), creds)
        sa = a.sign()
        sb = b.sign()
        if (stamp(sa) === stamp(sb)) break
      }
      assert.deepEqual(sa, sb, path)
      assert.equal(a.parsedPath.path, b.parsedPath.path, path)
      assert.deepEqual({ ...a.parsedPath.query }, { ...b.parsedPath.query }, path)
      assert.equal(a.formatPath(), b.formatPath(), path)
    }
  }
})

test('ESM entry points export the same functions', async () => {
  const m = await import('libsigv4/aws4')
  assert.equal(m.sign, ours.sign)
  assert.equal(m.RequestSigner, ours.RequestSigner)
  const root = await import('libsigv4')
  assert.equal(typeof root.Signer, 'function')
  assert.equal(typeof root.signV4, 'function')
})
