'use strict'
// Differential test: the native Signer against @smithy/signature-v4 (the AWS SDK v3 signer) on
// generated requests (test/smithy-gen.js: the classes issue 14 lists), header and presigned
// forms, S3 and non-S3. Where they differ, the input must fall in a class of
// tests/differential/allowlist.json (peer "smithy": smithy departs from AWS's documented rules
// there); anything else fails. SMITHY_DIFF_SEED (or SIGV4_DIFF_SEED) reproduces a run, SMITHY_DIFF_N sets the count
// per service (`make fuzz-diff` runs 50,000 per service: 100,000 requests).
const test = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const path = require('node:path')
const { SignatureV4 } = require('@smithy/signature-v4')
const { Sha256 } = require('@aws-crypto/sha256-js')
const { Signer, sha256Hex } = require('..')
const { rng } = require('./gen')
const { smithyRequest } = require('./smithy-gen')

const N = Number(process.env.SMITHY_DIFF_N || 1000)
const SEED = Number(process.env.SMITHY_DIFF_SEED || process.env.SIGV4_DIFF_SEED || (Date.now() % 2147483647))
const region = 'eu-west-1'
const when = new Date('2024-02-29T23:59:59Z')
const base = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' }
const ALLOWLIST = path.join(__dirname, '..', '..', '..', 'tests', 'differential', 'allowlist.json')

// The allowlisted classes this test knows how to recognise (the entry's "class" names one).
const CLASSES = {
  // S3 paths: smithy signs the wire path as sent; AWS's UriEncode rules (upper-case hex, RFC 3986
  // unreserved characters never escaped) give '/%7e%41%e9' as '/~A%E9'.
  'smithy-s3-noncanonical-escapes': (g, service) => service === 's3' && canonicalEscapes(g.path) !== g.path,
}

const UNRESERVED = /[A-Za-z0-9\-._~]/

/** `path` with every %XX escape as AWS's UriEncode writes it. */
function canonicalEscapes(path) {
  return path.replace(/%[0-9a-fA-F]{2}/g, (m) => {
    const c = String.fromCharCode(parseInt(m.slice(1), 16))
    return UNRESERVED.test(c) ? c : m.toUpperCase()
  })
}

function allowlisted() {
  const entries = fs.existsSync(ALLOWLIST) ? JSON.parse(fs.readFileSync(ALLOWLIST, 'utf8')) : []
  const mine = entries.filter((e) => e.peer === 'smithy' && e.class in CLASSES)
  return mine.map((e) => ({ name: e.class, test: CLASSES[e.class] }))
}

function smithyQuery(pairs) {
  const q = {}
  for (const [k, v] of pairs) {
    if (Object.prototype.hasOwnProperty.call(q, k)) q[k] = [].concat(q[k], v)
    else q[k] = v
  }
  return q
}

// One value per name for smithy: the repeats trimmed and joined with ',' (the AWS suite's
// get-header-key-duplicate), names lower-cased.
function smithyHeaders(pairs) {
  const out = {}
  const trim = (v) => v.replace(/[ \t]+/g, ' ').replace(/^ | $/g, '')
  for (const [n, v] of pairs) {
    const name = n.toLowerCase()
    out[name] = name in out ? out[name] + ',' + trim(v) : trim(v)
  }
  return out
}

