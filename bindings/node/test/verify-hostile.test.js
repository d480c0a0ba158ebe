'use strict'
// Hostile requests through Verifier, each with the AWS code it must get (issue 6 item 3). The same
// cases as bindings/python/tests/test_verify_hostile.py. Base requests are AWS's own signed requests
// (W1 = get-vanilla-query-order-key-case in both forms, the signed-body and session-token vectors);
// requests that need a valid signature after a change of expiry are signed by our Signer (the
// expected values are error codes, not signatures).
const test = require('node:test')
const assert = require('node:assert/strict')
const util = require('node:util')
const path = require('node:path')
const fs = require('node:fs')
const { Signer, Verifier, VerificationError } = require('..')
const { parseRequest, ROOT } = require('./vectors')

const SUITE = path.join(ROOT, 'aws-signing-test-suite', 'v4')
const AKID = 'AKIDEXAMPLE'
const SECRET = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY'
const T0 = 1440938160 // 20150830T123600Z
const TOKEN = '6e86291e8372ff2a2260956d9b8aae1d763fbf315fa00fa31553b73ebf194267'
const W1_SIG = 'b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500'
const W1Q_SIG = '86012e2c9ad4d77369f5d81c11f75158aae4f895a085212cc6d3f923d300bed5'
const SCOPE = '20150830/us-east-1/service/aws4_request'
const OK = 'ok'

/** An immutable request with small edit helpers. */
class Req {
  constructor(method, url, headers, body = '', now = T0) {
    Object.assign(this, { method, url, headers, body, now })
    Object.freeze(this)
  }

  with(ch) { const o = { ...this, ...ch }; return new Req(o.method, o.url, o.headers, o.body, o.now) }
  header(n, v) { return this.with({ headers: [...this.headers, [n, v]] }) }
  set(n, v) {
    assert.ok(this.headers.some(([h]) => h.toLowerCase() === n.toLowerCase()), n)
    return this.with({ headers: this.headers.map(([h, x]) => [h, h.toLowerCase() === n.toLowerCase() ? v : x]) })
  }

  drop(n) { return this.with({ headers: this.headers.filter(([h]) => h.toLowerCase() !== n.toLowerCase()) }) }
  auth(v) { return this.set('Authorization', v) }
  at(now) { return this.with({ now }) }
  withUrl(url) { return this.with({ url }) }
  q(old, nu) { assert.ok(this.url.includes(old), old); return this.with({ url: this.url.replace(old, nu) }) }
  withBody(body) { return this.with({ body }) }
}

function vector(name, form) {
  const raw = parseRequest(fs.readFileSync(path.join(SUITE, name, `${form}-signed-request.txt`), 'utf8'))
  return new Req(raw.method, raw.target, raw.headers.map(([n, v]) => [n, v]), raw.body)
}
const w1 = () => vector('get-vanilla-query-order-key-case', 'header')
const w1q = () => vector('get-vanilla-query-order-key-case', 'query')
const authWith = (credential, signed, signature) => `AWS4-HMAC-SHA256 Credential=${credential}, SignedHeaders=${signed}, Signature=${signature}`
const cred = (scope = SCOPE, akid = AKID) => `${akid}/${scope}`
const goodAuth = (kw = {}) => authWith(kw.credential ?? cred(), kw.signed ?? 'host;x-amz-date', kw.signature ?? W1_SIG)
const signer = (o = {}) => new Signer({ credentials: { accessKeyId: AKID, secretAccessKey: SECRET }, region: 'us-east-1', service: 'service', ...o })

function presignedByUs(expiresIn) {
  const s = signer().presign({ method: 'GET', url: '/?Param2=value2&Param1=value1', headers: { Host: 'example.amazonaws.com' }, timestamp: T0 }, { expiresIn })
  return new Req('GET', s.url, Object.entries(s.headers))
}

function signedByUs(method, url, headers, body, options) {
  const s = signer(options).sign({ method, url, headers, body, timestamp: T0 })
  return new Req(method, s.url, Object.entries(s.headers), body)
}

