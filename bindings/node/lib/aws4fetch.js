'use strict'
// libsigv4/aws4fetch: aws4fetch 1.0.20's AwsClient and AwsV4Signer — its options, its request
// preparation (method, service and region inference, the headers it adds and signs, signQuery's
// query parameters, appendSessionToken, the retry loop of fetch()) — with the signature computed by
// the libsigv4 core (sdkSign: exactly these headers; canonical request, string to sign, derived-key cache, HMAC).
//
// Where aws4fetch departs from AWS's rules the core's rules win (tests/differential/allowlist.json,
// peer "aws4fetch"). Added: signSync() (no WebCrypto), ReadableStream bodies sent without buffering
// (aws-chunked for S3 with `aws: {streaming: true}`, UNSIGNED-PAYLOAD with
// `aws: {unsignedPayload: true}`), and large bodies hashed with WebCrypto in the async API.
// Runs without Node built-ins (Workers, browsers, Deno, Bun, Node).
const native = require('#native')
const { Signer } = require('./signer')

const encoder = new TextEncoder()

const HOST_SERVICES = {
  appstream2: 'appstream',
  cloudhsmv2: 'cloudhsm',
  email: 'ses',
  marketplace: 'aws-marketplace',
  mobile: 'AWSMobileHubService',
  pinpoint: 'mobiletargeting',
  queue: 'sqs',
  'git-codecommit': 'codecommit',
  'mturk-requester-sandbox': 'mturk-requester',
  'personalize-runtime': 'personalize',
}

const UNSIGNABLE_HEADERS = new Set([
  'authorization',
  'content-type',
  'content-length',
  'user-agent',
  'presigned-expires',
  'expect',
  'x-amzn-trace-id',
  'range',
  'connection',
])

/** SHA-256 of no bytes (the payload line of a bodiless request). */
const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'

/** sdkSign flags (src/sdk.rs). */
const SINGLE_ENCODING = 16
const NORMALIZE_PATH = 32
const FULL = 64

/** Bodies at least this large are hashed with WebCrypto by the async API (native SHA-256). */
const WEBCRYPTO_BYTES = 64 * 1024

// Signer handles per credentials, region and service (the core caches the derived keys in each).
const handles = new Map()
const MAX_HANDLES = 64

function handleFor(accessKeyId, secretAccessKey, region, service) {
  const key = accessKeyId + '\0' + secretAccessKey + '\0' + region + '\0' + service
  let h = handles.get(key)
  if (h === undefined) {
    h = native.sdkHandle(accessKeyId, secretAccessKey, region, service)
    if (handles.size >= MAX_HANDLES) handles.delete(handles.keys().next().value)
    handles.set(key, h)
  }
  return h
}

function isStream(body) {
  return body !== null && typeof body === 'object' && typeof body.getReader === 'function'
}

function hex(buffer) {
  const b = new Uint8Array(buffer)
  let s = ''
  for (let i = 0; i < b.length; i++) s += (b[i] < 16 ? '0' : '') + b[i].toString(16)
  return s
}

/** The body as bytes, or null where aws4fetch would hash a non-bufferable body (it throws). */
function bodyBytes(body) {
  if (!body) return new Uint8Array(0)
  if (typeof body === 'string') return encoder.encode(body)
  if (body instanceof ArrayBuffer) return new Uint8Array(body)
  if (ArrayBuffer.isView(body)) return new Uint8Array(body.buffer, body.byteOffset, body.byteLength)
  if (typeof body === 'object' && 'byteLength' in body) return new Uint8Array(body)
  return null
}

