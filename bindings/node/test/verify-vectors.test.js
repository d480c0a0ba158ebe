'use strict'
// Every AWS v4 vector verifies through Verifier in both forms (AWS's own signed-request files) at
// its own timestamp; one byte changed in any signed part (method, path, query, each signed header
// value, body, signature) makes verification fail.
const test = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const path = require('node:path')
const { Verifier, VerificationError } = require('..')
const { cases, parseRequest } = require('./vectors')

const CASES = cases()
// Issue 23: vectors whose raw target the verifier refuses (the application would receive another
// target than the one signed), with the code expected and the normalised path AWS signed.
const REFUSED = JSON.parse(fs.readFileSync(path.join(__dirname, '../../../tests/verify-refused-vectors.json'), 'utf8'))

function verifierFor(ctx) {
  const c = ctx.credentials
  const creds = c.token ? { secretAccessKey: c.secret_access_key, sessionToken: c.token } : c.secret_access_key
  const o = { credentials: { [c.access_key_id]: creds }, region: ctx.region, service: ctx.service }
  if (ctx.normalize === false) o.normalizePath = false
  if (ctx.omit_session_token === true) o.signSessionToken = false
  return new Verifier(o)
}

function wire(c, form) {
  return parseRequest(c.read(`${form}-signed-request.txt`))
}

const bump = (ch) => ({ z: 'a', Z: 'A', 9: '0', f: '0' })[ch] ?? String.fromCharCode(ch.charCodeAt(0) + 1)

/** `text` with its last alphanumeric character changed (or `x` appended when there is none). */
function mutate(text) {
  for (let i = text.length - 1; i >= 0; i--) {
    if (/[A-Za-z0-9]/.test(text[i])) return text.slice(0, i) + bump(text[i]) + text.slice(i + 1)
  }
  return text + 'x'
}

/** One copy per signed part, each with one byte changed. */
function tampered(raw) {
  const out = []
  const copy = (ch) => ({ method: raw.method, target: raw.target, headers: raw.headers.map((h) => [...h]), body: raw.body, ...ch })
  out.push(['method', copy({ method: mutate(raw.method) })])
  const q = raw.target.indexOf('?')
  const p = q >= 0 ? raw.target.slice(0, q) : raw.target
  const query = q >= 0 ? raw.target.slice(q + 1) : ''
  const sep = q >= 0 ? '?' : ''
  const last = p.split('/').pop()
  out.push(['path', copy({ target: (last === '.' || last === '..' ? p + 'x' : mutate(p)) + sep + query })])
  const auth = raw.headers.find(([n]) => n.toLowerCase() === 'authorization')
  if (auth) {
    const signed = auth[1].split('SignedHeaders=')[1].split(',')[0].split(';')
    const at = auth[1].indexOf('Signature=') + 'Signature='.length
    raw.headers.forEach(([n, v], i) => {
      const headers = raw.headers.map((h) => [...h])
      if (n.toLowerCase() === 'authorization') {
        headers[i][1] = v.slice(0, at) + bump(v[at]) + v.slice(at + 1)
        out.push(['signature', copy({ headers })])
      } else if (signed.includes(n.toLowerCase())) {
        headers[i][1] = mutate(v)
        out.push([`header ${n}`, copy({ headers })])
      }
    })
    if (query) out.push(['query', copy({ target: p + '?' + mutate(query) })])
  } else {
    raw.headers.forEach(([n, v], i) => {
      const headers = raw.headers.map((h) => [...h])
      headers[i][1] = mutate(v)
      out.push([`header ${n}`, copy({ headers })])
    })
    const params = query.split('&')
    params.forEach((param, i) => {
      const changed = [...params]
      changed[i] = mutate(param)
      out.push([`query ${param.split('=')[0]}`, copy({ target: p + '?' + changed.join('&') })])
    })
  }
  if (raw.body) out.push(['body', copy({ body: raw.body.slice(0, -1) + bump(raw.body.slice(-1)) })])
  return out
}

test('the suite has 38 cases', () => assert.equal(CASES.length, 38))

for (const c of CASES) {
  for (const form of ['header', 'query']) {
    test(`verify ${c.name} (${form})`, () => {
      const ctx = c.context
      let raw = wire(c, form)
      const v = verifierFor(ctx)
      const now = new Date(ctx.timestamp)
      const refused = REFUSED[c.name]
      if (refused) {
        assert.throws(() => v.verify({ method: raw.method, url: raw.target, headers: raw.headers, body: raw.body }, { now }),
          (e) => e instanceof VerificationError && e.code === refused.code && e.status === 400)
        if (refused.send_instead === null) return
        const q = raw.target.indexOf('?')
        raw = { ...raw, target: refused.send_instead + (q >= 0 ? raw.target.slice(q) : '') }
      }
      const who = v.verify({ method: raw.method, url: raw.target, headers: raw.headers, body: raw.body }, { now })
      assert.equal(who.accessKeyId, ctx.credentials.access_key_id)
      assert.equal(who.region, ctx.region)
      assert.equal(who.service, ctx.service)
      assert.equal(who.presigned, form === 'query')
      assert.equal(who.amzDate, '20150830T123600Z')
      assert.equal(who.sessionTokenUsed, Boolean(ctx.credentials.token))
      assert.ok(who.signedHeaders.includes('host'))
      if (form === 'query') assert.deepEqual(who.expiresAt, new Date('2015-08-30T13:36:00Z'))
      else assert.equal(who.expiresAt, null)
      // The same through the flat rawHeaders form the middleware uses.
      const flat = raw.headers.flat()
      assert.equal(v.verify({ method: raw.method, url: raw.target, headers: flat, body: Buffer.from(raw.body) }, { now: ctx.timestamp.replace(/[-:]/g, '') }).accessKeyId, ctx.credentials.access_key_id)
      const parts = tampered(raw)
      assert.ok(parts.length >= 4)
      for (const [part, t] of parts) {
        assert.throws(() => v.verify({ method: t.method, url: t.target, headers: t.headers, body: t.body }, { now }),
          (e) => e instanceof VerificationError && e.code.length > 0, `${part} changed must fail`)
      }
    })
  }
}

test('a mismatch carries the canonical request and the string to sign', () => {
  const c = CASES.find((x) => x.name === 'get-vanilla')
  const raw = wire(c, 'header')
  const err = (() => {
    try { verifierFor(c.context).verify({ method: 'POST', url: raw.target, headers: raw.headers }, { now: new Date(c.context.timestamp) }) } catch (e) { return e }
  })()
  assert.ok(err instanceof VerificationError)
  assert.equal(err.code, 'SignatureDoesNotMatch')
  assert.equal(err.isMalformed, false)
  assert.equal(err.status, 403)
  const expected = fs.readFileSync(path.join(c.dir, 'header-canonical-request.txt'), 'utf8')
  assert.equal(err.canonicalRequest, 'POST' + expected.slice(3))
  assert.ok(err.stringToSign.startsWith('AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n'))
  assert.match(err.message, /canonical request/)
})
