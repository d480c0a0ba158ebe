'use strict'
// libsigv4/aws4: aws4's API (sign(opts, creds), RequestSigner) with aws4's request preparation —
// host/service/region inference, added headers, query formatting, env credentials, the mutated
// options object it returns — and the signature computed by the libsigv4 core (signExact).
//
// Where aws4 departs from the AWS rules, this follows AWS (see README "Migrating from aws4"):
// '+' in S3 paths signs as %2B (aws4: %20); S3 repeated query keys sign every value (aws4: the
// first); a trailing '..' segment keeps its slash (RFC 3986); header names differing only in case
// are merged; header values containing CR/LF are rejected instead of folded.
var url = require('url')
var querystring = require('querystring')
var native = require('#native')

var NativeSigner = native.NativeSigner

// One native signer handle (credentials, scope, derived-key cache) per credentials, region and
// service: aws4 takes credentials on every call, so they are looked up here rather than parsed
// again each time; the last one used is checked first (field by field: no key string built).
var signers = new Map()
var MAX_SIGNERS = 64
var lastSigner = null
var signExactWith = native.signExactWith
// The query of the path being signed, set by sign() around authHeader() (synchronous).
var wireQuery = null

function nulError(what) {
  var err = new Error(what + ' contains NUL')
  err.code = what === 'path' ? 'InvalidUrl' : 'InvalidHeaderValue'
  err.argument = what
  return err
}

function signerFor(credentials, region, service) {
  var l = lastSigner
  if (l !== null && l.accessKeyId === credentials.accessKeyId && l.secretAccessKey === credentials.secretAccessKey &&
      l.region === region && l.service === service) return l.handle
  var key = credentials.accessKeyId + '\u0000' + credentials.secretAccessKey + '\u0000' + region + '\u0000' + service
  var handle = signers.get(key)
  if (handle === undefined) {
    handle = new NativeSigner({
      region: region,
      service: service,
      credentials: { accessKeyId: credentials.accessKeyId, secretAccessKey: credentials.secretAccessKey },
    }).exactHandle()
    if (signers.size >= MAX_SIGNERS) signers.delete(signers.keys().next().value)
    signers.set(key, handle)
  }
  lastSigner = {
    accessKeyId: credentials.accessKeyId,
    secretAccessKey: credentials.secretAccessKey,
    region: region,
    service: service,
    handle: handle,
  }
  return handle
}

function encodeRfc3986(urlEncodedString) {
  return urlEncodedString.replace(/[!'()*]/g, function(c) {
    return '%' + c.charCodeAt(0).toString(16).toUpperCase()
  })
}

var HEADERS_TO_IGNORE = {
  'authorization': true,
  'connection': true,
  'x-amzn-trace-id': true,
  'user-agent': true,
  'expect': true,
  'presigned-expires': true,
  'range': true,
}

// request: { path | body, [host], [method], [headers], [service], [region] }
// credentials: { accessKeyId, secretAccessKey, [sessionToken] }
function RequestSigner(request, credentials) {
  if (typeof request === 'string') request = url.parse(request)

  var headers = request.headers = Object.assign({}, (request.headers || {})),
      hostParts = (!this.service || !this.region) && this.matchHost(request.hostname || request.host || headers.Host || headers.host)

  this.request = request
  this.credentials = credentials || this.defaultCredentials()

  this.service = request.service || hostParts[0] || ''
  this.region = request.region || hostParts[1] || 'us-east-1'

  // SES uses a different domain from the service name
  if (this.service === 'email') this.service = 'ses'

  if (!request.method && request.body)
    request.method = 'POST'

  if (!headers.Host && !headers.host) {
    headers.Host = request.hostname || request.host || this.createHost()
    if (request.port)
      headers.Host += ':' + request.port
  }
  if (!request.hostname && !request.host)
    request.hostname = headers.Host || headers.host

  this.isCodeCommitGit = this.service === 'codecommit' && request.method === 'GIT'

  this.extraHeadersToIgnore = request.extraHeadersToIgnore || Object.create(null)
  this.extraHeadersToInclude = request.extraHeadersToInclude || Object.create(null)
}

var hostCache = new Map()

RequestSigner.prototype.matchHost = function(host) {
  var cached = hostCache.get(host)
  if (cached !== undefined) return cached.slice()
  var parts = matchHostUncached(host)
  if (hostCache.size >= 256) hostCache.delete(hostCache.keys().next().value)
  hostCache.set(host, parts.slice())
  return parts
}

