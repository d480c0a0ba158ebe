'use strict'
// Seeded generator of aws4 option objects for the libsigv4/aws4 vs aws4 differential test:
// every option aws4 reads, hostile strings everywhere (every printable ASCII character, percent
// escapes in both cases, %2F, %252F, '+', unicode, repeated and empty keys and values).
const { rng } = require('./gen')

const PRINTABLE = Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i))
const ATOMS = [
  ...PRINTABLE, '%2F', '%2f', '%252F', '%20', '%2B', '+', '%41', '%7e', '%7E', '%e9', '%C3%A9', '%c3%a9', '%E2%82%AC',
  '%', '%G1', '%4', '%00', '%ED%A0%80', '%F0%9F%98%80', '%C3%28', 'é', '日本', '😀', '\u00a0', '\t', 'a b', '.', '..',
  '~', '-', '_', '\ud800', '\udc00x', 'key', 'value', 'A', 'z', '0', '1', '10', '__proto__', 'constructor', 'X-Amz-Date', 'X-Amz-Expires',
]
const SEGMENTS = ['', '.', '..', 'a', 'b', 'key.txt', '%2F', '%252F', 'a+b', 'x%20y', '%2e', '%2E%2E']
const HOSTS = [
  'example.amazonaws.com', 'bucket.s3.amazonaws.com', 's3.amazonaws.com', 's3-us-west-2.amazonaws.com',
  'bucket.s3-eu-west-1.amazonaws.com', 'my.bucket.s3.eu-central-1.amazonaws.com', 'sqs.us-east-1.amazonaws.com',
  'search-dom-abc.us-east-1.es.amazonaws.com', 'coll.eu-west-1.aoss.amazonaws.com', 'email.us-west-2.amazonaws.com',
  'git-codecommit.us-east-2.amazonaws.com', 'abc.execute-api.ap-south-1.amazonaws.com.cn', 'iam.amazonaws.com',
  'sts.amazonaws.com', 'localhost', '127.0.0.1', 'Example.AmazonAWS.com', 'x..amazonaws.com', 'a.b.c.d.amazonaws.com',
  'sdb.amazonaws.com', 'lambda.eu-west-1.amazonaws.com',
]
const SERVICES = ['s3', 'execute-api', 'es', 'aoss', 'email', 'ses', 'codecommit', 'sts', 'iam', 'sdb', 'lambda', 'S3', 'cloudfront', 'route53', 'sqs', '']
const REGIONS = ['us-east-1', 'eu-west-1', 'cn-north-1', 'us-gov-west-1', 'weird region', 'é', '']
const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'GIT', 'get', 'HEAD', 'PATCH']
const VALUES = ['v', ' padded ', 'a   b', '\ta\t\tb\t', 'x\ny', 'a\r\n b', '\u00a0nbsp\u3000', '\u2028x\ufeff', 'é', '日本',
  '', ' ', 'a,b', '"q   q"', 'application/json', 'text/plain; charset=utf-8', 'a\u0000b', '\u0001', 'lone \ud83d', 123, 0, true, ['a', 'b'], ['x  y']]
const NAMES = ['X-Foo', 'x-foo', 'X-FOO', 'Content-Type', 'content-type', 'Content-Length', 'content-length', 'User-Agent',
  'Range', 'Connection', 'Expect', 'X-Amzn-Trace-Id', 'Presigned-Expires', 'Authorization', 'authorization', 'X-Amz-Target',
  'X-Amz-Security-Token', 'x-amz-security-token', 'X-Amz-Meta-A', 'Host', 'host', 'HOST', 'a', 'A', 'b', 'é-name', 'x y', 'x-\udfff', '']
