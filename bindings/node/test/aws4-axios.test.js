'use strict'
// libsigv4/axios with aws4-axios 3.x's argument shape against the real aws4-axios 3.4.0 on
// generated requests: the same axios request through each interceptor must leave identical
// headers and URL. AWS4_AXIOS_SEED reproduces a run.
const test = require('node:test')
const assert = require('node:assert/strict')
const axios = require('axios')
const theirs = require('aws4-axios')
const ours = require('libsigv4/axios')
const { rng } = require('./gen')

const N = Number(process.env.AWS4_AXIOS_N || 400)
const SEED = Number(process.env.AWS4_AXIOS_SEED || (Date.now() % 2147483647))
const FIXED_NOW = Date.UTC(2024, 1, 29, 23, 59, 59)
const HOSTS = ['https://abc.execute-api.eu-west-1.amazonaws.com', 'https://bucket.s3.amazonaws.com', 'https://lambda.us-east-1.amazonaws.com:8443', 'http://127.0.0.1:3000', 'https://search-d.us-east-1.es.amazonaws.com']
const PATHS = ['/', '/v1/jobs', '/a b/é', '/k%2Fe+y', '/x/./y/../z', '/q?a=1&b=2', '/q?x=%41&x=2&y']
const PARAMS = [undefined, { a: 'b c' }, { q: 'a+b&c', n: 1 }, { arr: ['x', 'y'] }, { d: null, e: undefined }]
const DATA = [undefined, { a: 1 }, 'raw text', 'é', '']
const HEADERS = [{}, { 'X-Custom': 'v  w' }, { 'Content-Type': 'text/plain' }, { 'x-amz-date': '20240229T235959Z' }]
const OPTIONS = [undefined, { service: 'execute-api', region: 'eu-west-1' }, { service: 's3' }, { region: 'us-west-2' },
  { service: 'lambda', signQuery: true }, { service: 's3', signQuery: true }, { service: 'execute-api', addContentSha: true }]
const CREDS = [{ accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' }, { accessKeyId: 'AKID', secretAccessKey: 's', sessionToken: 'tok' }, undefined, 'provider']

function pick(r, list) {
  return list[Math.floor(r() * list.length)]
}

async function run(interceptor, request) {
  const instance = axios.create()
  instance.defaults.adapter = async (config) => ({ data: '', status: 200, statusText: 'OK', headers: {}, config, request: {} })
  instance.interceptors.request.use(interceptor(instance))
  const res = await instance.request({ ...request, headers: { ...request.headers } })
  return { headers: res.config.headers.toJSON(), url: instance.getUri(res.config) }
}

test(`libsigv4/axios with aws4-axios' arguments equals aws4-axios 3.4.0 on ${N} generated requests (seed ${SEED})`, async () => {
  console.log(`# aws4-axios differential: seed ${SEED} (AWS4_AXIOS_SEED=${SEED} reproduces), ${N} requests`)
  const RealDate = global.Date
  global.Date = class extends RealDate {
    constructor(...a) { if (a.length) super(...a); else super(FIXED_NOW) }
    static now() { return FIXED_NOW }
  }
  const saved = { ...process.env }
  process.env.AWS_ACCESS_KEY_ID = 'AKIDENV'
  process.env.AWS_SECRET_ACCESS_KEY = 'envsecret'
  try {
    const r = rng(SEED)
    for (let i = 0; i < N; i++) {
      const request = { method: pick(r, ['get', 'post', 'put', 'delete']), url: pick(r, HOSTS) + pick(r, PATHS), params: pick(r, PARAMS), data: pick(r, DATA), headers: pick(r, HEADERS) }
      const options = pick(r, OPTIONS)
      let credentials = pick(r, CREDS)
      if (credentials === 'provider') credentials = { getCredentials: async () => ({ accessKeyId: 'AKIDP', secretAccessKey: 'provided' }) }
      const args = (instance) => ({ instance, credentials, options })
      const expected = await run((instance) => theirs.aws4Interceptor(args(instance)), request)
      const got = await run((instance) => ours.aws4Interceptor(args(instance)), request)
      assert.ok(got.headers.Authorization || got.url.includes('X-Amz-Signature='), JSON.stringify(got))
      assert.deepEqual(got, expected, `case ${i} (seed ${SEED}): ${JSON.stringify({ request, options, credentials })}`)
    }
  } finally {
    global.Date = RealDate
    process.env = saved
  }
})

test('aws4-axios imports work unchanged: default export, interceptor alias, getAuthErrorMessage', async () => {
  const esm = await import('libsigv4/axios')
  assert.equal(esm.default, ours.aws4Interceptor)
  assert.equal(ours.interceptor, ours.aws4Interceptor)
  const err = new axios.AxiosError('no', 'ERR', undefined, undefined, { data: { message: 'User is not authorized' }, status: 403 })
  assert.equal(ours.getAuthErrorMessage(err), theirs.getAuthErrorMessage(err))
})