function matchHostUncached(host) {
  var match = (host || '').match(/([^\.]{1,63})\.(?:([^\.]{0,63})\.)?amazonaws\.com(\.cn)?$/)
  var hostParts = (match || []).slice(1, 3)

  // ES's hostParts are sometimes the other way round
  if (hostParts[1] === 'es' || hostParts[1] === 'aoss')
    hostParts = hostParts.reverse()

  if (hostParts[1] == 's3') {
    hostParts[0] = 's3'
    hostParts[1] = 'us-east-1'
  } else {
    for (var i = 0; i < 2; i++) {
      if (/^s3-/.test(hostParts[i])) {
        hostParts[1] = hostParts[i].slice(3)
        hostParts[0] = 's3'
        break
      }
    }
  }
  return hostParts
}

RequestSigner.prototype.isSingleRegion = function() {
  if (['s3', 'sdb'].indexOf(this.service) >= 0 && this.region === 'us-east-1') return true
  return ['cloudfront', 'ls', 'route53', 'iam', 'importexport', 'sts'].indexOf(this.service) >= 0
}

RequestSigner.prototype.createHost = function() {
  var region = this.isSingleRegion() ? '' : '.' + this.region,
      subdomain = this.service === 'ses' ? 'email' : this.service
  return subdomain + region + '.amazonaws.com'
}

RequestSigner.prototype.prepareRequest = function() {
  this.parsePath()

  var request = this.request, headers = request.headers, query

  if (request.signQuery) {
    this.parsedPath.query = query = this.parsedPath.query || {}

    if (this.credentials.sessionToken)
      query['X-Amz-Security-Token'] = this.credentials.sessionToken

    if (this.service === 's3' && !query['X-Amz-Expires'])
      query['X-Amz-Expires'] = 86400

    if (query['X-Amz-Date'])
      this.datetime = query['X-Amz-Date']
    else
      query['X-Amz-Date'] = this.getDateTime()

    query['X-Amz-Algorithm'] = 'AWS4-HMAC-SHA256'
    query['X-Amz-Credential'] = this.credentials.accessKeyId + '/' + this.credentialString()
    query['X-Amz-SignedHeaders'] = this.signedHeaders()
  } else {
    if (!request.doNotModifyHeaders && !this.isCodeCommitGit) {
      if (request.body && !headers['Content-Type'] && !headers['content-type'])
        headers['Content-Type'] = 'application/x-www-form-urlencoded; charset=utf-8'

      if (request.body && !headers['Content-Length'] && !headers['content-length'])
        headers['Content-Length'] = Buffer.byteLength(request.body)

      if (this.credentials.sessionToken && !headers['X-Amz-Security-Token'] && !headers['x-amz-security-token'])
        headers['X-Amz-Security-Token'] = this.credentials.sessionToken

      if (this.service === 's3' && !headers['X-Amz-Content-Sha256'] && !headers['x-amz-content-sha256'])
        headers['X-Amz-Content-Sha256'] = native.sha256Hex(this.request.body || '')

      if (headers['X-Amz-Date'] || headers['x-amz-date'])
        this.datetime = headers['X-Amz-Date'] || headers['x-amz-date']
      else
        headers['X-Amz-Date'] = this.getDateTime()
    }

    delete headers.Authorization
    delete headers.authorization
  }
}

RequestSigner.prototype.sign = function() {
  var simple = null
  if (!this.parsedPath) {
    parsedSimple = null
    this.prepareRequest()
    simple = parsedSimple
    parsedSimple = null
  }

  if (this.request.signQuery) {
    this.parsedPath.query['X-Amz-Signature'] = this.signature()
    this.request.path = this.formatPath()
  } else {
    // The path aws4 sends is the one signed: format it once and reuse its query. A query that
    // formatting would give back unchanged (see SIMPLE_QUERY) is reused as it came.
    var formatted = simple !== null ? this.parsedPath.path + '?' + simple : this.formatPath()
    var q = formatted.indexOf('?')
    wireQuery = q >= 0 ? formatted.slice(q + 1) : ''
    try {
      this.request.headers.Authorization = this.authHeader()
    } finally {
      wireQuery = null
    }
    this.request.path = formatted
  }

  return this.request
}

// The amz date of the current second, formatted once per second.
var nowSecond = NaN
var nowStamp = ''

function amzDate(date) {
  var iso = date.toISOString()
  return iso.length === 24
    ? iso.slice(0, 4) + iso.slice(5, 7) + iso.slice(8, 13) + iso.slice(14, 16) + iso.slice(17, 19) + 'Z'
    : iso.replace(/[:\-]|\.\d{3}/g, '')
}

