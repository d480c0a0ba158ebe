'use strict'
// Builds the data every edge runtime checks (test-edge/suite.mjs): the AWS v4 suite with its expected
// canonical requests, strings to sign, signatures and signed requests; the S3 documentation examples; and
// requests with the output the real aws4fetch gives for them (computed here, in Node, with aws4fetch 1.0.20).
const fs = require('node:fs')
const path = require('node:path')
const { cases, signerOptions, parseRequest, ROOT } = require('../test/vectors')
const { generate } = require('./gen-aws4fetch')

async function aws4fetchExpectations(seed, count) {
  const { AwsV4Signer } = await import('aws4fetch')
  const out = []
  for (const input of generate(seed, count)) {
    const o = { ...input, headers: input.headers && { ...input.headers } }
    // The inputs outside every allowlisted class (tests/differential): plain bodies only, to ship as JSON.
    if (o.body instanceof Uint8Array || o.singleEncode) continue
    const s = await new AwsV4Signer({ ...o, headers: o.headers && { ...o.headers } }).sign()
    const u = s.url
    const keys = [...u.searchParams.keys()]
    if (!new AwsV4Signer({ ...o }).service || keys.includes('') || new Set(keys).size !== keys.length) continue
    if (/[+%]/.test(u.pathname) && (o.service === 's3' || new AwsV4Signer({ ...o }).service === 's3')) continue
    if ([...s.headers].some(([, v]) => v !== v.trim())) continue
    const sha = s.headers.get('x-amz-content-sha256')
    if (sha !== null && !/^[0-9a-f]{64}$/i.test(sha) && !sha.startsWith('UNSIGNED') && !sha.startsWith('STREAMING')) continue
    out.push({ input: o, expected: { method: s.method, url: u.toString(), headers: [...s.headers] } })
  }
  return out
}

/** aws4 (the npm package) on a few plain requests: what libsigv4/aws4 must give in every runtime. */
function aws4Expectations() {
  const aws4 = require('aws4')
  const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' }
  const date = '20150830T123600Z'
  const inputs = [
    { host: 'sqs.us-west-2.amazonaws.com', path: '/?Action=ListQueues&Version=2012-11-05' },
    { host: 'dynamodb.eu-west-1.amazonaws.com', method: 'POST', path: '/', body: '{"TableName":"t"}', headers: { 'Content-Type': 'application/x-amz-json-1.0', 'X-Amz-Target': 'DynamoDB_20120810.DescribeTable' } },
    { host: 'examplebucket.s3.amazonaws.com', path: '/photos/a%20b.jpg', service: 's3', region: 'us-east-1' },
    { host: 'abc.execute-api.us-east-1.amazonaws.com', method: 'PUT', path: '/prod/items/1', body: 'x=1', service: 'execute-api', region: 'us-east-1' },
    { host: 'lambda.us-east-1.amazonaws.com', path: '/2015-03-31/functions', headers: { 'X-Amz-Date': date } },
  ]
  return inputs.map((o) => {
    const opts = { ...o, headers: { ...(o.headers || {}), 'X-Amz-Date': date } }
    const signed = aws4.sign({ ...opts, headers: { ...opts.headers } }, credentials)
    return { input: opts, credentials, expected: { path: signed.path, headers: signed.headers } }
  })
}

async function prepare({ seed = 7, aws4fetchCount = 400 } = {}) {
  const v4 = cases().map((c) => ({
    name: c.name,
    options: signerOptions(c.context),
    request: { method: c.request.method, url: c.request.target, headers: c.request.headers, body: c.request.body },
    timestamp: c.context.timestamp.replace(/[-:]/g, ''),
    expiresIn: c.context.expiration_in_seconds,
    header: { canonicalRequest: c.read('header-canonical-request.txt'), stringToSign: c.read('header-string-to-sign.txt'), signature: c.read('header-signature.txt').trim() },
    query: { canonicalRequest: c.read('query-canonical-request.txt'), stringToSign: c.read('query-string-to-sign.txt'), signature: c.read('query-signature.txt').trim() },
    signed: { header: parseRequest(c.read('header-signed-request.txt')), query: parseRequest(c.read('query-signed-request.txt')) },
    context: c.context,
  }))
  const s3 = JSON.parse(fs.readFileSync(path.join(ROOT, 's3-examples.json'), 'utf8'))
  // Vectors whose raw target the verifier refuses (issue 23), with the code and the path to send instead.
  const refused = JSON.parse(fs.readFileSync(path.join(ROOT, '..', 'verify-refused-vectors.json'), 'utf8'))
  for (const c of v4) c.refused = refused[c.name] || null
  return { v4, s3, aws4fetch: await aws4fetchExpectations(seed, aws4fetchCount), aws4: aws4Expectations() }
}

module.exports = { prepare }
