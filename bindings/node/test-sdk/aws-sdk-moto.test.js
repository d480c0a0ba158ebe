'use strict'
// The AWS SDK for JavaScript v3 signing through libsigv4/aws-sdk against moto's server with IAM
// authentication on (started here through bindings/python/tests/moto_server.py with the project's
// .venv: moto checks every signature with botocore's own signer). S3 put/get/list with hostile keys
// and presigned GETs fetched with fetch (getSignedUrl: ours, byte-identical to the SDK's), SQS,
// DynamoDB, and a wrong secret refused.
const test = require('node:test')
const assert = require('node:assert/strict')
const path = require('node:path')
const readline = require('node:readline')
const { spawn } = require('node:child_process')
const { S3Client, CreateBucketCommand, PutObjectCommand, GetObjectCommand, ListObjectsV2Command } = require('@aws-sdk/client-s3')
const { SQSClient, CreateQueueCommand, SendMessageCommand, ReceiveMessageCommand, ListQueuesCommand } = require('@aws-sdk/client-sqs')
const { DynamoDBClient, CreateTableCommand, PutItemCommand, GetItemCommand } = require('@aws-sdk/client-dynamodb')
const sdkPresigner = require('@aws-sdk/s3-request-presigner')
const { SignatureV4, getSignedUrl } = require('../lib/aws-sdk')

const ROOT = path.resolve(__dirname, '../../..')
const PYTHON = process.env.SIGV4_PYTHON || path.join(ROOT, '.venv/bin/python')
const KEYS = ['plain.txt', 'with space.txt', 'plus+sign', 'dollar$sign', 'equals=sign', 'double//slash',
  'unicodé/日本/😀', "mixed $+= //é (1)!'*.bin", 'trailing/']

let moto
let server

test.before(async () => {
  server = spawn(PYTHON, [path.join(ROOT, 'bindings/python/tests/moto_server.py')], { stdio: ['pipe', 'pipe', 'inherit'] })
  const line = await new Promise((resolve, reject) => {
    const rl = readline.createInterface({ input: server.stdout })
    rl.once('line', resolve)
    server.once('exit', (code) => reject(new Error(`moto helper exited (${code})`)))
  })
  moto = JSON.parse(line)
})

test.after(() => { server.stdin.end() })

function config(extra = {}) {
  const credentials = { accessKeyId: moto.access_key_id, secretAccessKey: moto.secret_access_key }
  return { region: moto.region, endpoint: moto.endpoint, credentials, ...extra }
}

/** Counts the signatures our signer makes. */
function counting(signer) {
  signer.calls = 0
  const sign = signer.sign.bind(signer)
  signer.sign = (...args) => { signer.calls++; return sign(...args) }
  return signer
}

test('S3 through new S3Client({ signer }): put, get, list, presigned GETs fetched', async () => {
  const { credentials, region } = config()
  const signer = counting(new SignatureV4({ credentials, region, service: 's3', uriEscapePath: false }))
  const s3 = new S3Client(config({ forcePathStyle: true, signer }))
  await s3.send(new CreateBucketCommand({ Bucket: 'node-sdk-bucket' }))
  for (const [i, Key] of KEYS.entries()) {
    const body = `body ${i} ${Key}`
    await s3.send(new PutObjectCommand({ Bucket: 'node-sdk-bucket', Key, Body: body }))
    const got = await s3.send(new GetObjectCommand({ Bucket: 'node-sdk-bucket', Key }))
    assert.equal(await got.Body.transformToString(), body)
    const command = new GetObjectCommand({ Bucket: 'node-sdk-bucket', Key })
    const signingDate = new Date()
    const ours = await getSignedUrl(s3, command, { expiresIn: 300, signingDate })
    const theirs = await sdkPresigner.getSignedUrl(s3, command, { expiresIn: 300, signingDate })
    assert.equal(ours, theirs, Key)
    await setAuth(false) // moto checks no presigned URL (and answers 500 to one while auth is on)
    try {
      const res = await fetch(ours)
      assert.equal(res.status, 200, Key)
      assert.equal(await res.text(), body)
    } finally {
      await setAuth(true)
    }
  }
  const listed = await s3.send(new ListObjectsV2Command({ Bucket: 'node-sdk-bucket' }))
  assert.deepEqual(listed.Contents.map((o) => o.Key).sort(), [...KEYS].sort())
  assert.ok(signer.calls >= 2 * KEYS.length + 2, `signed ${signer.calls} requests`)
})

