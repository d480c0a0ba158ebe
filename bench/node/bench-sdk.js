'use strict'
// The AWS SDK for JavaScript v3 with and without libsigv4/aws-sdk, in one run. Prints a table.
//
// (a) signer only: DynamoDB GetItem through client.send (a request handler answering at once, no
//     network) with the SDK's signer, with `signer: new SignatureV4(...)` from libsigv4/aws-sdk, and
//     with a signer that does nothing (the floor); target: ours within 1.15x of the floor.
// (b) bulk presigning: 300 S3 GET URLs, @aws-sdk/s3-request-presigner's getSignedUrl vs ours; target >= 10x.
// Times are this process's CPU time (other jobs on a shared machine do not count). Rounds alternate between
// the variants; each number is the median of the rounds.
const { Readable } = require('node:stream')
const { pkgRequire } = require('./pkg')
const { DynamoDBClient, GetItemCommand } = pkgRequire('@aws-sdk/client-dynamodb')
const { S3Client, GetObjectCommand } = pkgRequire('@aws-sdk/client-s3')
const sdkPresigner = pkgRequire('@aws-sdk/s3-request-presigner')
const { SignatureV4, getSignedUrl } = pkgRequire('./lib/aws-sdk')

const QUICK = process.argv.includes('--quick')
const ROUNDS = QUICK ? 3 : 9
const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' }
const region = 'us-east-1'

const answer = {
  handle: async () => ({
    response: {
      statusCode: 200,
      headers: { 'content-type': 'application/x-amz-json-1.0' },
      body: Readable.from([Buffer.from('{"Item":{"k":{"S":"a"}}}')]),
    },
  }),
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]

/** CPU µs of this process (user + system): load from other jobs on a shared machine does not count. */
function cpuUs() {
  const { user, system } = process.cpuUsage()
  return user + system
}

async function perCallUs(fn, n) {
  const start = cpuUs()
  for (let i = 0; i < n; i++) await fn(i)
  return (cpuUs() - start) / n
}

async function alternate(variants) {
  const samples = Object.fromEntries(Object.keys(variants).map((k) => [k, []]))
  for (let r = 0; r < ROUNDS; r++) {
    for (const [name, run] of Object.entries(variants)) samples[name].push(await run())
  }
  return Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, median(v)]))
}

async function main() {
  const ddb = (extra) => new DynamoDBClient({ region, credentials, requestHandler: answer, ...extra })
  const sdk = ddb({})
  const ours = ddb({ signer: new SignatureV4({ credentials, region, service: 'dynamodb' }) })
  const noop = ddb({ signer: { sign: async (request) => request } })
  const get = (client) => () => perCallUs(() => client.send(new GetItemCommand({ TableName: 't', Key: { k: { S: 'a' } } })), 300)
  for (const c of [sdk, ours, noop]) await get(c)() // warm-up
  const a = await alternate({ sdk: get(sdk), libsigv4: get(ours), floor: get(noop) })

  const s3 = new S3Client({ region, credentials })
  const bulk = (presign) => async () => {
    const start = cpuUs()
    for (let i = 0; i < 300; i++) {
      await presign(s3, new GetObjectCommand({ Bucket: 'examplebucket', Key: `photos/2026/${i}.jpg` }), { expiresIn: 3600 })
    }
    return (cpuUs() - start) / 1000
  }
  await bulk(sdkPresigner.getSignedUrl)()
  await bulk(getSignedUrl)()
  const b = await alternate({ sdk: bulk(sdkPresigner.getSignedUrl), ours: bulk(getSignedUrl) })

  console.log(`(a) signer only: DynamoDB GetItem through client.send (no network), CPU µs per call, median of ${ROUNDS} rounds`)
  console.log(`    ${'SDK signer'.padStart(12)} ${'libsigv4'.padStart(12)} ${'no-op floor'.padStart(12)} ${'ours/floor'.padStart(11)} (target <= 1.15x) ${'sdk/ours'.padStart(9)}`)
  console.log(`    ${a.sdk.toFixed(1).padStart(12)} ${a.libsigv4.toFixed(1).padStart(12)} ${a.floor.toFixed(1).padStart(12)} ${(a.libsigv4 / a.floor).toFixed(2).padStart(10)}x ${(a.sdk / a.libsigv4).toFixed(2).padStart(26)}x`)
  console.log('(b) bulk presigning: 300 S3 GET URLs, CPU ms')
  console.log(`    ${'s3-request-presigner'.padStart(20)} ${'libsigv4'.padStart(10)} ${'speed-up'.padStart(9)} (target >= 10x)`)
  console.log(`    ${b.sdk.toFixed(2).padStart(20)} ${b.ours.toFixed(2).padStart(10)} ${(b.sdk / b.ours).toFixed(1).padStart(8)}x`)
}

main().catch((err) => { console.error(err); process.exit(1) })
