'use strict'
// libsigv4/aws4: the npm package aws4 (1.13.2), same API (sign(request, credentials),
// RequestSigner and all its methods) and the same results for every input aws4 accepts, quirks
// included. This file keeps aws4's request preparation (host/service/region inference, the
// headers it adds, the query it parses and sends, header selection); the canonical request, its
// hash and the signature come from the core's aws4 mode (core/src/aws4.rs).
//
// No node:crypto, querystring or Buffer (lib/aws4-query.js stands in for querystring), so the
// same file runs on the WebAssembly build; `url` is loaded only for a request given as a string.
var native = require('#native')
var qs = require('./aws4-query')
var escapeField = require('./packed').escapeField

var aws4Sign = native.aws4Sign
var aws4Handle = native.aws4Handle

// Flags of aws4Sign (bindings/node/src/aws4.rs). SIGNATURE (64) asks for one string, the signature, or with
// bit 128 the Authorization value; STRINGS for [credentialString, signedHeaders, X-Amz-Credential,
// canonicalHeaders], nothing signed.
var S3 = 1, DECODE_PATH = 2, SIGN_QUERY = 4, CODECOMMIT_GIT = 8, ESCAPED = 16, SIGNATURE = 64,
    AUTHORIZATION = SIGNATURE | 128, STRINGS = 256

// One native handle (secret, region, service and the key of the last date) per credentials,
// region and service, as aws4 caches its derived keys per secret, date, region and service.
var handles = new Map()
var MAX_HANDLES = 1000
var lastHandle = null

function handleFor(secret, region, service) {
  var l = lastHandle
  if (l !== null && l.secret === secret && l.region === region && l.service === service) return l.handle
  var key = secret + '\u0000' + region + '\u0000' + service
  var handle = handles.get(key)
  if (handle === undefined) {
    handle = aws4Handle(secret, region, service)
    if (handles.size >= MAX_HANDLES) handles.delete(handles.keys().next().value)
    handles.set(key, handle)
  }
  lastHandle = { secret: secret, region: region, service: service, handle: handle }
  return handle
}

// aws4 hands these to crypto's hmac/hash, which take strings and byte views only.
function cryptoData(v, what) {
  if (typeof v === 'string' || v instanceof Uint8Array) return v
  if (ArrayBuffer.isView(v)) return new Uint8Array(v.buffer, v.byteOffset, v.byteLength)
  var err = new TypeError('The "' + what + '" argument must be of type string or an instance of Buffer, TypedArray, or DataView.')
  err.code = 'ERR_INVALID_ARG_TYPE'
  throw err
}

// Buffer.byteLength(body): UTF-8 length of a string (a lone surrogate takes 3 bytes), byte length
// of a view or an ArrayBuffer.
function byteLength(body) {
  if (typeof body === 'string') {
    var n = body.length
    for (var i = 0; i < body.length; i++) {
      var c = body.charCodeAt(i)
      if (c < 0x80) continue
      if (c < 0x800) { n += 1; continue }
      if (c >= 0xd800 && c <= 0xdbff && i + 1 < body.length) {
        var d = body.charCodeAt(i + 1)
        if (d >= 0xdc00 && d <= 0xdfff) { n += 2; i++; continue }
      }
      n += 2
    }
    return n
  }
  if (ArrayBuffer.isView(body) || body instanceof ArrayBuffer ||
      (typeof SharedArrayBuffer === 'function' && body instanceof SharedArrayBuffer)) return body.byteLength
  var err = new TypeError('The "string" argument must be of type string or an instance of Buffer or ArrayBuffer.')
  err.code = 'ERR_INVALID_ARG_TYPE'
  throw err
}

var isWellFormed = typeof ''.isWellFormed === 'function'
  ? function(s) { return s.isWellFormed() }
  : function(s) { try { encodeURIComponent(s); return true } catch (e) { return false } }

// encodeURIComponent, which aws4 applies to every query key and value, throws on a lone surrogate.
function queryText(v) {
  var s = String(v)
  if (!isWellFormed(s)) throw new URIError('URI malformed')
  return s
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
  if (typeof request === 'string') request = require('#node-url').parse(request)

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

    // If a port is specified explicitly, use it as is
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
  if (typeof host === 'string') {
    var cached = hostCache.get(host)
    if (cached !== undefined) return cached.slice()
  }
  var parts = matchHost(host)
  if (typeof host === 'string') {
    if (hostCache.size >= 256) hostCache.delete(hostCache.keys().next().value)
    hostCache.set(host, parts.slice())
  }
  return parts
}

