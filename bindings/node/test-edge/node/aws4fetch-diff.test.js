'use strict'
// Differential test: libsigv4/aws4fetch against aws4fetch 1.0.20 itself on generated requests (headers and
// signQuery, every option): the same method, URL and headers, signature included. Where aws4fetch departs from
// AWS's rules (tests/differential/allowlist.json, peer "aws4fetch") the request must still be the same except for
// the signature, or, for input AWS cannot accept, a clear error. SEED=n reproduces a run; COUNT=n sizes it.
const test = require('node:test')
const assert = require('node:assert')
const fs = require('node:fs')
const path = require('node:path')
const { generate } = require('../gen-aws4fetch.js')
const ours = require('../../lib/aws4fetch.js')

const SEED = Number(process.env.SEED || Math.floor(Math.random() * 2 ** 31))
const COUNT = Number(process.env.COUNT || 2500)
const ALLOWLIST = path.join(__dirname, '../../../../tests/differential/allowlist.json')

const HEX64 = /^[0-9a-fA-F]{64}$/
const SENTINELS = new Set(['UNSIGNED-PAYLOAD', 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD', 'STREAMING-UNSIGNED-PAYLOAD-TRAILER', 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER'])

/** The allowlisted classes an input falls in, judged from aws4fetch's own signer and result. */
function classes(ref, signed, input) {
  const out = []
  const url = signed.url
  if (ref.service === '') out.push('empty-service')
  const sha = signed.headers.get('X-Amz-Content-Sha256')
  if (sha !== null && !HEX64.test(sha) && !SENTINELS.has(sha)) out.push('content-sha256-not-a-hash')
  if (ref.service === 's3' && url.pathname.includes('+')) out.push('s3-path-plus')
  if (ref.service === 's3' && url.pathname.includes('%')) out.push('s3-path-escapes')
  if (input.singleEncode && /[^A-Za-z0-9\-._~/]/.test(url.pathname)) out.push('single-encode-path')
  const keys = [...url.searchParams.keys()]
  if (keys.includes('')) out.push('empty-query-name')
  if (ref.service === 's3' && new Set(keys).size !== keys.length) out.push('s3-repeated-query-name')
  if ([...signed.headers].some(([n, v]) => n !== 'authorization' && v !== v.trim())) out.push('combined-header-edge-space')
  return out
}

function shape(s) {
  return { method: s.method, url: s.url.toString(), headers: [...s.headers] }
}

/** The request without its signature (Authorization header, X-Amz-Signature parameter). */
function unsigned(r) {
  const u = new URL(r.url)
  u.searchParams.delete('X-Amz-Signature')
  return { method: r.method, url: u.toString(), headers: r.headers.filter(([n]) => n !== 'authorization') }
}

function copy(o) {
  return { ...o, headers: o.headers && { ...o.headers } }
}

test(`libsigv4/aws4fetch signs ${COUNT} generated requests as aws4fetch does (SEED=${SEED})`, async () => {
  console.log(`aws4fetch differential: SEED=${SEED} COUNT=${COUNT}`)
  const { AwsV4Signer: Ref } = await import('aws4fetch')
  const allowed = new Set(JSON.parse(fs.readFileSync(ALLOWLIST, 'utf8')).filter((e) => e.peer === 'aws4fetch').map((e) => e.class))
  const tally = { identical: 0 }
  const failures = []
  for (const [i, c] of generate(SEED, COUNT).entries()) {
    const ref = new Ref(copy(c))
    const expected = shape(await ref.sign())
    const known = classes(ref, await new Ref(copy(c)).sign(), c)
    for (const k of known) assert.ok(allowed.has(k), `class ${k} is not in tests/differential/allowlist.json`)
    let got
    let error
    try {
      got = shape(await new ours.AwsV4Signer(copy(c)).sign())
    } catch (e) {
      error = e
    }
    const same = got !== undefined && JSON.stringify(got) === JSON.stringify(expected)
    if (same) {
      tally.identical++
    } else if (error !== undefined && (known.includes('empty-service') || known.includes('content-sha256-not-a-hash'))) {
      assert.ok(/service|payload/i.test(error.message) && typeof error.code === 'string', `#${i}: unclear error ${error.message}`)
      tally[known[0]] = (tally[known[0]] || 0) + 1
    } else if (got !== undefined && known.length > 0 && JSON.stringify(unsigned(got)) === JSON.stringify(unsigned(expected))) {
      tally[known.join('+')] = (tally[known.join('+')] || 0) + 1
    } else {
      failures.push({ i, input: { ...c, body: c.body && String(c.body).slice(0, 40) }, known, expected, got, error: error && error.message })
    }
  }
  console.log('aws4fetch differential tally:', JSON.stringify(tally))
  assert.deepStrictEqual(failures.slice(0, 3), [], `${failures.length} requests differ from aws4fetch (SEED=${SEED})`)
  // Most generated inputs must be comparable byte for byte, not just allowlisted classes. The share
  // depends on the seed: 58.9–64.3% over the seeds seen (SEED=1026067238 gave 58.9%, failing an
  // earlier 60% floor), so the floor sits well under the spread.
  assert.ok(tally.identical >= COUNT * 0.5, `only ${tally.identical} identical`)
})