test(`native Signer matches @smithy/signature-v4 on ${N} generated requests per service, header and presigned (seed ${SEED})`, async (t) => {
  console.log(`# smithy differential: seed ${SEED} (SMITHY_DIFF_SEED=${SEED} reproduces), ${N} requests per service`)
  const classes = allowlisted()
  const counts = {}
  for (const service of ['execute-api', 's3']) {
    await t.test(service, async () => {
      const r = rng(SEED + service.length)
      const c = (counts[service] = { header: 0, presigned: 0, allowlisted: {} })
      const signers = new Map()
      for (let i = 0; i < N; i++) {
        const g = smithyRequest(r)
        const credentials = { ...base, sessionToken: g.token }
        const key = `${g.token}/${g.payload === 'unsigned'}`
        let ours = signers.get(key)
        if (!ours) signers.set(key, (ours = new Signer({ credentials, region, service, ...(g.payload === 'unsigned' ? { payload: 'unsigned' } : {}) })))
        const smithy = new SignatureV4({ credentials, region, service, sha256: Sha256, uriEscapePath: service !== 's3', applyChecksum: service === 's3' })
        const url = `https://api.example.com${g.path}${g.wireQuery ? '?' + g.wireQuery : ''}`
        const headers = [...g.headers]
        let payloadHash
        if (g.payload === 'precomputed') payloadHash = sha256Hex(g.body + 'x')
        if (payloadHash) headers.push(['x-amz-content-sha256', payloadHash])
        if (g.payload === 'unsigned') headers.push(['x-amz-content-sha256', 'UNSIGNED-PAYLOAD'])
        const where = () => `case ${i} (${service}, seed ${SEED}): ${JSON.stringify({ ...g, url, headers })}`
        const allowed = classes.find((k) => k.test(g, service))

        const s = ours.sign({ method: g.method, url, headers, body: g.body, payloadHash, timestamp: when })
        const theirs = await smithy.sign({
          method: g.method, protocol: 'https:', hostname: 'api.example.com', path: g.path, query: smithyQuery(g.query),
          headers: { ...smithyHeaders(headers), host: 'api.example.com' }, body: g.body,
        }, { signingDate: when })
        const sig = /Signature=([0-9a-f]{64})/.exec(theirs.headers.authorization)[1]
        if (s.signature !== sig) {
          if (!allowed) assert.fail(`header signature differs\n${where()}\nours:\n${s.canonicalRequest}`)
          c.allowlisted[allowed.name] = (c.allowlisted[allowed.name] || 0) + 1
        } else c.header++

        // Presigned: smithy hoists x-amz-* headers into the query (a choice, not a rule), so both
        // get them in the query; no precomputed payload (presigned S3 is UNSIGNED-PAYLOAD).
        const hoisted = g.headers.filter(([n]) => n.toLowerCase().startsWith('x-amz-'))
        const kept = g.headers.filter(([n]) => !n.toLowerCase().startsWith('x-amz-'))
        const pquery = [...g.query, ...hoisted.map(([n, v]) => [n, v])]
        const extra = hoisted.map(([n, v]) => encodeURIComponent(n) + '=' + encodeURIComponent(v)).join('&')
        const purl = url + (extra ? (g.wireQuery ? '&' : '?') + extra : '')
        const signer = signers.get(`${g.token}/false`) || new Signer({ credentials, region, service })
        const p = signer.presign({ method: g.method, url: purl, headers: kept, body: g.body, timestamp: when }, { expiresIn: 900 })
        const s3 = service === 's3'
        const tp = await smithy.presign({
          method: g.method, protocol: 'https:', hostname: 'api.example.com', path: g.path, query: smithyQuery(pquery),
          headers: { ...smithyHeaders(kept), host: 'api.example.com', ...(s3 ? { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' } : {}) },
          body: g.body,
        }, {
          signingDate: when, expiresIn: 900,
          // what @aws-sdk/s3-request-presigner does: S3 presigns UNSIGNED-PAYLOAD, that header unsigned
          ...(s3 ? { unhoistableHeaders: new Set(['x-amz-content-sha256']), unsignableHeaders: new Set(['x-amz-content-sha256']) } : {}),
        })
        if (p.signature !== tp.query['X-Amz-Signature']) {
          if (!allowed) assert.fail(`presigned signature differs\n${where()}\nours:\n${p.canonicalRequest}`)
          c.allowlisted[allowed.name] = (c.allowlisted[allowed.name] || 0) + 1
        } else c.presigned++
      }
      assert.equal(c.header + c.presigned + Object.values(c.allowlisted).reduce((a, b) => a + b, 0), 2 * N, JSON.stringify(c))
      assert.ok(c.header >= N * 0.5 && c.presigned >= N * 0.5, JSON.stringify(c))
    })
  }
  console.log(`# smithy differential: ${JSON.stringify(counts)}`)
})
