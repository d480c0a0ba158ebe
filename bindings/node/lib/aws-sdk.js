'use strict'
// libsigv4/aws-sdk: the AWS SDK for JavaScript v3 signing through the libsigv4 core.
//
//   const { SignatureV4, getSignedUrl } = require('libsigv4/aws-sdk')
//   const s3 = new S3Client({ region, signer: new SignatureV4({ credentials, region, service: 's3' }) })
//
// SignatureV4 takes @smithy/signature-v4's constructor options and implements @smithy/types'
// RequestSigner and RequestPresigner (sign, presign, signMessage, signString, signEvent). It keeps
// smithy's request preparation as it is — which headers are signed (its unsignable list, proxy-* and
// sec-*, signableHeaders / unsignableHeaders), the headers it adds, hoisting x-amz-* headers into a
// presigned URL's query, its payload hash choice — and hands the canonical request, the hashing and
// the HMAC to the core. The path and query rules are smithy's: with uriEscapePath (the default) the
// path loses '' / '.' / '..' segments as smithy removes them and is encoded again by the core; without
// it (S3) the path is signed as given (the core's verbatim mode).
const native = require('#native')

const { sdkHandle, sdkSign, sdkSignString, sha256Hex } = native

const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'
const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD'
const MAX_PRESIGNED_TTL = 60 * 60 * 24 * 7
const SHA256_HEADER = 'x-amz-content-sha256'
const GENERATED_HEADERS = ['authorization', 'x-amz-date', 'date']
const ALWAYS_UNSIGNABLE_HEADERS = {
  authorization: true, 'cache-control': true, connection: true, expect: true, from: true, 'keep-alive': true,
  'max-forwards': true, pragma: true, referer: true, te: true, trailer: true, 'transfer-encoding': true,
  upgrade: true, 'user-agent': true, 'x-amzn-trace-id': true,
}
const S3_SESSION_TOKEN_PARAM = 'X-Amz-S3session-Token'
const S3_SESSION_TOKEN_HEADER = S3_SESSION_TOKEN_PARAM.toLowerCase()
const withoutToken = (c) => ({ accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey, expiration: c.expiration })
const hasOwn = (o, k) => Object.prototype.hasOwnProperty.call(o, k)

// One native handle (credentials, scope, derived-key cache) per credentials, region and service.
const handles = new Map()
const MAX_HANDLES = 64

function handleFor(credentials, region, service) {
  const key = credentials.accessKeyId + '\0' + credentials.secretAccessKey + '\0' + region + '\0' + service
  let handle = handles.get(key)
  if (handle === undefined) {
    handle = sdkHandle(credentials.accessKeyId, credentials.secretAccessKey, region, service)
    if (handles.size >= MAX_HANDLES) handles.delete(handles.keys().next().value)
    handles.set(key, handle)
  }
  return handle
}

/** smithy's normalizeProvider: a value or a (possibly async) function returning it. */
function normalizeProvider(input) {
  if (typeof input === 'function') return input
  const promise = Promise.resolve(input)
  return () => promise
}

/** The URI encoding the SDK uses for query keys and values (RFC 3986, '!'()*' escaped too). */
function escapeUri(uri) {
  return encodeURIComponent(uri).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase())
}

function toDate(time) {
  if (typeof time === 'number') return new Date(time * 1000)
  if (typeof time === 'string') return Number(time) ? new Date(Number(time) * 1000) : new Date(time)
  return time
}

/** YYYYMMDDTHHMMSSZ, as smithy formats the signing date (the last second's text reused). */
let lastSecond = NaN
let lastText = ''
function longDate(date) {
  const d = toDate(date)
  const ms = d instanceof Date ? d.getTime() : NaN
  if (!Number.isNaN(ms) && Math.floor(ms / 1000) === lastSecond) return lastText
  const text = d.toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/[-:]/g, '')
  if (!Number.isNaN(ms)) {
    lastSecond = Math.floor(ms / 1000)
    lastText = text
  }
  return text
}

// The SDK's HttpRequest, when installed next to us (it always is under an SDK client): clones made
// with it are what smithy returns; otherwise a copy of the same shape.
let HttpRequest = null
for (const name of ['@smithy/protocol-http', '@smithy/core/protocols']) {
  try {
    HttpRequest = require(name).HttpRequest
    if (HttpRequest) break
  } catch (_) {
    // not installed
  }
}