function table() {
  const w1qUrl = w1q().url
  return [
    ['no auth', w1().drop('Authorization'), 'MissingAuthenticationToken'],
    ['no auth, other X-Amz-* query', w1().drop('Authorization').withUrl('/?X-Amz-Date=20150830T123600Z'), 'MissingAuthenticationToken'],
    ['two Authorization headers', w1().header('Authorization', goodAuth()), 'AuthorizationHeaderMalformed'],
    ['header plus query auth', w1().withUrl(w1qUrl), 'AuthorizationQueryParametersError'],
    ['empty Authorization', w1().auth(''), 'AuthorizationHeaderMalformed'],
    ['Bearer token', w1().auth('Bearer abc'), 'AuthorizationHeaderMalformed'],
    ['wrong algorithm', w1().auth(goodAuth().replace('SHA256 ', 'SHA512 ')), 'AuthorizationHeaderMalformed'],
    ['lower-case algorithm', w1().auth(goodAuth().replace('AWS4-HMAC-SHA256', 'aws4-hmac-sha256')), 'AuthorizationHeaderMalformed'],
    ['query: wrong algorithm', w1q().q('AWS4-HMAC-SHA256', 'AWS4-HMAC-SHA1'), 'AuthorizationQueryParametersError'],
    ['query: lower-case algorithm', w1q().q('AWS4-HMAC-SHA256', 'aws4-hmac-sha256'), 'AuthorizationQueryParametersError'],
    ['missing Credential', w1().auth(`AWS4-HMAC-SHA256 SignedHeaders=host;x-amz-date, Signature=${W1_SIG}`), 'IncompleteSignature'],
    ['missing SignedHeaders', w1().auth(`AWS4-HMAC-SHA256 Credential=${cred()}, Signature=${W1_SIG}`), 'IncompleteSignature'],
    ['missing Signature', w1().auth(`AWS4-HMAC-SHA256 Credential=${cred()}, SignedHeaders=host;x-amz-date`), 'IncompleteSignature'],
    ['empty Signature', w1().auth(goodAuth({ signature: '' })), 'IncompleteSignature'],
    ['empty Credential', w1().auth(goodAuth({ credential: '' })), 'IncompleteSignature'],
    ['repeated Credential', w1().auth(goodAuth() + `, Credential=${cred()}`), 'IncompleteSignature'],
    ['repeated Signature', w1().auth(goodAuth() + `, Signature=${W1_SIG}`), 'IncompleteSignature'],
    ['query: missing X-Amz-Credential', w1q().q('X-Amz-Credential=', 'X-Amz-Credentials='), 'AuthorizationQueryParametersError'],
    ['query: missing X-Amz-Signature', w1q().q('&X-Amz-Signature=', '&Signature='), 'AuthorizationQueryParametersError'],
    ['4-part credential', w1().auth(goodAuth({ credential: `${AKID}/20150830/us-east-1/aws4_request` })), 'AuthorizationHeaderMalformed'],
    ['6-part credential', w1().auth(goodAuth({ credential: `${AKID}/20150830/us-east-1/service/x/aws4_request` })), 'AuthorizationHeaderMalformed'],
    ['query: 4-part credential', w1q().q('%2Fservice%2Faws4_request', '%2Faws4_request'), 'AuthorizationQueryParametersError'],
    ['scope date != X-Amz-Date date', w1().auth(goodAuth({ credential: cred('20150831/us-east-1/service/aws4_request') })), 'AuthorizationHeaderMalformed'],
    ['query: scope date != X-Amz-Date date', w1q().q('%2F20150830%2F', '%2F20150829%2F'), 'AuthorizationQueryParametersError'],
    ['wrong region', w1().auth(goodAuth({ credential: cred('20150830/us-west-2/service/aws4_request') })), 'AuthorizationHeaderMalformed'],
    ['wrong service', w1().auth(goodAuth({ credential: cred('20150830/us-east-1/s3/aws4_request') })), 'AuthorizationHeaderMalformed'],
    ['wrong terminator', w1().auth(goodAuth({ credential: cred('20150830/us-east-1/service/aws4_requesT') })), 'AuthorizationHeaderMalformed'],
    ['unknown key', w1().auth(goodAuth({ credential: cred(SCOPE, 'AKIDUNKNOWN') })), 'InvalidAccessKeyId'],
    ['query: unknown key', w1q().q('AKIDEXAMPLE', 'AKIDUNKNOWN'), 'InvalidAccessKeyId'],
    ['missing X-Amz-Date', w1().drop('X-Amz-Date'), 'IncompleteSignature'],
    ['malformed X-Amz-Date', w1().set('X-Amz-Date', '20150830T1236Z'), 'AuthorizationHeaderMalformed'],
    ['extended-format X-Amz-Date', w1().set('X-Amz-Date', '2015-08-30T12:36:00Z'), 'AuthorizationHeaderMalformed'],
    ['query: extended-format X-Amz-Date', w1q().q('20150830T123600Z', '2015-08-30T12%3A36%3A00Z'), 'AuthorizationQueryParametersError'],
    ['skew +900 s accepted', w1().at(T0 + 900), OK],
    ['skew -900 s accepted', w1().at(T0 - 900), OK],
    ['skew +901 s rejected', w1().at(T0 + 901), 'RequestTimeTooSkewed'],
    ['skew -901 s rejected', w1().at(T0 - 901), 'RequestTimeTooSkewed'],
    ['X-Amz-Expires 0', w1q().q('X-Amz-Expires=3600', 'X-Amz-Expires=0'), 'AuthorizationQueryParametersError'],
    ['X-Amz-Expires 1', presignedByUs(1), OK],
    ['X-Amz-Expires 604800', presignedByUs(604800), OK],
    ['X-Amz-Expires 604801', w1q().q('X-Amz-Expires=3600', 'X-Amz-Expires=604801'), 'AuthorizationQueryParametersError'],
    ['X-Amz-Expires -1', w1q().q('X-Amz-Expires=3600', 'X-Amz-Expires=-1'), 'AuthorizationQueryParametersError'],
    ['X-Amz-Expires empty', w1q().q('X-Amz-Expires=3600', 'X-Amz-Expires='), 'AuthorizationQueryParametersError'],
    ['X-Amz-Expires 1.5', w1q().q('X-Amz-Expires=3600', 'X-Amz-Expires=1.5'), 'AuthorizationQueryParametersError'],
    ['X-Amz-Expires 60abc', w1q().q('X-Amz-Expires=3600', 'X-Amz-Expires=60abc'), 'AuthorizationQueryParametersError'],
    ['X-Amz-Expires +60', w1q().q('X-Amz-Expires=3600', 'X-Amz-Expires=%2B60'), 'AuthorizationQueryParametersError'],
    ['URL valid until its last second', w1q().at(T0 + 3600), OK],
    ['expired URL', w1q().at(T0 + 3601), 'RequestExpired'],
    ['expired URL (1 s)', presignedByUs(1).at(T0 + 2), 'RequestExpired'],
    ['URL dated 900 s ahead accepted', w1q().at(T0 - 900), OK],
    ['not-yet-valid URL', w1q().at(T0 - 901), 'RequestExpired'],
    ['auth parameter repeated in another case', w1q().withUrl(w1qUrl + '&x-amz-expires=3600'), 'AuthorizationQueryParametersError'],
    ['auth parameter repeated exactly', w1q().withUrl(w1qUrl + `&X-Amz-Signature=${W1Q_SIG}`), 'AuthorizationQueryParametersError'],
    ['SignedHeaders without host', w1().auth(goodAuth({ signed: 'x-amz-date' })), 'UnsignedHeader'],
    ['SignedHeaders unsorted', w1().auth(goodAuth({ signed: 'x-amz-date;host' })), 'AuthorizationHeaderMalformed'],
    ['SignedHeaders upper-case', w1().auth(goodAuth({ signed: 'Host;x-amz-date' })), 'AuthorizationHeaderMalformed'],
    ['SignedHeaders repeated', w1().auth(goodAuth({ signed: 'host;host;x-amz-date' })), 'AuthorizationHeaderMalformed'],
    ['signed header changed', w1().set('Host', 'example.amazonaws.com.evil'), 'SignatureDoesNotMatch'],
    ['unsigned x-amz-* header added', w1().header('X-Amz-Meta-Role', 'admin'), 'UnsignedHeader'],
    ['query: unsigned x-amz-* header added', w1q().header('X-Amz-Target', 'Admin.Delete'), 'UnsignedHeader'],
    ['unsigned Content-Type added', w1().header('Content-Type', 'application/json'), 'UnsignedHeader'],
    ['unsigned User-Agent added (accepted)', w1().header('User-Agent', 'curl/8.0'), OK],
    ['signature of 63 characters', w1().auth(goodAuth({ signature: W1_SIG.slice(0, 63) })), 'AuthorizationHeaderMalformed'],
    ['signature of 65 characters', w1().auth(goodAuth({ signature: W1_SIG + '0' })), 'AuthorizationHeaderMalformed'],
    ['upper-case signature', w1().auth(goodAuth({ signature: W1_SIG.toUpperCase() })), 'AuthorizationHeaderMalformed'],
    ['non-hex signature', w1().auth(goodAuth({ signature: W1_SIG.slice(0, 63) + 'g' })), 'AuthorizationHeaderMalformed'],
    ['query: upper-case signature', w1q().q(W1Q_SIG, W1Q_SIG.toUpperCase()), 'AuthorizationQueryParametersError'],
    ['valid signature, wrong value', w1().auth(goodAuth({ signature: W1_SIG.replaceAll('b', 'c') })), 'SignatureDoesNotMatch'],
    ['body tampered (signed x-amz-content-sha256)', vector('post-x-www-form-urlencoded', 'header').withBody('Param1=value2'), 'XAmzContentSHA256Mismatch'],
    ['body tampered (body hash signed)', vector('post-x-www-form-urlencoded', 'query').withBody('Param1=value2'), 'SignatureDoesNotMatch'],
    ['body tampered (no content header)', signedByUs('POST', 'https://example.amazonaws.com/', {}, 'hello').withBody('hellp'), 'SignatureDoesNotMatch'],
    ['UNSIGNED-PAYLOAD not allowed', signedByUs('PUT', 'https://example.amazonaws.com/', {}, 'data', { payload: 'unsigned', contentSha256Header: true }), 'XAmzContentSHA256Mismatch'],
    ['session token sent to a key without one', vector('get-vanilla-with-session-token', 'header'), 'InvalidToken'],
    ['CR in the path', w1().withUrl('/a\rb'), 'InvalidUrl'],
    ['LF in the path', w1().withUrl('/a\nb'), 'InvalidUrl'],
    ['NUL in the path', w1().withUrl('/a\0b'), 'InvalidUrl'],
    ['CR in a header', w1().header('X-Other', 'a\rb'), 'InvalidHeaderValue'],
    ['LF in a header', w1().set('Host', 'example.amazonaws.com\nX-Amz-Meta: y'), 'InvalidHeaderValue'],
    ['NUL in a header', w1().header('X-Other', 'a\0b'), 'InvalidHeaderValue'],
    ['invalid header name', w1().header('Bad Name', 'x'), 'InvalidHeaderName'],
    ['invalid percent escape in the path', w1().withUrl('/a%zz?Param2=value2&Param1=value1'), 'InvalidUrl'],
    ['truncated percent escape in the query', w1().withUrl('/?Param2=value2&Param1=value%2'), 'InvalidUrl'],
    ['1 MiB Authorization header', w1().auth('A'.repeat(1 << 20)), 'AuthorizationHeaderMalformed'],
    ['100 000 query parameters', w1().withUrl('/?' + 'a=1&'.repeat(100000)), 'InvalidUrl'],
    ['two Host headers', w1().header('Host', 'evil.example'), 'InvalidHeaderValue'],
    ['query parameter added', w1q().withUrl(w1qUrl + '&a=%FF'), 'SignatureDoesNotMatch'],
  ]
}