async function setAuth(on) {
  const res = await fetch(`${moto.endpoint}/moto-api/reset-auth`, { method: 'POST', body: on ? '0' : 'inf',
    headers: { 'content-type': 'text/plain' } })
  assert.equal(res.status, 200)
}

test('SQS through signerConstructor: SignatureV4', async () => {
  const sqs = new SQSClient(config({ signerConstructor: SignatureV4 }))
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'node-sdk-queue' }))
  await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'hello + world = $ é' }))
  const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 0 }))
  assert.equal(Messages[0].Body, 'hello + world = $ é')
})

test('DynamoDB through new DynamoDBClient({ signer })', async () => {
  const { credentials, region } = config()
  const signer = counting(new SignatureV4({ credentials, region, service: 'dynamodb' }))
  const ddb = new DynamoDBClient(config({ signer }))
  await ddb.send(new CreateTableCommand({ TableName: 'node-sdk', KeySchema: [{ AttributeName: 'k', KeyType: 'HASH' }],
    AttributeDefinitions: [{ AttributeName: 'k', AttributeType: 'S' }], BillingMode: 'PAY_PER_REQUEST' }))
  await ddb.send(new PutItemCommand({ TableName: 'node-sdk', Item: { k: { S: 'a b+c' }, v: { S: 'é' } } }))
  const { Item } = await ddb.send(new GetItemCommand({ TableName: 'node-sdk', Key: { k: { S: 'a b+c' } } }))
  assert.deepEqual(Item.v, { S: 'é' })
  assert.ok(signer.calls >= 3)
})

async function describeTable(secretAccessKey) {
  const signer = new SignatureV4({ credentials: { accessKeyId: moto.access_key_id, secretAccessKey },
    region: moto.region, service: 'dynamodb' })
  const url = new URL(moto.endpoint)
  const body = JSON.stringify({ TableName: 'node-sdk' })
  const signed = await signer.sign({ method: 'POST', protocol: 'http:', hostname: url.hostname, port: Number(url.port),
    path: '/', query: {}, body, headers: { host: url.host, 'content-type': 'application/x-amz-json-1.0',
      'x-amz-target': 'DynamoDB_20120810.DescribeTable' } })
  return fetch(moto.endpoint + '/', { method: 'POST', headers: signed.headers, body })
}

test('a wrong secret is refused', async () => {
  const credentials = { accessKeyId: moto.access_key_id, secretAccessKey: 'not-the-secret' }
  const s3 = new S3Client({ ...config({ forcePathStyle: true }), credentials, signerConstructor: SignatureV4 })
  await assert.rejects(() => s3.send(new ListObjectsV2Command({ Bucket: 'node-sdk-bucket' })), (err) => {
    assert.equal(err.$metadata?.httpStatusCode, 403, String(err))
    assert.match(String(err.message) + String(err.name), /signature/i)
    return true
  })
  // moto answers the JSON protocols' auth errors (DynamoDB, SQS) in XML, which those clients cannot
  // parse: the same call signed by SignatureV4 and sent with fetch shows the answer.
  for (const sqsOrDdb of [new SQSClient({ ...config(), credentials, signerConstructor: SignatureV4 }),
    new DynamoDBClient({ ...config(), credentials, signerConstructor: SignatureV4 })]) {
    await assert.rejects(() => sqsOrDdb.send(sqsOrDdb instanceof SQSClient ? new ListQueuesCommand({})
      : new GetItemCommand({ TableName: 'node-sdk', Key: { k: { S: 'a' } } })), (err) => {
      assert.equal(err.$metadata?.httpStatusCode, 403, String(err))
      return true
    })
  }
  const refused = await describeTable('not-the-secret')
  assert.equal(refused.status, 403)
  assert.match(await refused.text(), /signature/i)
  const accepted = await describeTable(moto.secret_access_key)
  assert.equal(accepted.status, 200, await accepted.text())
})