/** A copy of an HttpRequest, as HttpRequest.clone makes it (same class, own headers and query). */
function cloneRequest(request) {
  if (HttpRequest && typeof HttpRequest.clone === 'function') return HttpRequest.clone(request)
  const cloned = Object.assign(Object.create(Object.getPrototypeOf(request)), request)
  cloned.headers = { ...request.headers }
  if (request.query) {
    const query = {}
    for (const name of Object.keys(request.query)) {
      const value = request.query[name]
      query[name] = Array.isArray(value) ? [...value] : value
    }
    cloned.query = query
  }
  return cloned
}

function prepareRequest(request) {
  request = cloneRequest(request)
  for (const name of Object.keys(request.headers)) {
    if (GENERATED_HEADERS.indexOf(name.toLowerCase()) > -1) delete request.headers[name]
  }
  return request
}

function moveHeadersToQuery(request, options = {}) {
  const { headers, query = {} } = cloneRequest(request)
  for (const name of Object.keys(headers)) {
    const lname = name.toLowerCase()
    if ((lname.slice(0, 6) === 'x-amz-' && !options.unhoistableHeaders?.has(lname)) ||
        options.hoistableHeaders?.has(lname)) {
      query[name] = headers[name]
      delete headers[name]
    }
  }
  return { ...request, headers, query }
}

/** The name of the x-amz-content-sha256 header in `headers` (any letter case), or undefined. */
function sha256HeaderName(headers) {
  for (const name in headers) {
    if (name.length === 20 && name.toLowerCase() === SHA256_HEADER && hasOwn(headers, name)) return name
  }
  return undefined
}

/** The payload hash smithy signs: the caller's x-amz-content-sha256, or the body's hash (by the core). */
function payloadHash({ headers, body }) {
  const given = sha256HeaderName(headers)
  return given === undefined ? bodyHash(body) : headers[given]
}

/** The body's SHA-256 (by the core), or UNSIGNED-PAYLOAD for a stream. */
function bodyHash(body) {
  if (body == undefined) return EMPTY_SHA256
  if (typeof body === 'string') return sha256Hex(body)
  if (ArrayBuffer.isView(body)) return sha256Hex(new Uint8Array(body.buffer, body.byteOffset, body.byteLength))
  if (body instanceof ArrayBuffer || Object.prototype.toString.call(body) === '[object ArrayBuffer]') {
    return sha256Hex(new Uint8Array(body))
  }
  return UNSIGNED_PAYLOAD
}

/** The headers smithy signs (lowercase name -> value), chosen by its rules. */
function signedHeaderMap({ headers }, unsignableHeaders, signableHeaders) {
  const names = Object.keys(headers)
  const chosen = new Map()
  for (const name of names) {
    const value = headers[name]
    if (value == undefined) continue
    const lname = name.toLowerCase()
    if (hasOwn(ALWAYS_UNSIGNABLE_HEADERS, lname) || unsignableHeaders?.has(lname) ||
        lname.startsWith('proxy-') || lname.startsWith('sec-')) {
      if (!signableHeaders || !signableHeaders.has(lname)) continue
    }
    // One name in several letter cases: smithy keeps the value of the last in sorted order.
    if (chosen.has(lname)) return signedHeaderMapSorted(names, headers, unsignableHeaders, signableHeaders)
    // smithy folds CR/LF into spaces; trimming and collapsing spaces and tabs is the core's.
    chosen.set(lname, value.includes('\r') || value.includes('\n') ? value.replace(/[\r\n]/g, ' ') : value)
  }
  return chosen
}

/** signedHeaderMap in smithy's order (names sorted), for requests holding one name in several cases. */
function signedHeaderMapSorted(names, headers, unsignableHeaders, signableHeaders) {
  const chosen = new Map()
  for (const name of [...names].sort()) {
    if (headers[name] == undefined) continue
    const lname = name.toLowerCase()
    if (hasOwn(ALWAYS_UNSIGNABLE_HEADERS, lname) || unsignableHeaders?.has(lname) ||
        lname.startsWith('proxy-') || lname.startsWith('sec-')) {
      if (!signableHeaders || !signableHeaders.has(lname)) continue
    }
    chosen.set(lname, headers[name].replace(/[\r\n]/g, ' '))
  }
  return chosen
}