const TABLE = table()
const MALFORMED = new Set(['InvalidUrl', 'InvalidHeaderValue', 'InvalidHeaderName'])

function verifier(o = {}) {
  return new Verifier({ credentials: { [AKID]: SECRET, AKIDTOKEN: { secretAccessKey: SECRET, sessionToken: TOKEN } }, region: 'us-east-1', service: 'service', ...o })
}

function outcome(v, r) {
  try {
    v.verify({ method: r.method, url: r.url, headers: r.headers, body: r.body }, { now: r.now })
  } catch (e) {
    assert.ok(e instanceof VerificationError, `${e}`)
    assert.ok(e.message, 'every error says what to fix')
    assert.equal(e.isMalformed, MALFORMED.has(e.code))
    assert.equal(e.status, MALFORMED.has(e.code) ? 400 : 403)
    assert.equal(e.canonicalRequest !== undefined, e.code === 'SignatureDoesNotMatch')
    return e.code
  }
  return OK
}

test('the table is large enough', () => {
  assert.ok(TABLE.length >= 40)
  assert.equal(new Set(TABLE.map(([n]) => n)).size, TABLE.length)
})

test('hostile inputs get their codes', async (t) => {
  const v = verifier()
  for (const [name, req, expected] of TABLE) {
    await t.test(name, () => assert.equal(outcome(v, req), expected))
  }
})