class AwsV4Signer {
  constructor({ method, url, headers, body, accessKeyId, secretAccessKey, sessionToken, service, region, cache, datetime, signQuery, appendSessionToken, allHeaders, singleEncode, streaming, unsignedPayload, decodedLength }) {
    if (url == null) throw new TypeError('url is a required option')
    if (accessKeyId == null) throw new TypeError('accessKeyId is a required option')
    if (secretAccessKey == null) throw new TypeError('secretAccessKey is a required option')
    this.method = method || (body ? 'POST' : 'GET')
    this.url = new URL(url)
    this.headers = new Headers(headers || {})
    this.body = body
    this.accessKeyId = accessKeyId
    this.secretAccessKey = secretAccessKey
    this.sessionToken = sessionToken
    let guessedService, guessedRegion
    if (!service || !region) {
      [guessedService, guessedRegion] = guessServiceRegion(this.url, this.headers)
    }
    this.service = service || guessedService || ''
    this.region = region || guessedRegion || 'us-east-1'
    /** Accepted for aws4fetch compatibility; derived keys are cached by the core per signer. */
    this.cache = cache || new Map()
    this.datetime = datetime || new Date().toISOString().replace(/[:-]|\.\d{3}/g, '')
    this.signQuery = signQuery
    this.appendSessionToken = appendSessionToken || this.service === 'iotdevicegateway'
    this.allHeaders = allHeaders
    this.singleEncode = singleEncode
    this.streaming = streaming
    this.unsignedPayload = unsignedPayload
    this.decodedLength = decodedLength
    this.headers.delete('Host')
    if (isStream(body) && !signQuery && !this.headers.has('X-Amz-Content-Sha256')) {
      if (this.service === 's3' && streaming) this.#streaming = true
      else if (unsignedPayload) this.headers.set('X-Amz-Content-Sha256', 'UNSIGNED-PAYLOAD')
    }
    if (this.#streaming) return
    if (this.service === 's3' && !this.signQuery && !this.headers.has('X-Amz-Content-Sha256')) {
      this.headers.set('X-Amz-Content-Sha256', 'UNSIGNED-PAYLOAD')
    }
    const params = this.signQuery ? this.url.searchParams : this.headers
    params.set('X-Amz-Date', this.datetime)
    if (this.sessionToken && !this.appendSessionToken) {
      params.set('X-Amz-Security-Token', this.sessionToken)
    }
    this.signableHeaders = ['host', ...this.headers.keys()]
      .filter((header) => allHeaders || !UNSIGNABLE_HEADERS.has(header))
      .sort()
    this.signedHeaders = this.signableHeaders.join(';')
    this.credentialString = [this.datetime.slice(0, 8), this.region, this.service, 'aws4_request'].join('/')
    if (this.signQuery) {
      if (this.service === 's3' && !params.has('X-Amz-Expires')) {
        params.set('X-Amz-Expires', '86400')
      }
      params.set('X-Amz-Algorithm', 'AWS4-HMAC-SHA256')
      params.set('X-Amz-Credential', this.accessKeyId + '/' + this.credentialString)
      params.set('X-Amz-SignedHeaders', this.signedHeaders)
    }
  }

  #streaming = false
  #result = null

  /** The payload line aws4fetch signs: the header's value, UNSIGNED-PAYLOAD, or null (hash the body). */
  #payloadHeader() {
    return this.headers.get('X-Amz-Content-Sha256') || (this.service === 's3' && this.signQuery ? 'UNSIGNED-PAYLOAD' : null)
  }