/** smithy's path normalisation (uriEscapePath): '' and '.' segments dropped, '..' pops one. */
function normalizedPath(path) {
  // Without empty or dot segments the path comes back unchanged.
  if (path.charCodeAt(0) === 47 && !path.includes('//') && !path.includes('/.')) return path
  const segments = []
  for (const segment of path.split('/')) {
    if (segment.length === 0 || segment === '.') continue
    if (segment === '..') segments.pop()
    else segments.push(segment)
  }
  return (path.startsWith('/') ? '/' : '') + segments.join('/') +
    (segments.length > 0 && path.endsWith('/') ? '/' : '')
}

/** The query as wire text for the core (which decodes, re-encodes and sorts each pair). */
function wireQuery(query) {
  let out = ''
  for (const key of Object.keys(query || {})) {
    if (key.toLowerCase() === 'x-amz-signature') continue
    const value = query[key]
    const k = escapeUri(key)
    if (typeof value === 'string') out += (out ? '&' : '') + k + '=' + escapeUri(value)
    else if (Array.isArray(value)) for (const v of value) out += (out ? '&' : '') + k + '=' + escapeUri(v)
  }
  return out
}

const EVENT_TYPES = { byte: 2, short: 3, integer: 4, long: 5, binary: 6, string: 7, timestamp: 8, uuid: 9 }

/** The event-stream bytes of a message's headers ({ name: { type, value } }), encoded by the core. */
function eventHeaderBytes(headers) {
  const names = []; const kinds = []; const numbers = []; const texts = []; const blobs = []
  const none = Buffer.alloc(0)
  for (const name in headers) {
    if (!hasOwn(headers, name)) continue
    const { type, value } = headers[name]
    let kind = type === 'boolean' ? (value ? 0 : 1) : EVENT_TYPES[type]
    if (kind === undefined) throw badInput('InvalidOption', 'headers', `unknown event header type ${JSON.stringify(type)}`)
    let number = 0; let text = ''; let blob = none
    if (kind >= 2 && kind <= 4) number = Number(value)
    else if (kind === 8) number = Number(value.valueOf())
    else if (kind === 5) blob = Buffer.from(value.bytes)
    else if (kind === 6) blob = Buffer.from(value.buffer, value.byteOffset, value.byteLength)
    else if (kind === 7 || kind === 9) text = String(value)
    names.push(name); kinds.push(kind); numbers.push(number); texts.push(text); blobs.push(blob)
  }
  return new Uint8Array(native.encodeEventHeaders(names, kinds, numbers, texts, blobs))
}

function badInput(code, argument, message) {
  const err = new Error(message)
  err.code = code
  err.argument = argument
  return err
}

class SignatureV4 {
  #region
  #handle = null
  #handleKey = null

  /**
   * @param {object} options @smithy/signature-v4's: credentials (object or provider), region (string or
   *   provider), service, sha256 (accepted and unused: the core hashes), uriEscapePath (default true),
   *   applyChecksum (default true).
   */
  constructor({ applyChecksum, credentials, region, service, sha256, uriEscapePath = true }) {
    this.service = service
    // A region given as a string needs no provider call (and no await) per request.
    this.#region = typeof region === 'string' ? region : undefined
    this.sha256 = sha256
    this.uriEscapePath = uriEscapePath
    this.applyChecksum = typeof applyChecksum === 'boolean' ? applyChecksum : true
    this.regionProvider = normalizeProvider(region)
    this.credentialProvider = normalizeProvider(credentials)
  }

  async presign(originalRequest, options = {}) {
    return this.#presignWith(await this.credentialProvider(), originalRequest, options)
  }

  /**
   * S3 Express (what the S3 client calls on SignatureV4MultiRegion): presigns with `credentials`, their
   * session token as X-Amz-S3session-Token instead of X-Amz-Security-Token.
   */
  async presignWithCredentials(requestToSign, credentials, options) {
    delete requestToSign.headers[S3_SESSION_TOKEN_HEADER]
    requestToSign.headers[S3_SESSION_TOKEN_PARAM] = credentials.sessionToken
    requestToSign.query = requestToSign.query ?? {}
    requestToSign.query[S3_SESSION_TOKEN_PARAM] = credentials.sessionToken
    return this.#presignWith(withoutToken(credentials), requestToSign, options)
  }