test('session token swapped or dropped', () => {
  const v = new Verifier({ credentials: { [AKID]: { secretAccessKey: SECRET, sessionToken: TOKEN } }, region: 'us-east-1', service: 'service' })
  const base = vector('get-vanilla-with-session-token', 'header')
  assert.equal(v.verify({ method: base.method, url: base.url, headers: base.headers }, { now: T0 }).sessionTokenUsed, true)
  assert.equal(outcome(v, base.set('X-Amz-Security-Token', TOKEN.replaceAll('6', '7'))), 'InvalidToken')
  assert.equal(outcome(v, base.drop('X-Amz-Security-Token')), 'InvalidToken')
  const q = vector('get-vanilla-with-session-token', 'query')
  assert.equal(outcome(v, q), OK)
  assert.equal(outcome(v, q.q(TOKEN, TOKEN.replaceAll('6', '7'))), 'InvalidToken')
  assert.equal(outcome(v, q.q(`&X-Amz-Security-Token=${TOKEN}`, '')), 'InvalidToken')
})

test('the replay cache refuses a second use', () => {
  const v = verifier({ replayCache: 10 })
  assert.equal(outcome(v, w1().set('Host', 'other.example')), 'SignatureDoesNotMatch')
  assert.equal(v.replayCacheLength, 0, 'failed requests are not remembered')
  assert.equal(outcome(v, w1()), OK)
  assert.equal(outcome(v, w1().at(T0 + 10)), 'RequestReplayed')
  assert.equal(outcome(v, w1q()), OK)
  assert.equal(outcome(v, w1q()), 'RequestReplayed')
  assert.equal(v.replayCacheLength, 2)
  assert.equal(outcome(verifier({ replayCache: false }), w1()), OK)
  assert.equal(outcome(verifier({ replayCache: true }), w1()), OK)
})