RequestSigner.prototype.getDateTime = function() {
  if (!this.datetime) {
    var headers = this.request.headers,
      given = headers.Date || headers.date

    if (given) {
      this.datetime = amzDate(new Date(given))
    } else {
      var ms = Date.now(), second = Math.floor(ms / 1000)
      if (second !== nowSecond) {
        nowStamp = amzDate(new Date(ms))
        nowSecond = second
      }
      this.datetime = nowStamp
    }

    // Remove the trailing 'Z' on the timestamp string for CodeCommit git access
    if (this.isCodeCommitGit) this.datetime = this.datetime.slice(0, -1)
  }
  return this.datetime
}

RequestSigner.prototype.getDate = function() {
  return this.getDateTime().substr(0, 8)
}

RequestSigner.prototype.authHeader = function() {
  var exact = this.exact(true)
  return 'AWS4-HMAC-SHA256 Credential=' + this.credentials.accessKeyId + '/' + this.credentialString() +
    ', SignedHeaders=' + exact[1] + ', Signature=' + exact[0]
}

/**
 * Runs the core over what aws4 would sign: [signature, canonicalRequest, stringToSign,
 * signedHeaders], or [signature, signedHeaders] when `short`.
 */
RequestSigner.prototype.exact = function(short) {
  if (!this.parsedPath) this.prepareRequest()
  if (!this.filteredHeaders) this.filterHeaders()

  var headers = this.request.headers,
      service = this.service,
      flat = '',
      payloadHash = null,
      path = this.parsedPath.path

  for (var i = 0; i < this.filteredHeaders.length; i++) {
    var entry = this.filteredHeaders[i]
    var value = entry[1] == null ? '' : entry[1].toString()
    if (value.indexOf('\u0000') >= 0) throw nulError('header value')
    flat += '\u0000' + entry[0] + '\u0000' + value
  }
  if (path.indexOf('\u0000') >= 0) throw nulError('path')
  if (service === 's3' && this.request.signQuery) {
    payloadHash = 'UNSIGNED-PAYLOAD'
  } else {
    payloadHash = headers['X-Amz-Content-Sha256'] || headers['x-amz-content-sha256'] || null
  }
  // sign() passes the query it sends (wireQuery); otherwise it is formatted from the parsed one.
  var qs = wireQuery
  if (qs === null) {
    var query = this.parsedPath.query
    if (query) {
      var copy = {}
      for (var key in query) if (key && key !== 'X-Amz-Signature') copy[key] = query[key]
      qs = encodeRfc3986(querystring.stringify(copy))
    }
  }
  if (qs) path += '?' + qs
  var flags = (service === 's3' || this.request.doNotEncodePath ? 1 : 0) | (service !== 's3' ? 2 : 0)
  var body = this.request.body
  if (body != null && typeof body !== 'string' && !(body instanceof Uint8Array)) body = String(body)
  var creds = this.credentials
  if (!creds || typeof creds.accessKeyId !== 'string' || typeof creds.secretAccessKey !== 'string') {
    var err = new Error('credentials need accessKeyId and secretAccessKey (or set AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY)')
    err.code = 'InvalidCredentials'
    err.argument = 'credentials'
    throw err
  }
  // NUL separates the fields; a NUL inside one is rejected by the core like any control byte.
  var packed = (this.request.method || 'GET') + '\u0000' + path + '\u0000' + this.getDateTime() + flat
  var signed = signExactWith(signerFor(creds, this.region, service), packed,
    payloadHash === null ? (body || null) : null, payloadHash, short ? flags | 4 : flags)
  // The short form is the 64-digit signature, a NUL, the signed headers: slices, no split.
  return short ? [signed.slice(0, 64), signed.slice(65)] : signed.split('\u0000')
}

RequestSigner.prototype.signature = function() {
  return this.exact(true)[0]
}

RequestSigner.prototype.stringToSign = function() {
  return this.exact()[2]
}

RequestSigner.prototype.canonicalString = function() {
  return this.exact()[1]
}

// aws4's comparator, kept as is: it never returns 0, and for names that repeat (differing only in
// case) the order it leaves decides which value comes first.
function byName(a, b) { return a[0] < b[0] ? -1 : 1 }

