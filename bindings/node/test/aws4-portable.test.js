'use strict'
// libsigv4/aws4 runs without node:crypto, querystring and Buffer (as it must in Workers and
// browsers on the WebAssembly build): a child process with those modules refusing to load and no
// global Buffer signs requests identical to aws4's (computed here, in a normal process).
const test = require('node:test')
const assert = require('node:assert/strict')
const path = require('node:path')
const { execFileSync } = require('node:child_process')
const aws4 = require('aws4')

const CASES = [
  { host: 'example.amazonaws.com', path: '/?Param2=value2&Param1=value1', service: 'service', region: 'us-east-1', headers: { 'X-Amz-Date': '20150830T123600Z' } },
  { host: 'bucket.s3.amazonaws.com', path: '/a+b/%2F?x=1&x=2&y', method: 'PUT', body: 'héllo', headers: { 'X-Amz-Date': '20150830T123600Z' } },
  { host: 'sqs.us-east-1.amazonaws.com', path: '/?a=%zz&b=c+d', signQuery: true, headers: { Date: 'Sun, 30 Aug 2015 12:36:00 GMT' } },
  { service: 'es', region: 'eu-west-1', body: 'Action=x', headers: { 'X-Amz-Date': '20150830T123600Z', 'x-amz-content-sha256': 'anything' } },
]
const CREDS = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', sessionToken: 'tok' }

const CHILD = `
const Module = require('module')
const load = Module._load
Module._load = function (name, ...rest) {
  if (/^(node:)?(crypto|querystring|buffer)$/.test(name)) throw new Error('not available here: ' + name)
  return load.call(this, name, ...rest)
}
const { sign, RequestSigner } = require(${JSON.stringify(path.join(__dirname, '..', 'lib', 'aws4.js'))})
delete globalThis.Buffer
const cases = JSON.parse(process.argv[1])
const out = cases.map((c) => { const s = new RequestSigner(JSON.parse(JSON.stringify(c)), ${JSON.stringify(CREDS)}); return [sign(JSON.parse(JSON.stringify(c)), ${JSON.stringify(CREDS)}), s.canonicalString()] })
process.stdout.write(JSON.stringify(out))
`

test('libsigv4/aws4 signs as aws4 with node:crypto, querystring and Buffer unavailable', () => {
  const got = JSON.parse(execFileSync(process.execPath, ['-e', CHILD, JSON.stringify(CASES)], { encoding: 'utf8' }))
  CASES.forEach((c, i) => {
    const expected = aws4.sign(JSON.parse(JSON.stringify(c)), CREDS)
    assert.deepEqual(got[i][0], JSON.parse(JSON.stringify(expected)), JSON.stringify(c))
    assert.equal(got[i][1], new aws4.RequestSigner(JSON.parse(JSON.stringify(c)), CREDS).canonicalString())
  })
})