test('a function lookup, and its errors', () => {
  const calls = []
  const lookup = (akid) => { calls.push(akid); return akid === AKID ? SECRET : undefined }
  const v = new Verifier({ credentials: lookup, regions: ['eu-west-1', 'us-east-1'], service: 'service' })
  assert.equal(outcome(v, w1()), OK)
  assert.deepEqual(calls, [AKID])
  assert.equal(outcome(v, w1().auth(goodAuth({ credential: cred(SCOPE, 'AKIDOTHER') }))), 'InvalidAccessKeyId')
  assert.equal(outcome(v, w1().at(T0 + 5000)), 'RequestTimeTooSkewed')
  assert.deepEqual(calls, [AKID, 'AKIDOTHER'], 'a request refused before the lookup does not call it')
  const r = w1()
  const broken = new Verifier({ credentials: () => { throw new RangeError('database down') }, region: 'us-east-1', service: 'service' })
  assert.throws(() => broken.verify({ method: r.method, url: r.url, headers: r.headers }, { now: T0 }), (e) => e instanceof RangeError && /database down/.test(e.message))
  const odd = new Verifier({ credentials: () => 42, region: 'us-east-1', service: 'service' })
  assert.throws(() => odd.verify({ method: r.method, url: r.url, headers: r.headers }, { now: T0 }), (e) => !(e instanceof VerificationError) && e.code === 'InvalidCredentials')
  const withToken = new Verifier({ credentials: () => ({ secretAccessKey: SECRET, sessionToken: TOKEN }), region: 'us-east-1', service: 'service' })
  assert.equal(outcome(withToken, w1()), 'InvalidToken')
  assert.equal(outcome(new Verifier({ region: 'us-east-1', service: 'service' }), w1()), 'InvalidAccessKeyId')
  // A body given as bytes with a function lookup (the body is copied before JS runs).
  const post = vector('post-x-www-form-urlencoded', 'header')
  const fnv = new Verifier({ credentials: () => SECRET, region: 'us-east-1', service: 'service' })
  assert.equal(fnv.verify({ method: post.method, url: post.url, headers: post.headers, body: Buffer.from(post.body) }, { now: T0 }).accessKeyId, AKID)
})

