'use strict'
// Generated requests for the aws4fetch differential test (seeded, shared by Node and the edge
// runtimes): hosts that exercise service/region inference, hostile paths and queries, headers
// aws4fetch signs or skips, bodies, session tokens, and every option.

/** A small seeded PRNG (mulberry32). */
function rng(seed) {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const HOSTS = [
  'example.amazonaws.com', 'sqs.us-west-2.amazonaws.com', 'dynamodb.eu-central-1.amazonaws.com',
  's3.amazonaws.com', 'bucket.s3.amazonaws.com', 'bucket.s3.us-west-2.amazonaws.com', 's3-eu-west-1.amazonaws.com',
  's3.dualstack.us-east-1.amazonaws.com', 'my-bucket.s3-accelerate.amazonaws.com', 'iot.us-east-1.amazonaws.com',
  'abc123-ats.iot.eu-west-1.amazonaws.com', 'data.jobs.iot.us-east-1.amazonaws.com', 'email.us-east-1.amazonaws.com',
  'queue.amazonaws.com', 'lambda.ap-southeast-2.amazonaws.com', 'fn1.lambda-url.us-east-2.on.aws',
  'acct.r2.cloudflarestorage.com', 's3.us-west-004.backblazeb2.com', 'kms-fips.us-east-1.amazonaws.com',
  'ec2.cn-north-1.amazonaws.com.cn', 'execute-api.us-gov.amazonaws.com', 'autoscaling.us-east-1.amazonaws.com',
  'localhost:8080', '127.0.0.1:9000', 'api.example.com',
  // Hosts the URL parser rewrites (case, default port, IPv4 forms, IDNA): libsigv4/aws4fetch's fast path
  // must leave them to URL.
  'SQS.US-WEST-2.amazonaws.com', 'sqs.us-east-1.amazonaws.com:443', 'sqs.us-east-1.amazonaws.com:0443', '1.2',
  '0x7f.1', '10.0.0.0x1', 'xn--bcher-kva.example', 'example.amazonaws.com.',
]
const PATH_PIECES = ['a', 'b c', 'x+y', '%2F', '%41', 'é', '日本', '..', '.', '', '~u', "!'()*", 'a=b', '%25', '-_.', 'UP', '%7e', '@:',
  // Not '|' or '^': Chromium's URL parser escapes them in paths, Node's does not (the expected values come from Node).
  '%2e', '.%2E', '`', '{x}', '"', '<>', '\\', '%zz', ';p=1', '$&,']
const QUERY_KEYS = ['a', 'b', 'A', 'x y', 'k+', '', 'é', 'X-Amz-Foo', 'list-type', 'prefix', '~', '*', 'a%20b']
const QUERY_VALUES = ['', '1', 'b c', 'x+y', '/', '=', 'é', '%2F', '~', "!'()*", 'A&', 'z', "'", '^', '"', '?', '`', '%zz', '{}']
const HEADER_NAMES = ['X-Amz-Target', 'Content-Type', 'Content-Length', 'User-Agent', 'x-amz-meta-a', 'X-Custom', 'Range',
  'Expect', 'X-Amz-Content-Sha256', 'If-Match', 'x-amzn-trace-id', 'Accept', 'Connection', 'X-Amz-Expires', 'Content-MD5',
  'x-custom', 'HOST', 'x-amz-date', 'X-AMZ-SECURITY-TOKEN']
const HEADER_VALUES = ['a', ' padded ', 'a  b   c', 'x,y', 'application/json', '100', 'UNSIGNED-PAYLOAD',
  'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855', 'tab\there', '"quoted"', '', 'trailing\t', 'ü', '\tlead']

// Requests libsigv4/aws4fetch signs on its fast path (no URL or Headers objects): plain hosts, paths, queries
// and header values, so that a good share of every run exercises it.
const PLAIN_HOSTS = ['example.amazonaws.com', 'sqs.us-west-2.amazonaws.com', 'bucket.s3.amazonaws.com', 'api.example.com',
  'fn1.lambda-url.us-east-2.on.aws', 'autoscaling.us-east-1.amazonaws.com', 'iot.us-east-1.amazonaws.com']
const PLAIN_PATH = ['a', 'x-y', '~u', 'a=b', '%41', 'UP', '%2F', 'x+y', '@:', '!()*', ';p=1', '$&,', 'mqtt', '%20', '%zz']
const PLAIN_QUERY = ['a', 'b', 'A', 'k+', '~', 'x%20y', '/', '=', '%2F', 'list-type', '?', '']
const PLAIN_VALUES = ['a', 'a  b   c', 'x,y', 'application/json', '100', '"quoted"', '', 'AnyScaleFrontendService.X']

function pick(r, list) { return list[Math.floor(r() * list.length)] }

/** `count` aws4fetch AwsV4Signer option objects from `seed`. */
function generate(seed, count) {
  const r = rng(seed)
  const out = []
  for (let i = 0; i < count; i++) {
    const plain = r() < 0.35
    const host = pick(r, plain ? PLAIN_HOSTS : HOSTS)
    let path = ''
    const segments = Math.floor(r() * 4)
    for (let s = 0; s < segments; s++) path += '/' + (r() < 0.2 ? '' : pick(r, plain ? PLAIN_PATH : PATH_PIECES))
    if (path === '' || r() < 0.1) path += '/'
    let query = ''
    const nq = Math.floor(r() * 4)
    if (nq === 0 && r() < 0.1) query = '?'
    for (let q = 0; q < nq; q++) {
      query += (q ? '&' : '?') + pick(r, plain ? PLAIN_QUERY : QUERY_KEYS)
      if (r() < 0.85) query += '=' + pick(r, plain ? PLAIN_QUERY : QUERY_VALUES)
    }
    const headers = {}
    const nh = Math.floor(r() * 4)
    for (let h = 0; h < nh; h++) headers[pick(r, HEADER_NAMES)] = pick(r, plain ? PLAIN_VALUES : HEADER_VALUES)
    const o = {
      url: (host.startsWith('localhost') || host.startsWith('127.') ? 'http://' : 'https://') + host + path + query,
      accessKeyId: 'AKIDEXAMPLE',
      secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
      datetime: '20150830T123600Z',
    }
    const m = r()
    if (m < 0.5) o.method = pick(r, ['GET', 'POST', 'PUT', 'DELETE', 'head', 'PATCH'])
    const b = r()
    if (b < 0.25) o.body = pick(r, ['', 'hello', '{"a":1}', 'é日本', 'Action=ListUsers&Version=2010-05-08'])
    else if (b < 0.35) o.body = new Uint8Array(Math.floor(r() * 300)).map((_, j) => (j * 31 + i) & 255)
    if (nh) o.headers = headers
    if (r() < 0.25) o.sessionToken = pick(r, ['token1', 'AQoDYXdzEPT//////////wEXAMPLEtc764', 'a b+c/=', ' padded '])
    if (r() < 0.3) o.signQuery = true
    if (r() < 0.15) o.allHeaders = true
    if (r() < 0.15) o.singleEncode = true
    if (r() < 0.1) o.appendSessionToken = true
    if (r() < 0.3) o.service = pick(r, ['s3', 'execute-api', 'sqs', 'lambda'])
    if (r() < 0.3) o.region = pick(r, ['us-east-1', 'eu-west-1', 'auto'])
    out.push(o)
  }
  return out
}

module.exports = { generate, rng }