RequestSigner.prototype.filterHeaders = function() {
  var headers = this.request.headers,
      extraHeadersToInclude = this.extraHeadersToInclude,
      extraHeadersToIgnore = this.extraHeadersToIgnore,
      keys = Object.keys(headers),
      filtered = []
  for (var i = 0; i < keys.length; i++) {
    var name = keys[i].toLowerCase()
    if (extraHeadersToInclude[name] || (HEADERS_TO_IGNORE[name] == null && !extraHeadersToIgnore[name]))
      filtered.push([name, headers[keys[i]]])
  }
  this.filteredHeaders = filtered.sort(byName)
}

RequestSigner.prototype.canonicalHeaders = function() {
  if (!this.filteredHeaders) this.filterHeaders()
  return this.filteredHeaders.map(function(entry) {
    return entry[0] + ':' + entry[1].toString().trim().replace(/\s+/g, ' ')
  }).join('\n')
}

RequestSigner.prototype.signedHeaders = function() {
  if (!this.filteredHeaders) this.filterHeaders()
  return this.filteredHeaders.map(function(entry) { return entry[0] }).join(';')
}

RequestSigner.prototype.credentialString = function() {
  return this.getDate() + '/' + this.region + '/' + this.service + '/aws4_request'
}

RequestSigner.prototype.defaultCredentials = function() {
  var env = process.env
  return {
    accessKeyId: env.AWS_ACCESS_KEY_ID || env.AWS_ACCESS_KEY,
    secretAccessKey: env.AWS_SECRET_ACCESS_KEY || env.AWS_SECRET_KEY,
    sessionToken: env.AWS_SESSION_TOKEN,
  }
}

// A query that querystring.parse then stringify and encodeRfc3986 give back unchanged: name=value
// pairs of unreserved characters only (nothing to decode or encode, no '+'), every name holding a
// non-digit (array-index names would be reordered) — plus, checked after parsing, no repeated
// name (repeats are grouped) and at most 1000 pairs (parse's maxKeys).
var SIMPLE_QUERY = /^[\w.~-]*[A-Za-z_.~-][\w.~-]*=[\w.~-]*(?:&[\w.~-]*[A-Za-z_.~-][\w.~-]*=[\w.~-]*)*$/

// The simple query of the path parsePath() just parsed (else null), read by sign() right after.
var parsedSimple = null

// Whether querystring.parse, stringify and encodeRfc3986 give `qs` back unchanged (see
// SIMPLE_QUERY): also no repeated name (parse groups repeats) and at most 1000 pairs (maxKeys).
function isSimpleQuery(qs) {
  if (!SIMPLE_QUERY.test(qs)) return false
  var names = [], start = 0
  while (start <= qs.length) {
    var end = qs.indexOf('&', start)
    if (end < 0) end = qs.length
    var name = qs.slice(start, qs.indexOf('=', start))
    if (names.indexOf(name) >= 0 || names.length === 1000) return false
    names.push(name)
    start = end + 1
  }
  return true
}

// aws4's parsedPath ({path, query}), with the query parsed only when something reads it: signing a
// simple query (the common case) never needs the parsed form.
function ParsedPath(path, qs) {
  this.path = path
  this.rawQuery = qs
  this.parsedQuery = undefined
}

Object.defineProperty(ParsedPath.prototype, 'query', {
  enumerable: true,
  get: function() {
    if (this.parsedQuery === undefined) {
      this.parsedQuery = this.rawQuery === null ? null : querystring.parse(this.rawQuery)
    }
    return this.parsedQuery
  },
  set: function(query) { this.parsedQuery = query },
})

RequestSigner.prototype.parsePath = function() {
  var path = this.request.path || '/'

  // aws4 re-encodes paths holding characters outside the URI set
  if (/[^0-9A-Za-z;,/?:@&=+$\-_.!~*'()#%]/.test(path)) {
    path = encodeURI(decodeURI(path))
  }

  var queryIx = path.indexOf('?'),
      qs = null

  if (queryIx >= 0) {
    qs = path.slice(queryIx + 1)
    path = path.slice(0, queryIx)
    parsedSimple = isSimpleQuery(qs) ? qs : null
  } else {
    parsedSimple = null
  }

  this.parsedPath = new ParsedPath(path, qs)
}

RequestSigner.prototype.formatPath = function() {
  var path = this.parsedPath.path,
      query = this.parsedPath.query

  if (!query) return path

  // Services don't support empty query string keys
  if (query[''] != null) delete query['']

  return path + '?' + encodeRfc3986(querystring.stringify(query))
}

exports.RequestSigner = RequestSigner

exports.sign = function(request, credentials) {
  return new RequestSigner(request, credentials).sign()
}