function matchHost(host) {
  var match = (host || '').match(/([^\.]{1,63})\.(?:([^\.]{0,63})\.)?amazonaws\.com(\.cn)?$/)
  var hostParts = (match || []).slice(1, 3)

  // ES's hostParts are sometimes the other way round, if the value that is expected
  // to be region equals 'es' switch them back
  // e.g. search-cluster-name-aaaa00aaaa0aaa0aaaaaaa0aaa.us-east-1.es.amazonaws.com
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

// http://docs.aws.amazon.com/general/latest/gr/rande.html
RequestSigner.prototype.isSingleRegion = function() {
  // Special case for S3 and SimpleDB in us-east-1
  if (['s3', 'sdb'].indexOf(this.service) >= 0 && this.region === 'us-east-1') return true

  return ['cloudfront', 'ls', 'route53', 'iam', 'importexport', 'sts']
    .indexOf(this.service) >= 0
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
    var texts = coreStrings(this, CREDENTIAL | DATE | NAMES)
    query['X-Amz-Credential'] = texts[2]
    query['X-Amz-SignedHeaders'] = texts[1]

  } else {

    if (!request.doNotModifyHeaders && !this.isCodeCommitGit) {
      if (request.body && !headers['Content-Type'] && !headers['content-type'])
        headers['Content-Type'] = 'application/x-www-form-urlencoded; charset=utf-8'

      if (request.body && !headers['Content-Length'] && !headers['content-length'])
        headers['Content-Length'] = byteLength(request.body)

      if (this.credentials.sessionToken && !headers['X-Amz-Security-Token'] && !headers['x-amz-security-token'])
        headers['X-Amz-Security-Token'] = this.credentials.sessionToken

      if (this.service === 's3' && !headers['X-Amz-Content-Sha256'] && !headers['x-amz-content-sha256'])
        headers['X-Amz-Content-Sha256'] = native.sha256Hex(cryptoData(this.request.body || '', 'data'))

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
  if (!this.parsedPath) this.prepareRequest()

  if (this.request.signQuery) {
    this.parsedPath.query['X-Amz-Signature'] = this.signature()
  } else {
    this.request.headers.Authorization = this.authHeader()
  }

  this.request.path = this.formatPath()

  return this.request
}

// The amz date of the current second, formatted once per second.
var nowSecond = NaN
var nowStamp = ''

function amzDate(date) {
  return date.toISOString().replace(/[:\-]|\.\d{3}/g, '')
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

// The Authorization value, written by the core (sigv4::aws4_authorization) in the call that signs.
// aws4 reads the access key id, the date (credentialString) and the header names (signedHeaders)
// before signature(), so on a request not yet prepared they are read before prepareRequest().
RequestSigner.prototype.authHeader = function() {
  var akid = '' + this.credentials.accessKeyId
  this.getDate()
  if (!this.filteredHeaders) this.filterHeaders()
  return signWithCore(this, AUTHORIZATION, true, akid)
}

/**
 * Runs the core's aws4 mode over what aws4's canonicalString reads: the signature (`SIGNATURE`
 * in flags), the Authorization value (`AUTHORIZATION`, for `akid`), else [canonicalString,
 * stringToSign, signature, canonicalHeaders]. `dateFirst`: aws4's signature(), stringToSign() and
 * authHeader() read the date before canonicalString() prepares a request (which may then set
 * another from X-Amz-Date); they sign with that first one. A module function, not a method:
 * aws4's RequestSigner has no such member (test/dts-runtime.test.js).
 */
function signWithCore(signer, flags, dateFirst, akid) {
  var date = dateFirst ? signer.getDate() : '', datetime = dateFirst ? signer.getDateTime() : ''
  if (!signer.parsedPath) signer.prepareRequest()
  if (!signer.filteredHeaders) signer.filterHeaders()

  var request = signer.request, headers = request.headers, service = signer.service,
      s3 = service === 's3', region = signer.region, parsed = signer.parsedPath,
      given = null, body = null

  flags |= (s3 ? S3 : 0) | (s3 || request.doNotEncodePath ? DECODE_PATH : 0) |
    (request.signQuery ? SIGN_QUERY : 0) | (signer.isCodeCommitGit ? CODECOMMIT_GIT : 0)
  if (!(s3 && request.signQuery) && !signer.isCodeCommitGit) {
    var sha = headers['X-Amz-Content-Sha256'] || headers['x-amz-content-sha256']
    if (sha) given = String(sha)
    else if (request.body) body = cryptoData(request.body, 'data')
  }
  // hmac(key, region) and hmac(key, service) in aws4: strings only.
  cryptoData(region, 'data')
  cryptoData(service, 'data')
  var authorization = (flags & AUTHORIZATION) === AUTHORIZATION
  if (!authorization) akid = ''

  // A record of core/src/packed.rs AWS4_REQUEST_FIELDS (lib/packed.js LAYOUTS.aws4Request).
  var fields = [String(request.method || 'GET'), parsed.path, String(datetime), date, akid, '-', 0]
  if (parsed.simple && parsed.parsedQuery === undefined) {
    // A simple query (see isSimpleQuery), never parsed: its pairs as written, split natively.
    fields[5] = '='
    fields.push(parsed.rawQuery)
  } else if (parsed.query) {
    var query = parsed.query, keys = Object.keys(query), nq = 0
    for (var k = 0; k < keys.length; k++) {
      var key = keys[k], value = query[key]
      if (!key) continue
      queryText(key)
      if (!Array.isArray(value)) {
        fields.push(key, queryText(value)); nq++
      } else if (s3) {
        // aws4 signs only the first value of a repeated S3 key (undefined when there is none).
        fields.push(key, queryText(value[0])); nq++
      } else {
        for (var v = 0; v < value.length; v++) { fields.push(key, queryText(value[v])); nq++ }
      }
    }
    fields[5] = nq
  }
  var filtered = signer.filteredHeaders
  fields[6] = filtered.length
  for (var i = 0; i < filtered.length; i++) fields.push(filtered[i][0], filtered[i][1].toString())

  var secret = '' + signer.credentials.secretAccessKey
  var out = callCore(handleFor(secret, region, service), fields, body, given, flags)
  if ((flags & SIGNATURE) && !authorization) return out
  // A lone surrogate reaches the core as U+FFFD, as crypto hashes it in aws4 (so the signature
  // is the same), but aws4's texts show it as it is: run them again with each lone surrogate as a
  // placeholder, put back afterwards (the hash line and the signature stay the real ones).
  if (authorization) {
    // The Authorization value shows the access key id, the scope and the header names.
    if (isWellFormed(akid + date + region + service) && namesWellFormed(filtered)) return out
    var auth = callCore(handleFor(secret, placeholders(region), placeholders(service)), fields.map(placeholders), body, given, flags)
    return restore(auth.slice(0, auth.lastIndexOf('=') + 1)) + out.slice(out.lastIndexOf('=') + 1)
  }
  var all = fields.join('') + region + service
  if (isWellFormed(all) || all.indexOf('\ufdd0') >= 0) return out
  var shown = callCore(handleFor(secret, placeholders(region), placeholders(service)), fields.map(placeholders), body, given, flags)
  var sts = shown[1].slice(0, shown[1].lastIndexOf('\n')) + out[1].slice(out[1].lastIndexOf('\n'))
  return [restore(shown[0]), restore(sts), out[2], restore(shown[3])]
}

function namesWellFormed(filtered) {
  for (var i = 0; i < filtered.length; i++) if (!isWellFormed(filtered[i][0])) return false
  return true
}

// What coreStrings reads (each may throw or cache as it does in the aws4 method that reads it).
var CREDENTIAL = 1, DATE = 2, NAMES = 4, VALUES = 8

// The core's [credentialString(), signedHeaders(), X-Amz-Credential, canonicalHeaders()], asked
// without signing or preparing the request; `reads` says which of the access key id, getDate(),
// the filtered header names and their values the caller's aws4 code reads.
function coreStrings(signer, reads) {
  var akid = reads & CREDENTIAL ? '' + signer.credentials.accessKeyId : ''
  var date = reads & DATE ? signer.getDate() : ''
  var fields = ['', '', '', String(date), akid, '-', 0]
  if (reads & NAMES) {
    if (!signer.filteredHeaders) signer.filterHeaders()
    var filtered = signer.filteredHeaders
    fields[6] = filtered.length
    for (var i = 0; i < filtered.length; i++) fields.push(filtered[i][0], reads & VALUES ? filtered[i][1].toString() : '')
  }
  // As Array.prototype.join converts them in aws4's credentialString().
  var region = scopeText(signer.region), service = scopeText(signer.service)
  var out = callCore(handleFor('', region, service), fields, null, null, STRINGS)
  var all = fields.join('') + region + service
  if (isWellFormed(all) || all.indexOf('\ufdd0') >= 0) return out
  return callCore(handleFor('', placeholders(region), placeholders(service)), fields.map(placeholders), null, null, STRINGS).map(restore)
}

function scopeText(v) {
  return typeof v === 'string' ? v : [v].join()
}

function callCore(handle, fields, body, given, flags) {
  var out = aws4Sign(handle, fields.join('\u0000'), body, given, flags)
  // A field holding a NUL: pack again with every field escaped.
  if (out === null) out = aws4Sign(handle, fields.map(function(f) { return escapeField(String(f)) }).join('\u0000'), body, given, flags | ESCAPED)
  return out
}

var LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g

function placeholders(s) {
  return String(s).replace(LONE_SURROGATE, function(u) {
    return '\ufdd0' + (u.charCodeAt(0) - 0xd800).toString(16).padStart(3, '0') + '\ufdd1'
  })
}

function restore(s) {
  return s.replace(/\ufdd0([0-9a-f]{3})\ufdd1/g, function(m, h) { return String.fromCharCode(0xd800 + parseInt(h, 16)) })
}

RequestSigner.prototype.signature = function() {
  return signWithCore(this, SIGNATURE, true)
}

RequestSigner.prototype.stringToSign = function() {
  return signWithCore(this, 0, true)[1]
}

RequestSigner.prototype.canonicalString = function() {
  return signWithCore(this, 0, false)[0]
}

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
  // aws4's comparator, kept as is: it never returns 0, so for names that repeat (differing only
  // in case) the order the sort leaves decides which value comes first.
  this.filteredHeaders = filtered.sort(function(a, b) { return a[0] < b[0] ? -1 : 1 })
}

RequestSigner.prototype.canonicalHeaders = function() {
  // aws4 filters the headers but does not prepare the request here.
  return coreStrings(this, NAMES | VALUES)[3]
}

RequestSigner.prototype.signedHeaders = function() {
  return coreStrings(this, NAMES)[1]
}

RequestSigner.prototype.credentialString = function() {
  return coreStrings(this, DATE)[0]
}

RequestSigner.prototype.defaultCredentials = function() {
  var env = typeof process === 'object' && process.env ? process.env : {}
  return {
    accessKeyId: env.AWS_ACCESS_KEY_ID || env.AWS_ACCESS_KEY,
    secretAccessKey: env.AWS_SECRET_ACCESS_KEY || env.AWS_SECRET_KEY,
    sessionToken: env.AWS_SESSION_TOKEN,
  }
}

// A query that querystring.parse, stringify and encodeRfc3986 give back unchanged: name=value
// pairs of unreserved characters only (nothing to decode or encode, no '+'), every name holding
// a non-digit (array-index names would be reordered), no name repeated (parse groups repeats),
// at most 1000 pairs (parse's limit). Signing one needs neither the parse nor the stringify.
var SIMPLE_QUERY = /^[\w.~-]*[A-Za-z_.~-][\w.~-]*=[\w.~-]*(?:&[\w.~-]*[A-Za-z_.~-][\w.~-]*=[\w.~-]*)*$/

function isSimpleQuery(query) {
  if (!SIMPLE_QUERY.test(query)) return false
  var names = [], start = 0
  while (start <= query.length) {
    var end = query.indexOf('&', start)
    if (end < 0) end = query.length
    var name = query.slice(start, query.indexOf('=', start))
    if (names.indexOf(name) >= 0 || names.length === 1000) return false
    names.push(name)
    start = end + 1
  }
  return true
}

// aws4's parsedPath ({path, query}), the query parsed only when something reads it.
function ParsedPath(path, rawQuery) {
  this.path = path
  this.rawQuery = rawQuery
  this.simple = rawQuery !== undefined && isSimpleQuery(rawQuery)
  this.parsedQuery = rawQuery === undefined ? null : undefined
}

Object.defineProperty(ParsedPath.prototype, 'query', {
  enumerable: true,
  get: function() {
    if (this.parsedQuery === undefined) this.parsedQuery = qs.parse(this.rawQuery)
    return this.parsedQuery
  },
  set: function(query) { this.parsedQuery = query },
})

RequestSigner.prototype.parsePath = function() {
  var path = this.request.path || '/'

  // S3 doesn't always encode characters > 127 correctly and
  // all services don't encode characters > 255 correctly
  // So if there are non-reserved chars (and it's not already all % encoded), just encode them all
  if (/[^0-9A-Za-z;,/?:@&=+$\-_.!~*'()#%]/.test(path)) {
    path = encodeURI(decodeURI(path))
  }

  var queryIx = path.indexOf('?'),
      query

  if (queryIx >= 0) {
    query = path.slice(queryIx + 1)
    path = path.slice(0, queryIx)
  }

  this.parsedPath = new ParsedPath(path, query)
}

RequestSigner.prototype.formatPath = function() {
  var parsed = this.parsedPath, path = parsed.path

  // A simple query, never parsed: formatting gives it back as it came.
  if (parsed.simple && parsed.parsedQuery === undefined) return path + '?' + parsed.rawQuery

  var query = parsed.query
  if (!query) return path

  // Services don't support empty query string keys
  if (query[''] != null) delete query['']

  return path + '?' + qs.stringify(query)
}

exports.RequestSigner = RequestSigner

exports.sign = function(request, credentials) {
  return new RequestSigner(request, credentials).sign()
}
