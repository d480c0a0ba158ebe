'use strict'
// Differential test: libsigv4/aws4 against the real aws4 1.13.2 (dev dependency) on generated
// option objects covering every option aws4 reads, with hostile strings. For every input aws4
// accepts, the returned (mutated) request must be identical field by field, key order included,
// and canonicalString() / stringToSign() equal; every method also on a signer of its own. AWS4_DIFF_SEED reproduces a run; AWS4_DIFF_N
// sets the count (`make fuzz-diff` runs 100,000).
const test = require('node:test')
const assert = require('node:assert/strict')
const util = require('node:util')
const aws4 = require('aws4')
const ours = require('libsigv4/aws4')
const { rng, aws4Options, clone, pick } = require('./aws4-gen')

const N = Number(process.env.AWS4_DIFF_N || 5000)
const SEED = Number(process.env.AWS4_DIFF_SEED || (Date.now() % 2147483647))
const CREDENTIALS = [
  { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' },
  { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', sessionToken: 'tok+/=en' },
  { accessKeyId: 'AKID é', secretAccessKey: 'sécret\u0000x' },
  undefined, // process.env
]
const EVERY_METHOD = ['canonicalString', 'stringToSign', 'signature', 'canonicalHeaders', 'signedHeaders', 'authHeader',
  'credentialString', 'getDateTime', 'getDate', 'createHost', 'isSingleRegion', 'formatPath']
const FIXED_NOW = Date.UTC(2024, 1, 29, 23, 59, 59, 123)

/** Runs `fn` with the clock frozen at FIXED_NOW (aws4 reads `new Date`, libsigv4/aws4 `Date.now`). */
function frozen(fn) {
  const RealDate = global.Date
  class FakeDate extends RealDate {
    constructor(...args) {
      if (args.length === 0) super(FIXED_NOW)
      else super(...args)
    }
    static now() { return FIXED_NOW }
  }
  global.Date = FakeDate
  try {
    return fn()
  } finally {
    global.Date = RealDate
  }
}

function run(fn) {
  try {
    return { value: fn() }
  } catch (error) {
    return { error }
  }
}

// What the test compares: the value with its key order (util.inspect shows both, Buffers as
// bytes, and tells a number from a string).
function show(v) {
  return util.inspect(v, { depth: 5, sorted: false, breakLength: Infinity, maxArrayLength: Infinity, maxStringLength: Infinity })
}

test(`libsigv4/aws4 equals aws4 1.13.2 on ${N} generated option objects (seed ${SEED})`, () => {
  console.log(`# aws4 differential: seed ${SEED} (AWS4_DIFF_SEED=${SEED} reproduces), ${N} inputs`)
  const saved = { ...process.env }
  process.env.AWS_ACCESS_KEY_ID = 'AKIDENV'
  process.env.AWS_SECRET_ACCESS_KEY = 'envsecret'
  process.env.AWS_SESSION_TOKEN = 'envtoken'
  const r = rng(SEED)
  const counts = { identical: 0, bothThrow: 0, onlyAws4Throws: 0 }
  try {
    frozen(() => {
      for (let i = 0; i < N; i++) {
        const opts = r() < 0.03 ? pick(r, ['https://sqs.us-west-1.amazonaws.com/?Action=ListQueues', 'http://bucket.s3.amazonaws.com/k%2Fe+y?x=1&x=2', 'https://example.com']) : aws4Options(r)
        const creds = pick(r, CREDENTIALS)
        const where = () => `case ${i} (seed ${SEED}): ${show(opts)} credentials ${show(creds)}`
        const a = run(() => aws4.sign(clone(opts), clone(creds)))
        const b = run(() => ours.sign(clone(opts), clone(creds)))
        if (a.error) {
          if (b.error) counts.bothThrow++
          else counts.onlyAws4Throws++
          continue
        }
        if (b.error) assert.fail(`aws4 returns, libsigv4/aws4 throws ${b.error.stack}\n${where()}`)
        assert.equal(show(b.value), show(a.value), where())
        const sa = new aws4.RequestSigner(clone(opts), clone(creds))
        const sb = new ours.RequestSigner(clone(opts), clone(creds))
        // canonicalString and stringToSign on every input; the other methods on every tenth (each
        // call is a native call, and the debug build of `make test` is slow).
        const methods = i % 10 === 0 ? EVERY_METHOD : ['canonicalString', 'stringToSign']
        for (const method of methods) {
          const x = run(() => sa[method]())
          const y = run(() => sb[method]())
          if (x.error) continue
          if (y.error) assert.fail(`${method}: aws4 returns, libsigv4/aws4 throws ${y.error.stack}\n${where()}`)
          assert.equal(show(y.value), show(x.value), `${method}: ${where()}`)
        }
        // aws4's methods read the date and the headers in their own order, before or after
        // preparing the request: each method on a signer of its own, nothing prepared yet.
        if (i % 10 === 5) {
          for (const method of EVERY_METHOD) {
            const x = run(() => new aws4.RequestSigner(clone(opts), clone(creds))[method]())
            const y = run(() => new ours.RequestSigner(clone(opts), clone(creds))[method]())
            if (x.error) continue
            if (y.error) assert.fail(`fresh ${method}: aws4 returns, libsigv4/aws4 throws ${y.error.stack}\n${where()}`)
            assert.equal(show(y.value), show(x.value), `fresh ${method}: ${where()}`)
          }
        }
        counts.identical++
      }
    })
  } finally {
    process.env = saved
  }
  console.log(`# aws4 differential: ${JSON.stringify(counts)}`)
  assert.ok(counts.identical >= N * 0.6, JSON.stringify(counts))
})