test('construction errors name the argument', () => {
  const bad = (o, code, arg) => assert.throws(() => new Verifier({ credentials: {}, region: 'us-east-1', service: 'service', ...o }), (e) => e.code === code && (arg === undefined || e.argument === arg))
  assert.throws(() => new Verifier({ credentials: {}, service: 'service' }), (e) => e.code === 'InvalidRegion' && e.argument === 'region')
  bad({ region: 'us east' }, 'InvalidRegion')
  bad({ service: '' }, 'InvalidService')
  bad({ replayCache: 0 }, 'InvalidOption', 'replayCache')
  bad({ maxSkew: -1 }, 'InvalidOption', 'maxSkew')
  bad({ maxSkew: 86401 }, 'InvalidOption', 'maxSkew')
  bad({ maxExpires: 0 }, 'InvalidOption')
  bad({ maxExpires: 604801 }, 'InvalidOption', 'maxExpires')
  bad({ uriEncoding: 'triple' }, 'InvalidOption', 'uriEncoding')
  bad({ credentials: 42 }, 'InvalidCredentials', 'credentials')
  bad({ mustSignHeaders: 'content-type' }, 'InvalidOption', 'mustSignHeaders')
  bad({ credentials: { AKID: 42 } }, 'InvalidCredentials', 'credentials')
  assert.throws(() => new Verifier(null), (e) => e.code === 'InvalidOption')
  assert.throws(() => verifier().verify(null), (e) => e.code === 'InvalidUrl')
  assert.throws(() => verifier().verify({ method: 'GET', url: '/', headers: [['Host', 'x']] }, { now: 'yesterday' }), (e) => e.code === 'InvalidTimestamp')
})

test('options change the checks', () => {
  assert.equal(outcome(verifier({ maxSkew: 60 }), w1().at(T0 + 61)), 'RequestTimeTooSkewed')
  assert.equal(outcome(verifier({ maxExpires: 60 }), w1q()), 'AuthorizationQueryParametersError')
  assert.equal(outcome(verifier({ mustSignHeaders: ['X-Tenant'] }), w1().header('X-Tenant', 'a')), 'UnsignedHeader')
  const unsigned = signedByUs('PUT', 'https://example.amazonaws.com/', {}, 'data', { payload: 'unsigned', contentSha256Header: true })
  assert.equal(outcome(verifier({ allowUnsignedPayload: true }), unsigned), OK)
})

test('no secret in util.inspect or JSON of the verifier, identity or errors', () => {
  const v = new Verifier({ credentials: { [AKID]: { secretAccessKey: SECRET, sessionToken: TOKEN } }, region: 'us-east-1', service: 'service' })
  const fnv = new Verifier({ credentials: () => SECRET, region: 'us-east-1', service: 'service' })
  const base = vector('get-vanilla-with-session-token', 'header')
  const who = v.verify({ method: base.method, url: base.url, headers: base.headers }, { now: T0 })
  let err
  try { v.verify({ method: base.method, url: base.url, headers: base.set('Host', 'x.example').headers }, { now: T0 }) } catch (e) { err = e }
  assert.equal(err.code, 'SignatureDoesNotMatch')
  for (const text of [util.inspect(v, { showHidden: true, depth: 9 }), util.inspect(fnv, { showHidden: true, depth: 9 }), JSON.stringify(v), util.inspect(who), JSON.stringify(who), util.inspect(err), String(err), err.message]) {
    assert.ok(!text.includes(SECRET) && !text.includes('wJalr'), text)
  }
  for (const text of [util.inspect(v), util.inspect(who), String(err), util.inspect(err)]) assert.ok(!text.includes(TOKEN), text)
  assert.ok(err.canonicalRequest.includes(TOKEN), 'the property itself is intact for comparison')
})