  #bodyError() {
    return new Error('body must be a string, ArrayBuffer or ArrayBufferView, unless you include the X-Amz-Content-Sha256 header' +
      (isStream(this.body) ? " (libsigv4: or pass aws: {unsignedPayload: true}, or for S3 aws: {streaming: true}, to stream it)" : ''))
  }

  /** Signs with the core; `payloadHash` is the hash or sentinel, or null to hash `bytes`. */
  #compute(payloadHash, bytes) {
    if (this.#result !== null) return this.#result
    const u = this.url
    let packed = this.method.toUpperCase() + '\0' + (u.pathname + u.search) + '\0' + this.datetime
    // Headers iterate sorted and lowercased, as signableHeaders is: one pass, no get() per name.
    const signable = this.signableHeaders
    let next = 0
    if (signable[0] === 'host') {
      packed += '\0host\0' + u.host
      next = 1
    }
    for (const [name, value] of this.headers) {
      if (next < signable.length && name === signable[next]) {
        packed += '\0' + name + '\0' + value
        next++
      }
      if (next < signable.length && signable[next] === 'host') {
        packed += '\0host\0' + u.host
        next++
      }
    }
    // sdkSign flags (src/sdk.rs): single URI encoding (S3, or singleEncode), path normalisation (not S3),
    // and the canonical request and string to sign in the result.
    const s3 = this.service === 's3'
    const flags = (s3 || this.singleEncode ? SINGLE_ENCODING : 0) | (s3 ? 0 : NORMALIZE_PATH) | FULL
    const h = handleFor(this.accessKeyId, this.secretAccessKey, this.region, this.service)
    const hash = payloadHash !== null ? payloadHash : bytes.length === 0 ? EMPTY_SHA256 : native.sha256Hex(bytes)
    const p = native.sdkSign(h, packed, hash, flags).split('\0')
    this.#result = { signature: p[0], canonicalRequest: p[2], stringToSign: p[3] }
    return this.#result
  }

  #syncResult() {
    const header = this.#payloadHeader()
    if (header !== null) return this.#compute(header, null)
    const bytes = bodyBytes(this.body)
    if (bytes === null) throw this.#bodyError()
    return this.#compute(null, bytes)
  }

  async #asyncResult() {
    const header = this.#payloadHeader()
    if (header !== null) return this.#compute(header, null)
    const bytes = bodyBytes(this.body)
    if (bytes === null) throw this.#bodyError()
    if (bytes.length >= WEBCRYPTO_BYTES && typeof crypto === 'object' && crypto.subtle) {
      return this.#compute(hex(await crypto.subtle.digest('SHA-256', bytes)), null)
    }
    return this.#compute(null, bytes)
  }

  #finish(signature) {
    if (this.signQuery) {
      this.url.searchParams.set('X-Amz-Signature', signature)
      if (this.sessionToken && this.appendSessionToken) {
        this.url.searchParams.set('X-Amz-Security-Token', this.sessionToken)
      }
    } else {
      this.headers.set('Authorization', this.#authorization(signature))
    }
    return { method: this.method, url: this.url, headers: this.headers, body: this.body }
  }

  #authorization(signature) {
    return [
      'AWS4-HMAC-SHA256 Credential=' + this.accessKeyId + '/' + this.credentialString,
      'SignedHeaders=' + this.signedHeaders,
      'Signature=' + signature,
    ].join(', ')
  }

  /** aws4fetch's sign(): `{method, url, headers, body}` with the Authorization header or X-Amz-Signature. */
  async sign() {
    if (this.#streaming) return this.#signStreaming()
    return this.#finish((await this.#asyncResult()).signature)
  }

  /** Like sign(), synchronously (a string or bytes body, or a payload hash header). */
  signSync() {
    if (this.#streaming) return this.#signStreaming()
    return this.#finish(this.#syncResult().signature)
  }

  /** An S3 upload of a ReadableStream body as aws-chunked, each chunk signed as it passes. */
  #signStreaming() {
    let length = this.decodedLength
    if (length === undefined || length === null) {
      const given = this.headers.get('Content-Length')
      length = given === null ? NaN : Number(given)
    }
    if (!Number.isSafeInteger(length) || length < 0) {
      throw new TypeError('a streamed S3 body needs its length: a Content-Length header or aws: {decodedLength}')
    }
    const signer = new Signer({
      region: this.region,
      service: this.service,
      credentials: { accessKeyId: this.accessKeyId, secretAccessKey: this.secretAccessKey, sessionToken: this.sessionToken },
    })
    const headers = [...this.headers].filter(([n]) => n !== 'content-length')
    const upload = signer.signStreaming({ method: this.method, url: this.url.toString(), headers, decodedLength: length, timestamp: this.datetime })
    this.headers = new Headers(upload.headers)
    this.headers.delete('host')
    this.body = upload.readableStream(this.body)
    // Workers send a stream body chunked unless its length is fixed this way; S3 needs Content-Length.
    if (typeof FixedLengthStream === 'function') this.body = this.body.pipeThrough(new FixedLengthStream(Number(this.headers.get('Content-Length')))) // eslint-disable-line no-undef
    return { method: this.method, url: this.url, headers: this.headers, body: this.body }
  }

  async authHeader() { return this.#authorization(await this.signature()) }
  async signature() { return (await this.#asyncResult()).signature }
  async stringToSign() { return (await this.#asyncResult()).stringToSign }
  async canonicalString() { return (await this.#asyncResult()).canonicalRequest }
}

class AwsClient {
  constructor({ accessKeyId, secretAccessKey, sessionToken, service, region, cache, retries, initRetryMs }) {
    if (accessKeyId == null) throw new TypeError('accessKeyId is a required option')
    if (secretAccessKey == null) throw new TypeError('secretAccessKey is a required option')
    this.accessKeyId = accessKeyId
    this.secretAccessKey = secretAccessKey
    this.sessionToken = sessionToken
    this.service = service
    this.region = region
    this.cache = cache || new Map()
    this.retries = retries != null ? retries : 10
    this.initRetryMs = initRetryMs || 50
  }

  async #prepare(input, init) {
    if (input instanceof Request) {
      const { method, url, headers, body } = input
      init = Object.assign({ method, url, headers }, init)
      if (init.body == null && headers.has('Content-Type')) {
        init.body = body != null && headers.has('X-Amz-Content-Sha256') ? body : await input.clone().arrayBuffer()
      }
      input = url
    }
    return [input, init]
  }

  #request(input, init, signed) {
    signed = Object.assign({}, init, signed)
    delete signed.aws
    if (isStream(signed.body) && signed.duplex === undefined) signed.duplex = 'half'
    try {
      return new Request(signed.url.toString(), signed)
    } catch (e) {
      if (e instanceof TypeError) {
        return new Request(signed.url.toString(), Object.assign({ duplex: 'half' }, signed))
      }
      throw e
    }
  }

  #signer(input, init) {
    return new AwsV4Signer(Object.assign({ url: input.toString() }, init, this, init && init.aws))
  }

  /** aws4fetch's sign(): a signed Request. */
  async sign(input, init) {
    [input, init] = await this.#prepare(input, init)
    return this.#request(input, init, await this.#signer(input, init).sign())
  }

  /** Like sign(), synchronously (a URL or a bodiless Request; string or bytes bodies in `init`). */
  signSync(input, init) {
    if (input instanceof Request) {
      if (input.body != null && (init == null || init.body == null)) {
        throw new TypeError('signSync cannot read a Request body: pass the body in init, or use sign()')
      }
      const { method, url, headers } = input
      init = Object.assign({ method, url, headers }, init)
      input = url
    }
    return this.#request(input, init, this.#signer(input, init).signSync())
  }

  /** aws4fetch's fetch(): signs and fetches, retrying 5xx and 429 answers with jittered backoff. */
  async fetch(input, init) {
    for (let i = 0; i <= this.retries; i++) {
      const fetched = fetch(await this.sign(input, init))
      if (i === this.retries) {
        return fetched
      }
      const res = await fetched
      if (res.status < 500 && res.status !== 429) {
        return res
      }
      await new Promise((resolve) => setTimeout(resolve, Math.random() * this.initRetryMs * Math.pow(2, i)))
    }
    throw new Error('An unknown error occurred, ensure retries is not negative')
  }
}

/** aws4fetch's service and region inference from the host (and X-Amz-Target, the path). */
function guessServiceRegion(url, headers) {
  const { hostname, pathname } = url
  if (hostname.endsWith('.on.aws')) {
    const match = hostname.match(/^[^.]{1,63}\.lambda-url\.([^.]{1,63})\.on\.aws$/)
    return match != null ? ['lambda', match[1] || ''] : ['', '']
  }
  if (hostname.endsWith('.r2.cloudflarestorage.com')) {
    return ['s3', 'auto']
  }
  if (hostname.endsWith('.backblazeb2.com')) {
    const match = hostname.match(/^(?:[^.]{1,63}\.)?s3\.([^.]{1,63})\.backblazeb2\.com$/)
    return match != null ? ['s3', match[1] || ''] : ['', '']
  }
  const match = hostname.replace('dualstack.', '').match(/([^.]{1,63})\.(?:([^.]{0,63})\.)?amazonaws\.com(?:\.cn)?$/)
  let service = (match && match[1]) || ''
  let region = match && match[2]
  if (region === 'us-gov') {
    region = 'us-gov-west-1'
  } else if (region === 's3' || region === 's3-accelerate') {
    region = 'us-east-1'
    service = 's3'
  } else if (service === 'iot') {
    if (hostname.startsWith('iot.')) {
      service = 'execute-api'
    } else if (hostname.startsWith('data.jobs.iot.')) {
      service = 'iot-jobs-data'
    } else {
      service = pathname === '/mqtt' ? 'iotdevicegateway' : 'iotdata'
    }
  } else if (service === 'autoscaling') {
    const targetPrefix = (headers.get('X-Amz-Target') || '').split('.')[0]
    if (targetPrefix === 'AnyScaleFrontendService') {
      service = 'application-autoscaling'
    } else if (targetPrefix === 'AnyScaleScalingPlannerFrontendService') {
      service = 'autoscaling-plans'
    }
  } else if (region == null && service.startsWith('s3-')) {
    region = service.slice(3).replace(/^fips-|^external-1/, '')
    service = 's3'
  } else if (service.endsWith('-fips')) {
    service = service.slice(0, -5)
  } else if (region && /-\d$/.test(service) && !/-\d$/.test(region)) {
    [service, region] = [region, service]
  }
  return [HOST_SERVICES[service] || service, region || '']
}

module.exports = { AwsClient, AwsV4Signer }