const SHA_NAMES = ['X-Amz-Content-Sha256', 'x-amz-content-sha256', 'X-AMZ-CONTENT-SHA256', 'X-Amz-Content-SHA256']
const SHA_VALUES = ['UNSIGNED-PAYLOAD', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  'E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855', 'garbage', ' x ', 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD', '']
const DATES = ['20240229T235959Z', '20150830T123600Z', 'garbage', '2024', '20240229T235959', '']
const HTTP_DATES = ['Thu, 29 Feb 2024 23:59:59 GMT', '2015-08-30T12:36:00Z', 'Mon, 01 Jan 2001 00:00:00 GMT']
const BODIES = ['', 'a=1&b=2', 'é日本😀', 'x'.repeat(100), '{"a":1}']

function pick(r, list) {
  return list[Math.floor(r() * list.length)]
}

function text(r, max) {
  let s = ''
  for (let i = Math.floor(r() * max); i > 0; i--) s += pick(r, ATOMS)
  return s
}

function pathAndQuery(r) {
  let path = ''
  const n = Math.floor(r() * 5)
  for (let i = 0; i < n; i++) path += '/' + (r() < 0.5 ? pick(r, SEGMENTS) : text(r, 3)).replace(/[?#]/g, r() < 0.5 ? '' : '$&')
  if (r() < 0.15) path += '/'
  if (r() < 0.1) path = path.replace(/^\//, '')
  if (r() < 0.1) path += '//'
  if (r() < 0.5) {
    const pairs = []
    for (let i = Math.floor(r() * 5); i > 0; i--) {
      const k = r() < 0.2 ? '' : text(r, 3)
      const v = r() < 0.2 ? '' : text(r, 3)
      pairs.push(r() < 0.1 ? k : k + '=' + v)
      if (r() < 0.2) pairs.push(k + '=' + text(r, 2)) // repeated key
    }
    if (r() < 0.1) pairs.push('')
    path += '?' + pairs.join('&')
  }
  if (r() < 0.05) path += '#frag'
  return path
}

/** One aws4 option object (and whether to pass credentials), from `r`. */
function aws4Options(r) {
  const o = {}
  const hostForm = r()
  if (hostForm < 0.45) o.host = pick(r, HOSTS)
  else if (hostForm < 0.7) o.hostname = pick(r, HOSTS)
  if (r() < 0.1) o.port = pick(r, [443, 8443, '8080', 0])
  if (r() < 0.6) o.service = pick(r, SERVICES)
  if (r() < 0.5) o.region = pick(r, REGIONS)
  if (r() < 0.6) o.method = pick(r, METHODS)
  if (r() < 0.9) o.path = pathAndQuery(r)
  const b = r()
  if (b < 0.3) o.body = pick(r, BODIES)
  else if (b < 0.35) o.body = Buffer.from(pick(r, BODIES))
  else if (b < 0.38) o.body = new Uint8Array([1, 2, 3, 255])
  if (r() < 0.85) {
    const headers = {}
    for (let i = Math.floor(r() * 5); i > 0; i--) headers[pick(r, NAMES)] = r() < 0.3 ? pick(r, VALUES) : pick(r, VALUES) + text(r, 2)
    const d = r()
    if (d < 0.6) headers[pick(r, ['X-Amz-Date', 'x-amz-date'])] = r() < 0.9 ? DATES[0] : pick(r, DATES)
    else if (d < 0.85) headers[pick(r, ['Date', 'date'])] = pick(r, HTTP_DATES)
    if (r() < 0.25) headers[pick(r, SHA_NAMES)] = pick(r, SHA_VALUES)
    if (r() < 0.05) headers.Host = pick(r, HOSTS)
    o.headers = headers
  }
  if (r() < 0.3) o.signQuery = true
  if (r() < 0.15) o.doNotEncodePath = true
  if (r() < 0.15) o.doNotModifyHeaders = true
  if (r() < 0.1) o.extraHeadersToIgnore = { [pick(r, NAMES).toLowerCase()]: true, 'x-foo': r() < 0.5 }
  if (r() < 0.1) o.extraHeadersToInclude = { [pick(r, ['user-agent', 'range', 'authorization', 'connection', 'x-foo'])]: true }
  return o
}

/** A deep copy that keeps Buffers Buffers (aws4 mutates what it is given). */
function clone(v) {
  if (Buffer.isBuffer(v)) return Buffer.from(v)
  if (v instanceof Uint8Array) return v.slice()
  if (Array.isArray(v)) return v.map(clone)
  if (v && typeof v === 'object') {
    const out = {}
    for (const k of Object.keys(v)) out[k] = clone(v[k])
    return out
  }
  return v
}

module.exports = { rng, aws4Options, clone, pick }
