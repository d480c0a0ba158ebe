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
/** The last one used: most programs sign with one set of credentials and scope. */
let last = null

function handleFor(accessKeyId, secretAccessKey, region, service) {
  const l = last
  if (l !== null && l[0] === accessKeyId && l[1] === secretAccessKey && l[2] === region && l[3] === service) return l[4]
  const key = accessKeyId + '\0' + secretAccessKey + '\0' + region + '\0' + service
  let h = handles.get(key)
  if (h === undefined) {
    h = native.sdkHandle(accessKeyId, secretAccessKey, region, service)
    if (handles.size >= MAX_HANDLES) handles.delete(handles.keys().next().value)
    handles.set(key, h)
  }
  last = [accessKeyId, secretAccessKey, region, service, h]
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

const NO_BYTES = new Uint8Array(0)

/** The body as bytes, or null where aws4fetch would hash a non-bufferable body (it throws). */
function bodyBytes(body) {
  if (!body) return NO_BYTES
  if (typeof body === 'string') return encoder.encode(body)
  if (body instanceof ArrayBuffer) return new Uint8Array(body)
  if (ArrayBuffer.isView(body)) return new Uint8Array(body.buffer, body.byteOffset, body.byteLength)
  if (typeof body === 'object' && 'byteLength' in body) return new Uint8Array(body)
  return null
}

/** A UTC timestamp as aws4fetch writes it (YYYYMMDDTHHMMSSZ), formatted once per second. */
let stampSecond = NaN
let stamp = ''
function amzNow() {
  const second = Math.floor(Date.now() / 1000)
  if (second !== stampSecond) {
    stamp = new Date(second * 1000).toISOString().replace(/[:-]|\.\d{3}/g, '')
    stampSecond = second
  }
  return stamp
}

// The fast path: a URL and a header record that `new URL` and `new Headers` would keep exactly as given are
// read with regular expressions, and the URL and Headers objects are made only when the caller reads `url` or
// `headers` (the signature never needs them; in workerd each is a crossing into C++). Anything else takes
// aws4fetch's own path through URL and Headers. tests: the aws4fetch differential (test-edge/node).
//
// An absolute http(s) URL with a lowercase scheme and a host of lowercase letters, digits, dots and hyphens, no
// port, userinfo or fragment, and a path and query of characters the WHATWG parser neither escapes nor rewrites.
const SIMPLE_URL = /^https?:\/\/([a-z0-9-]+(?:\.[a-z0-9-]+)*)(\/[A-Za-z0-9\-._~!$&()*+,;=:@%/]*)?(\?[A-Za-z0-9\-._~!$&()*+,;=:@%/?]*)?$/
/** Paths the parser rewrites: dot segments, also escaped ones (and some it would keep: they take the slow path). */
const DOT_SEGMENT = /\/\.|%2e/i
/** Hosts the parser rewrites: IPv4 forms (a numeric last label), IDNA (xn--). */
const HOST_REWRITE = /(?:^|\.)(?:\d+|0x[0-9a-f]*)$|xn--/i
/** A header name (an HTTP token). */
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/
/** A header value Headers keeps as it is: printable ASCII without leading or trailing spaces. */
const PLAIN_VALUE = /^(?:[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?)?$/

/** `[host, pathname + search]` of a URL the parser keeps as it is, or null. */
function simpleUrl(url) {
  const m = SIMPLE_URL.exec(url)
  if (m === null) return null
  const path = m[2] === undefined ? '/' : m[2]
  if (DOT_SEGMENT.test(path) || HOST_REWRITE.test(m[1])) return null
  // An empty query ("?") is no search at all.
  const search = m[3] === undefined || m[3] === '?' ? '' : m[3]
  return [m[1], path, search]
}

/**
 * The headers option as `[names, values]` (lowercase names; a few headers: arrays beat a Map), or null where
 * only Headers can tell what it means (a Headers, pairs, non-string values, names repeated in another case...).
 */
function simpleHeaders(headers) {
  const names = []
  const values = []
  if (headers === undefined || headers === null) return [names, values]
  if (typeof headers !== 'object') return null
  const proto = Object.getPrototypeOf(headers)
  if (proto !== Object.prototype && proto !== null) return null
  if (Object.getOwnPropertySymbols(headers).length !== 0) return null
  for (const name in headers) {
    if (!Object.prototype.hasOwnProperty.call(headers, name)) continue
    const value = headers[name]
    if (typeof value !== 'string' || !TOKEN.test(name) || !PLAIN_VALUE.test(value)) return null
    const lower = name.toLowerCase()
    if (names.indexOf(lower) !== -1) return null
    names.push(lower)
    values.push(value)
  }
  return [names, values]
}

/** A header value Headers would keep as given. */
function plainValue(v) { return typeof v === 'string' && PLAIN_VALUE.test(v) }

const FAST_URL = { hostname: '', pathname: '' }

/** Where a sign() result finds its signer (a non-enumerable property: spread and Object.assign skip it). */
const SIGNER = Symbol('libsigv4 signer')

function ownValue(target, name, value) {
  Object.defineProperty(target, name, { value, writable: true, enumerable: true, configurable: true })
}

const RESULT_URL = {
  get() { return this[SIGNER].url },
  set(value) { ownValue(this, 'url', value) },
  enumerable: true,
  configurable: true,
}
const RESULT_HEADERS = {
  get() { return this[SIGNER].headers },
  set(value) { ownValue(this, 'headers', value) },
  enumerable: true,
  configurable: true,
}
const HIDDEN = { value: null, writable: true, enumerable: false, configurable: true }

/**
 * sign()'s result: aws4fetch's plain `{method, url, headers, body}`, whose `url` and `headers` are the signer's,
 * made on first read on the fast path — own enumerable accessors (spread and Object.assign copy them as values;
 * assigning replaces them), with shared descriptors: an object literal with accessors costs ~1 µs in V8.
 */
function signedRequest(signer) {
  const out = { method: signer.method }
  HIDDEN.value = signer
  Object.defineProperty(out, SIGNER, HIDDEN)
  HIDDEN.value = null
  Object.defineProperty(out, 'url', RESULT_URL)
  Object.defineProperty(out, 'headers', RESULT_HEADERS)
  out.body = signer.body
  return out
}

class AwsV4Signer {
  // The URL: `#url` once made (or given); before, `#href` and its parts (`#host`, `#path`, `#search`).
  #url = null
  #href = null
  #host = ''
  #path = ''
  #search = ''
  // The headers: `#headers` once made (or given); before, `#names` (lowercase) and their `#values`.
  #headers = null
  #names = null
  #values = null
  #streaming = false
  #cache = null
  /** The request as sdkSign takes it (aws4fetch fixes path, query and header values in its constructor). */
  #packed = ''
  #result = null

  constructor({ method, url, headers, body, accessKeyId, secretAccessKey, sessionToken, service, region, cache, datetime, signQuery, appendSessionToken, allHeaders, singleEncode, streaming, unsignedPayload, decodedLength }) {
    if (url == null) throw new TypeError('url is a required option')
    if (accessKeyId == null) throw new TypeError('accessKeyId is a required option')
    if (secretAccessKey == null) throw new TypeError('secretAccessKey is a required option')
    this.method = method || (body ? 'POST' : 'GET')
    const href = typeof url === 'string' ? url : url instanceof URL ? url.href : null
    const parts = signQuery || href === null ? null : simpleUrl(href)
    const map = parts === null ? null : simpleHeaders(headers)
    if (map !== null && (!datetime || plainValue(datetime)) && (!sessionToken || plainValue(sessionToken))) {
      this.#href = href
      this.#host = parts[0]
      this.#path = parts[1]
      this.#search = parts[2]
      this.#names = map[0]
      this.#values = map[1]
    } else {
      this.#url = new URL(url)
      this.#headers = new Headers(headers || {})
    }
    this.body = body
    this.accessKeyId = accessKeyId
    this.secretAccessKey = secretAccessKey
    this.sessionToken = sessionToken
    let guessedService, guessedRegion
    if (!service || !region) {
      let u = this.#url
      if (u === null) {
        u = FAST_URL
        u.hostname = this.#host
        u.pathname = this.#path
      }
      [guessedService, guessedRegion] = guessServiceRegion(u, this.#headers !== null ? this.#headers : { get: (name) => this.#get(name.toLowerCase()) })
    }
    this.service = service || guessedService || ''
    this.region = region || guessedRegion || 'us-east-1'
    if (cache) this.#cache = cache
    this.datetime = datetime || amzNow()
    this.signQuery = signQuery
    this.appendSessionToken = appendSessionToken || this.service === 'iotdevicegateway'
    this.allHeaders = allHeaders
    this.singleEncode = singleEncode
    this.streaming = streaming
    this.unsignedPayload = unsignedPayload
    this.decodedLength = decodedLength
    this.#delete('host')
    if (isStream(body) && !signQuery && !this.#has('x-amz-content-sha256')) {
      if (this.service === 's3' && streaming) this.#streaming = true
      else if (unsignedPayload) this.#set('x-amz-content-sha256', 'UNSIGNED-PAYLOAD')
    }
    if (this.#streaming) return
    if (this.service === 's3' && !this.signQuery && !this.#has('x-amz-content-sha256')) {
      this.#set('x-amz-content-sha256', 'UNSIGNED-PAYLOAD')
    }
    if (this.signQuery) {
      const params = this.url.searchParams
      params.set('X-Amz-Date', this.datetime)
      if (this.sessionToken && !this.appendSessionToken) params.set('X-Amz-Security-Token', this.sessionToken)
    } else {
      this.#set('x-amz-date', this.datetime)
      if (this.sessionToken && !this.appendSessionToken) this.#set('x-amz-security-token', this.sessionToken)
    }
    const names = this.#headers === null ? this.#names.slice() : [...this.#headers.keys()]
    names.push('host')
    this.signableHeaders = allHeaders ? names.sort() : names.filter((header) => !UNSIGNABLE_HEADERS.has(header)).sort()
    this.signedHeaders = this.signableHeaders.join(';')
    this.credentialString = this.datetime.slice(0, 8) + '/' + this.region + '/' + this.service + '/aws4_request'
    if (this.signQuery) {
      const params = this.url.searchParams
      if (this.service === 's3' && !params.has('X-Amz-Expires')) {
        params.set('X-Amz-Expires', '86400')
      }
      params.set('X-Amz-Algorithm', 'AWS4-HMAC-SHA256')
      params.set('X-Amz-Credential', this.accessKeyId + '/' + this.credentialString)
      params.set('X-Amz-SignedHeaders', this.signedHeaders)
    }
    this.#packed = this.#pack()
  }

  /** Accepted for aws4fetch compatibility (derived keys are cached by the core); a Map made on first read. */
  get cache() {
    if (this.#cache === null) this.#cache = new Map()
    return this.#cache
  }

  set cache(value) { this.#cache = value }

  /** The request URL (a `URL`, made on first read on the fast path). */
  get url() {
    if (this.#url === null) this.#url = new URL(this.#href)
    return this.#url
  }

  set url(value) { this.#url = value }

  /** The request headers (a `Headers`, made on first read on the fast path). */
  get headers() {
    if (this.#headers === null) {
      // set() per header: in workerd, new Headers(pairs) costs 3x as much (its sequence conversion).
      const names = this.#names
      const headers = new Headers()
      for (let i = 0; i < names.length; i++) headers.set(names[i], this.#values[i])
      this.#headers = headers
      this.#names = this.#values = null
    }
    return this.#headers
  }

  set headers(value) {
    this.#headers = value
    this.#names = this.#values = null
  }

  #has(name) { return this.#headers === null ? this.#names.indexOf(name) !== -1 : this.#headers.has(name) }

  #get(name) {
    if (this.#headers !== null) return this.#headers.get(name)
    const i = this.#names.indexOf(name)
    return i === -1 ? null : this.#values[i]
  }

  #set(name, value) {
    if (this.#headers !== null) return this.#headers.set(name, value)
    const i = this.#names.indexOf(name)
    if (i === -1) {
      this.#names.push(name)
      this.#values.push(value)
    } else {
      this.#values[i] = value
    }
  }

  #delete(name) {
    if (this.#headers !== null) return this.#headers.delete(name)
    const i = this.#names.indexOf(name)
    if (i !== -1) {
      this.#names.splice(i, 1)
      this.#values.splice(i, 1)
    }
  }

  /** `method NUL path+query NUL datetime [NUL name NUL value]...` for the signed headers, in their order. */
  #pack() {
    let host, target
    if (this.#url === null) {
      host = this.#host
      target = this.#path + this.#search
    } else {
      host = this.#url.host
      target = this.#url.pathname + this.#url.search
    }
    let packed = this.method.toUpperCase() + '\0' + target + '\0' + this.datetime
    const signable = this.signableHeaders
    if (this.#headers === null) {
      for (let i = 0; i < signable.length; i++) {
        const name = signable[i]
        packed += '\0' + name + '\0' + (name === 'host' ? host : this.#values[this.#names.indexOf(name)])
      }
      return packed
    }
    // Headers iterate sorted and lowercased, as signableHeaders is: one pass, no get() per name.
    let next = 0
    if (signable[0] === 'host') {
      packed += '\0host\0' + host
      next = 1
    }
    for (const [name, value] of this.#headers) {
      if (next < signable.length && name === signable[next]) {
        packed += '\0' + name + '\0' + value
        next++
      }
      if (next < signable.length && signable[next] === 'host') {
        packed += '\0host\0' + host
        next++
      }
    }
    return packed
  }

  /** The payload line aws4fetch signs: the header's value, UNSIGNED-PAYLOAD, or null (hash the body). */
  #payloadHeader() {
    return this.#get('x-amz-content-sha256') || (this.service === 's3' && this.signQuery ? 'UNSIGNED-PAYLOAD' : null)
  }

  #bodyError() {
    return new Error('body must be a string, ArrayBuffer or ArrayBufferView, unless you include the X-Amz-Content-Sha256 header' +
      (isStream(this.body) ? " (libsigv4: or pass aws: {unsignedPayload: true}, or for S3 aws: {streaming: true}, to stream it)" : ''))
  }

  /**
   * Signs with the core; `payloadHash` is the hash or sentinel, or null to hash `bytes`. `full` also returns
   * the canonical request and string to sign (the signature alone otherwise).
   */
  #compute(payloadHash, bytes, full) {
    if (this.#result !== null && (!full || this.#result.stringToSign !== undefined)) return this.#result
    // sdkSign flags (src/sdk.rs): single URI encoding (S3, or singleEncode), path normalisation (not S3),
    // and the canonical request and string to sign in the result.
    const s3 = this.service === 's3'
    const flags = (s3 || this.singleEncode ? SINGLE_ENCODING : 0) | (s3 ? 0 : NORMALIZE_PATH) | (full ? FULL : 0)
    const h = handleFor(this.accessKeyId, this.secretAccessKey, this.region, this.service)
    const hash = payloadHash !== null ? payloadHash : bytes.length === 0 ? EMPTY_SHA256 : native.sha256Hex(bytes)
    const out = native.sdkSign(h, this.#packed, hash, flags)
    if (full) {
      const p = out.split('\0')
      this.#result = { signature: p[0], canonicalRequest: p[2], stringToSign: p[3] }
    } else {
      this.#result = { signature: out.slice(0, out.indexOf('\0')) }
    }
    return this.#result
  }

  #syncResult(full) {
    const header = this.#payloadHeader()
    if (header !== null) return this.#compute(header, null, full)
    const bytes = bodyBytes(this.body)
    if (bytes === null) throw this.#bodyError()
    return this.#compute(null, bytes, full)
  }

  async #asyncResult(full) {
    const header = this.#payloadHeader()
    if (header !== null) return this.#compute(header, null, full)
    const bytes = bodyBytes(this.body)
    if (bytes === null) throw this.#bodyError()
    if (bytes.length >= WEBCRYPTO_BYTES && typeof crypto === 'object' && crypto.subtle) {
      return this.#compute(hex(await crypto.subtle.digest('SHA-256', bytes)), null, full)
    }
    return this.#compute(null, bytes, full)
  }

  #finish(signature) {
    if (this.signQuery) {
      this.url.searchParams.set('X-Amz-Signature', signature)
      if (this.sessionToken && this.appendSessionToken) {
        this.url.searchParams.set('X-Amz-Security-Token', this.sessionToken)
      }
    } else {
      this.#set('authorization', this.#authorization(signature))
    }
    return signedRequest(this)
  }

  #authorization(signature) {
    return 'AWS4-HMAC-SHA256 Credential=' + this.accessKeyId + '/' + this.credentialString +
      ', SignedHeaders=' + this.signedHeaders + ', Signature=' + signature
  }

  /** aws4fetch's sign(): `{method, url, headers, body}` with the Authorization header or X-Amz-Signature. */
  async sign() {
    if (this.#streaming) return this.#signStreaming()
    // Only a large body (hashed by WebCrypto) needs to wait: anything else signs at once.
    const result = this.#webCrypto() ? await this.#asyncResult(false) : this.#syncResult(false)
    return this.#finish(result.signature)
  }

  /** Whether the async API hashes the body with WebCrypto. */
  #webCrypto() {
    const b = this.body
    return b != null && typeof b === 'object' && b.byteLength >= WEBCRYPTO_BYTES && this.#payloadHeader() === null &&
      typeof crypto === 'object' && crypto.subtle !== undefined
  }

  /** Like sign(), synchronously (a string or bytes body, or a payload hash header). */
  signSync() {
    if (this.#streaming) return this.#signStreaming()
    return this.#finish(this.#syncResult(false).signature)
  }

  /** An S3 upload of a ReadableStream body as aws-chunked, each chunk signed as it passes. */
  #signStreaming() {
    let length = this.decodedLength
    if (length === undefined || length === null) {
      const given = this.#get('content-length')
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
  async signature() { return (await this.#asyncResult(false)).signature }
  async stringToSign() { return (await this.#asyncResult(true)).stringToSign }
  async canonicalString() { return (await this.#asyncResult(true)).canonicalRequest }
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