  /** S3 Express: signs with `credentials`, their session token in x-amz-s3session-token. */
  async signWithCredentials(requestToSign, credentials, options) {
    requestToSign.headers[S3_SESSION_TOKEN_HEADER] = credentials.sessionToken
    return this.#signRequestWith(withoutToken(credentials), requestToSign, options ?? {})
  }

  async #presignWith(credentials, originalRequest, options = {}) {
    const { signingDate = new Date(), expiresIn = 3600, unsignableHeaders, unhoistableHeaders, signableHeaders,
      hoistableHeaders, signingRegion, signingService } = options
    this.validateResolvedCredentials(credentials)
    const region = signingRegion ?? (await this.regionProvider())
    const date = longDate(signingDate)
    if (expiresIn > MAX_PRESIGNED_TTL) {
      return Promise.reject('Signature version 4 presigned URLs must have an expiration date less than one week in the future')
    }
    const service = signingService ?? this.service
    const scope = `${date.slice(0, 8)}/${region}/${service}/aws4_request`
    const request = moveHeadersToQuery(prepareRequest(originalRequest), { unhoistableHeaders, hoistableHeaders })
    if (credentials.sessionToken) request.query['X-Amz-Security-Token'] = credentials.sessionToken
    request.query['X-Amz-Algorithm'] = 'AWS4-HMAC-SHA256'
    request.query['X-Amz-Credential'] = `${credentials.accessKeyId}/${scope}`
    request.query['X-Amz-Date'] = date
    request.query['X-Amz-Expires'] = expiresIn.toString(10)
    const headers = signedHeaderMap(request, unsignableHeaders, signableHeaders)
    request.query['X-Amz-SignedHeaders'] = [...headers.keys()].sort().join(';')
    const [signature] = this.#signExact(credentials, region, service, request, headers, date,
      payloadHash(originalRequest))
    request.query['X-Amz-Signature'] = signature
    return request
  }

  // sign and signRequest are not `async` (one promise fewer per request) but never throw: errors reject.
  sign(toSign, options) {
    try {
      if (typeof toSign === 'string') return this.signString(toSign, options)
      if (toSign.headers && toSign.payload) return this.signEvent(toSign, options)
      if (toSign.message) return this.signMessage(toSign, options)
      return this.signRequest(toSign, options)
    } catch (err) {
      return Promise.reject(err)
    }
  }

  signRequest(requestToSign, options = {}) {
    try {
      return Promise.resolve(this.credentialProvider()).then((credentials) => {
        const region = options.signingRegion ?? this.#region
        return region === undefined
          ? this.#signRequestWith(credentials, requestToSign, options)
          : this.#signRequestNow(credentials, region, requestToSign, options)
      })
    } catch (err) {
      return Promise.reject(err)
    }
  }

  async #signRequestWith(credentials, requestToSign, options = {}) {
    this.validateResolvedCredentials(credentials)
    const region = options.signingRegion ?? (await this.regionProvider())
    return this.#signRequestNow(credentials, region, requestToSign, options)
  }

  #signRequestNow(credentials, region, requestToSign, { signingDate = new Date(), signableHeaders, unsignableHeaders,
    signingService } = {}) {
    this.validateResolvedCredentials(credentials)
    const request = prepareRequest(requestToSign)
    const date = longDate(signingDate)
    const service = signingService ?? this.service
    request.headers['x-amz-date'] = date
    if (credentials.sessionToken) request.headers['x-amz-security-token'] = credentials.sessionToken
    const given = sha256HeaderName(request.headers)
    const hash = given === undefined ? bodyHash(request.body) : request.headers[given]
    if (given === undefined && this.applyChecksum) request.headers[SHA256_HEADER] = hash
    const headers = signedHeaderMap(request, unsignableHeaders, signableHeaders)
    const [signature, signedHeaders] = this.#signExact(credentials, region, service, request, headers, date, hash)
    request.headers.authorization = 'AWS4-HMAC-SHA256 ' +
      `Credential=${credentials.accessKeyId}/${date.slice(0, 8)}/${region}/${service}/aws4_request, ` +
      `SignedHeaders=${signedHeaders}, Signature=${signature}`
    return request
  }

  async signString(stringToSign, { signingDate = new Date(), signingRegion, signingService,
    eventStreamCredentials } = {}) {
    const credentials = eventStreamCredentials ?? (await this.credentialProvider())
    this.validateResolvedCredentials(credentials)
    const region = signingRegion ?? (await this.regionProvider())
    const handle = handleFor(credentials, region, signingService || this.service)
    return sdkSignString(handle, longDate(signingDate), stringToSign)
  }

  async signEvent({ headers, payload }, { signingDate = new Date(), priorSignature, signingRegion, signingService,
    eventStreamCredentials }) {
    const region = signingRegion ?? (await this.regionProvider())
    const date = longDate(signingDate)
    const scope = `${date.slice(0, 8)}/${region}/${signingService ?? this.service}/aws4_request`
    const stringToSign = ['AWS4-HMAC-SHA256-PAYLOAD', date, scope, priorSignature, sha256Hex(headers),
      payloadHash({ headers: {}, body: payload })].join('\n')
    return this.signString(stringToSign, { signingDate, signingRegion: region, signingService, eventStreamCredentials })
  }

  async signMessage(signableMessage, { signingDate = new Date(), signingRegion, signingService,
    eventStreamCredentials }) {
    const signature = await this.signEvent({
      headers: eventHeaderBytes(signableMessage.message.headers),
      payload: signableMessage.message.body,
    }, { signingDate, signingRegion, signingService, priorSignature: signableMessage.priorSignature,
      eventStreamCredentials })
    return { message: signableMessage.message, signature }
  }

  validateResolvedCredentials(credentials) {
    if (typeof credentials !== 'object' || credentials === null || typeof credentials.accessKeyId !== 'string' ||
        typeof credentials.secretAccessKey !== 'string') {
      throw new Error('Resolved credential object is not valid')
    }
  }

  /** The native handle for these credentials, region and service (the last one kept on the signer). */
  #handleFor(credentials, region, service) {
    const key = this.#handleKey
    if (key !== null && key[0] === credentials.accessKeyId && key[1] === credentials.secretAccessKey &&
        key[2] === region && key[3] === service) return this.#handle
    this.#handle = handleFor(credentials, region, service)
    this.#handleKey = [credentials.accessKeyId, credentials.secretAccessKey, region, service]
    return this.#handle
  }

  /** [signature, signedHeaders] of `request` signing exactly `headers`, computed by the core. */
  #signExact(credentials, region, service, request, headers, date, hash) {
    let path = request.path
    if (this.uriEscapePath) path = normalizedPath(path)
    if (typeof path !== 'string' || path[0] !== '/' || /[?#\0]/.test(path)) {
      throw badInput('InvalidUrl', 'path', `request path must start with '/' and hold no '?', '#' or NUL (got ${JSON.stringify(path)})`)
    }
    if (/^(?=.*[A-F])[0-9A-Fa-f]{64}$/.test(hash)) {
      throw badInput('InvalidPayloadHash', 'x-amz-content-sha256',
        'x-amz-content-sha256 is upper-case hex: smithy signs it as given, the core would sign it lower-cased; send it in lower case')
    }
    const query = wireQuery(request.query)
    let packed = request.method + '\0' + (query ? path + '?' + query : path) + '\0' + date
    for (const [name, value] of headers) {
      if (name.includes('\0') || value.includes('\0')) {
        throw badInput('InvalidHeaderValue', 'headers', `header ${JSON.stringify(name)} contains NUL`)
      }
      packed += '\0' + name + '\0' + value
    }
    // flags: 8 = the path verbatim (no uriEscapePath).
    const out = sdkSign(this.#handleFor(credentials, region, service), packed, hash, this.uriEscapePath ? 0 : 8)
    return [out.slice(0, 64), out.slice(65)]
  }
}

module.exports = { SignatureV4 }
module.exports.getSignedUrl = require('./aws-sdk-presign').getSignedUrl
