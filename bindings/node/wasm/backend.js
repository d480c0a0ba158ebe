'use strict'
// The WebAssembly backend: the same functions and classes as the napi-rs addon (NativeSigner,
// signWith, NativeVerifier, verifyPacked, sha256Hex, sdkSign, aws4Sign, version), so lib/signer.js,
// lib/verifier.js and aws4 run unchanged on top of it. JS values become the few shapes the core
// takes (strings, bytes, header pairs) here, as src/input.rs does for the addon; the module itself
// (wasm/src/, the core's code) does the signing. No Node built-ins: this file runs in Workers,
// browsers, Deno and Bun as it is.
//
// The module is given once: `initSync(moduleOrBytes)` (a `WebAssembly.Module`, as Workers and
// bundlers import a `.wasm`, or its bytes), `await init(source)` (also a URL, a Response or a
// promise of one), or a loader registered by wasm/node.js (reads sigv4.wasm next to this file).

// Header lists: the one JS translation of every header shape the API accepts, shared with the addon's path.
const { headerList } = require('../lib/headers')

const ABSENT = 0xffffffff
const enc = new TextEncoder()
const dec = new TextDecoder()

let wasm = null
let loader = null
let view = null
/** The function and failure of the verification running now (the lookup import reads them). */
let lookup = null

function nativeError(code, argument, message) {
  const e = new Error(message)
  e.code = code
  if (argument) e.argument = argument
  return e
}

function lookupImport(ptr, len) {
  const current = lookup
  if (current === null) return -1
  const akid = dec.decode(mem().subarray(ptr, ptr + len))
  let answer
  try {
    answer = current.fn(akid)
  } catch (e) {
    current.error = e
    return -2
  }
  if (answer === undefined || answer === null) return -1
  let fields
  try {
    fields = lookupFields(answer)
  } catch (e) {
    current.error = e
    return -2
  }
  return write(fields, exportsOf().sigv4_lookup_input)
}

/** Instantiates `source` (a WebAssembly.Module, or the bytes of one) as the backend. */
function initSync(source) {
  if (wasm !== null) return
  let module = source
  if (source !== null && typeof source === 'object' && 'module' in source && !(source instanceof WebAssembly.Module)) module = source.module
  if (!(module instanceof WebAssembly.Module)) {
    if (module instanceof ArrayBuffer || ArrayBuffer.isView(module)) module = new WebAssembly.Module(module)
    else throw new TypeError('initSync needs a WebAssembly.Module or the bytes of sigv4.wasm')
  }
  const instance = new WebAssembly.Instance(module, { env: { sigv4_lookup: lookupImport } })
  wasm = instance.exports
}

/**
 * Loads the module asynchronously: `source` is a WebAssembly.Module, bytes, a URL (string or
 * `URL`), a `Response`, or a promise of any of these. Resolves when signing is ready.
 */
async function init(source) {
  if (wasm !== null) return
  let s = await source
  if (s === undefined && loader !== null) s = loader()
  if (typeof s === 'string' || (typeof URL !== 'undefined' && s instanceof URL)) s = await fetch(s)
  if (typeof Response !== 'undefined' && s instanceof Response) {
    if (!s.ok) throw new Error(`could not load sigv4.wasm: ${s.status} ${s.url}`)
    s = await s.arrayBuffer()
  }
  if (!(s instanceof WebAssembly.Module)) s = await WebAssembly.compile(s)
  initSync(s)
}

/** Registers how to get the module when it is first needed (Node, Bun, Deno: read the file). */
function setLoader(fn) { loader = fn }

/** Whether the module is instantiated. */
function isReady() { return wasm !== null }

function exportsOf() {
  if (wasm === null) {
    if (loader === null) {
      throw nativeError('NotInitialized', undefined, 'the libsigv4 WebAssembly module is not loaded: import it through the package entry (workerd, browser bundlers), or call initSync(module) / await init(url) first')
    }
    initSync(loader())
  }
  return wasm
}

function mem() {
  const buffer = wasm.memory.buffer
  if (view === null || view.buffer !== buffer) view = new Uint8Array(buffer)
  return view
}

/**
 * Writes `fields` (strings, Uint8Arrays, or null for absent) into the buffer `reserve(len)` gives,
 * each as a little-endian u32 length and its bytes; returns the length written.
 */
function write(fields, reserve) {
  let size = 0
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i]
    size += 4 + (f === null ? 0 : typeof f === 'string' ? f.length * 3 : f.length)
  }
  const ptr = reserve(size)
  const u8 = mem()
  let at = ptr
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i]
    let n
    if (f === null) {
      n = ABSENT
    } else if (typeof f === 'string') {
      n = enc.encodeInto(f, u8.subarray(at + 4, at + 4 + f.length * 3)).written
    } else {
      u8.set(f, at + 4)
      n = f.length
    }
    u8[at] = n & 255
    u8[at + 1] = (n >>> 8) & 255
    u8[at + 2] = (n >>> 16) & 255
    u8[at + 3] = n >>> 24
    at += 4 + (f === null ? 0 : n)
  }
  return at - ptr
}

function input(fields) { return write(fields, exportsOf().sigv4_input) }

/** A view of the input buffer, kept while the buffer neither moves nor grows (it never shrinks). */
let inView = null

/** Writes `text` as UTF-8 into the input buffer with one encodeInto; its length in bytes. */
function inputText(text) {
  const need = text.length * 3
  const ptr = exportsOf().sigv4_input(need)
  let v = inView
  if (v === null || v.byteOffset !== ptr || v.length < need || v.buffer !== wasm.memory.buffer) {
    v = inView = new Uint8Array(wasm.memory.buffer, ptr, need)
  }
  return enc.encodeInto(text, v).written
}

/** Copies raw bytes (not fields) into the input buffer; their length. */
function rawInput(bytes) {
  const ptr = exportsOf().sigv4_input(bytes.length)
  mem().set(bytes, ptr)
  return bytes.length
}

function outBytes() {
  const ptr = wasm.sigv4_output_ptr()
  return mem().subarray(ptr, ptr + wasm.sigv4_output_len())
}

function outString() { return dec.decode(outBytes()) }

/** A copy of the output bytes (a Buffer under Node, where the addon returns Buffers). */
function outCopy() {
  const b = outBytes()
  return typeof Buffer === 'function' ? Buffer.from(b) : b.slice()
}

/** Throws the error of a failed call (`-1`), or the lookup's own error (`-2`). */
function check(status, current) {
  if (status >= 0) return status
  if (status === -2 && current !== null && current.error !== undefined) throw current.error
  const parts = outString().split('\0')
  const e = nativeError(parts[0], parts[1], parts[2])
  if (parts.length >= 5) {
    e.canonicalRequest = parts[3]
    e.stringToSign = parts[4]
  }
  throw e
}

const registry = typeof FinalizationRegistry === 'function' ? new FinalizationRegistry((h) => { if (wasm !== null) wasm.sigv4_drop(h) }) : null

function track(owner, handle) {
  if (registry !== null) registry.register(owner, handle)
  return handle
}

// ---- JS values to fields (the addon's src/input.rs, same codes and messages) ----

function present(v) { return v !== undefined && v !== null }

function optString(v, code, what) {
  if (!present(v)) return null
  if (typeof v !== 'string') throw nativeError(code, what, `${what} must be a string`)
  return v
}

function reqString(v, code, what) {
  if (v === undefined) throw nativeError(code, what, `${what} is required`)
  if (typeof v !== 'string') throw nativeError(code, what, `${what} must be a string`)
  return v
}

/** A body as a string or bytes (null when absent). */
function bodyOf(v) {
  if (!present(v)) return null
  if (typeof v === 'string') return v
  if (ArrayBuffer.isView(v)) return new Uint8Array(v.buffer, v.byteOffset, v.byteLength)
  if (v instanceof ArrayBuffer) return new Uint8Array(v)
  throw nativeError('InvalidOption', 'body', 'body must be a string, Buffer, Uint8Array or ArrayBuffer')
}

function isDate(v) { return Object.prototype.toString.call(v) === '[object Date]' }

/** A signing time field: `s` + text or `n` + whole epoch seconds; now when absent. */
function timeField(v) {
  const invalid = (m) => nativeError('InvalidTimestamp', 'timestamp', m)
  let seconds
  if (!present(v)) seconds = Date.now() / 1000
  else if (typeof v === 'string') return 's' + v
  else if (typeof v === 'number') seconds = v
  else if (isDate(v)) seconds = v.getTime() / 1000
  else throw invalid('timestamp must be a Date, epoch seconds or a YYYYMMDDTHHMMSSZ string')
  if (!Number.isFinite(seconds)) throw invalid('timestamp is not a finite time (an Invalid Date?)')
  return 'n' + Math.floor(seconds)
}

function expirationField(v) {
  if (!present(v) || !isDate(v)) return null
  const ms = v.getTime()
  return Number.isFinite(ms) ? String(Math.floor(ms / 1000)) : null
}

/** `accessKeyId, secretAccessKey, sessionToken?, expiration?` of a credentials object. */
function credentialFields(c) {
  if (c === null || typeof c !== 'object') {
    throw nativeError('InvalidCredentials', 'credentials', 'credentials must be {accessKeyId, secretAccessKey, sessionToken?}')
  }
  return [
    reqString(c.accessKeyId, 'InvalidCredentials', 'accessKeyId'),
    reqString(c.secretAccessKey, 'InvalidCredentials', 'secretAccessKey'),
    optString(c.sessionToken, 'InvalidCredentials', 'sessionToken'),
    expirationField(c.expiration),
  ]
}

/** A verifier lookup's answer (a secret, or {secretAccessKey, sessionToken?, expiration?}). */
function lookupFields(v) {
  const bad = () => nativeError('InvalidCredentials', 'credentials', 'a credential lookup must give a secret string, {secretAccessKey, sessionToken?} or undefined')
  if (typeof v === 'string') return [v, null, null]
  if (typeof v !== 'object' || typeof v.secretAccessKey !== 'string') throw bad()
  if (v.sessionToken !== undefined && v.sessionToken !== null && typeof v.sessionToken !== 'string') throw bad()
  return [v.secretAccessKey, present(v.sessionToken) ? v.sessionToken : null, expirationField(v.expiration)]
}

/** Options as `name, tagged value` fields (tags in wasm/src/options.rs); `skip` names left out. */
function optionFields(o, out, skip) {
  for (const name of Object.keys(o)) {
    if (skip.includes(name)) continue
    const v = o[name]
    if (!present(v)) continue
    let tagged
    if (typeof v === 'string') tagged = 's' + v
    else if (typeof v === 'boolean') tagged = v ? 'b1' : 'b0'
    else if (typeof v === 'number') tagged = 'n' + String(v)
    else if (Array.isArray(v) && v.every((x) => typeof x === 'string' && !x.includes('\0'))) tagged = 'a' + v.join('\0')
    else tagged = 'x'
    out.push(name, tagged)
  }
  return out
}

function expiresField(o) {
  const bad = () => nativeError('InvalidExpiry', 'expiresIn', 'expiresIn must be an integer number of seconds, 1..604800')
  if (!present(o)) return '3600'
  let v = o
  if (typeof o === 'object') v = o.expiresIn
  else if (typeof o !== 'number') throw bad()
  if (!present(v)) return '3600'
  if (typeof v !== 'number') throw bad()
  return String(v)
}

// ---- Signer ----

/** Hashes bodies at least this large with WebCrypto in signAsync (native SHA-256 beats wasm's). */
const WEBCRYPTO_BYTES = 64 * 1024

class NativeSigner {
  #h
  #info
  #payload
  #options
  #credentials
  /** The handle for signWith of the current credentials (made on demand). */
  #handle = null

  constructor(options) {
    if (options === null || typeof options !== 'object') {
      throw nativeError('InvalidOption', 'options', 'Signer needs an options object {credentials, region, service}')
    }
    const c = options.credentials
    let creds
    if (c !== null && typeof c === 'object') creds = credentialFields(c)
    else if (c === undefined || c === null || typeof c === 'function') creds = [null, null, null, null]
    else throw nativeError('InvalidCredentials', 'credentials', 'credentials must be an object or a provider function')
    const fields = [
      reqString(options.region, 'InvalidRegion', 'region'),
      reqString(options.service, 'InvalidService', 'service'),
      ...creds,
    ]
    optionFields(options, fields, ['region', 'service', 'credentials'])
    const len = input(fields)
    this.#h = track(this, check(wasm.sigv4_signer_new(len), null))
    this.#info = outString().split('\0')
    this.#payload = options.payload
    this.#options = options
    this.#credentials = c !== null && typeof c === 'object' ? c : undefined
  }

  /** Replaces the credentials (rotated ones); existing handles keep the old ones. */
  setCredentials(credentials) {
    const len = input(credentialFields(credentials))
    check(wasm.sigv4_signer_set_credentials(this.#h, len), null)
    this.#info = outString().split('\0')
    this.#credentials = credentials
    this.#handle = null
  }

  get algorithm() { return this.#info[0] }
  get region() { return this.#info[1] }
  get service() { return this.#info[2] }
  get accessKeyId() { return this.#info[5] === '1' ? this.#info[3] : null }
  get credentialsExpireAt() { return this.#info[4] === '' ? null : Number(this.#info[4]) }
  get hasCredentials() { return this.#info[5] === '1' }

  #run(method, url, headers, body, payloadHash, timestamp, expires) {
    const fields = [
      optString(method, 'InvalidMethod', 'method'),
      present(url) ? reqString(url, 'InvalidUrl', 'url') : null,
      optString(payloadHash, 'InvalidPayloadHash', 'payloadHash'),
      timeField(timestamp),
      expires,
      bodyOf(body),
    ]
    headerList(headers, fields)
    const len = input(fields)
    check(wasm.sigv4_signer_sign(this.#h, len), null)
    return outString()
  }

  sign(method, url, headers, body, payloadHash, timestamp) {
    return this.#run(method, url, headers, body, payloadHash, timestamp, null)
  }

  presign(method, url, headers, body, payloadHash, timestamp, options) {
    return this.#run(method, url, headers, body, payloadHash, timestamp, expiresField(options))
  }

  /** `sign`, hashing a large body with WebCrypto where there is one. */
  async signAsync(method, url, headers, body, payloadHash, timestamp) {
    if (!present(payloadHash) && (this.#payload === undefined || this.#payload === 'signed') && present(body) && typeof crypto === 'object' && crypto.subtle) {
      const b = bodyOf(body)
      const bytes = typeof b === 'string' ? (b.length * 3 >= WEBCRYPTO_BYTES ? enc.encode(b) : null) : b
      if (bytes !== null && bytes.length >= WEBCRYPTO_BYTES) payloadHash = hex(await crypto.subtle.digest('SHA-256', bytes))
    }
    return this.#run(method, url, headers, present(payloadHash) ? null : body, payloadHash, timestamp, null)
  }

  async presignAsync(method, url, headers, body, payloadHash, timestamp, options) {
    return this.presign(method, url, headers, body, payloadHash, timestamp, options)
  }

  /**
   * A handle for `signWith` holding this signer's current credentials (a signer
   * of its own, so that credentials set later do not reach it, as with the addon's handles).
   */
  signHandle() {
    if (!this.hasCredentials) throw nativeError('InvalidCredentials', 'credentials', 'no credentials loaded yet: with a credential provider, use signAsync/presignAsync')
    if (this.#handle === null) {
      this.#handle = new SignHandle(new NativeSigner({ ...this.#options, credentials: this.#credentials }))
    }
    return this.#handle
  }


  signStreaming(method, url, headers, decodedLength, chunkSize, trailers, timestamp, payload) {
    const count = (v, what) => {
      if (typeof v !== 'number') throw nativeError('InvalidOption', what, `${what} must be a non-negative integer number of bytes`)
      return String(v)
    }
    const fields = [
      optString(method, 'InvalidMethod', 'method'),
      present(url) ? reqString(url, 'InvalidUrl', 'url') : null,
      count(decodedLength, 'decodedLength'),
      present(chunkSize) ? count(chunkSize, 'chunkSize') : null,
      present(payload) ? (typeof payload === 'string' ? payload : '') : null,
      timeField(timestamp),
    ]
    const list = present(trailers) ? trailers : []
    const badTrailers = () => nativeError('InvalidOption', 'trailers', 'trailers must be an array of names (or [name, valueLength] pairs)')
    if (!Array.isArray(list)) throw badTrailers()
    fields.push(String(list.length))
    for (const t of list) {
      if (typeof t === 'string') fields.push(t, null)
      else if (Array.isArray(t) && t.length === 2 && typeof t[0] === 'string') fields.push(t[0], count(t[1], 'trailers'))
      else throw badTrailers()
    }
    headerList(headers, fields)
    const len = input(fields)
    const h = check(wasm.sigv4_signer_streaming(this.#h, len), null)
    return new NativeUpload(h, outString())
  }
}

function hex(buffer) {
  const b = new Uint8Array(buffer)
  let s = ''
  for (let i = 0; i < b.length; i++) s += (b[i] < 16 ? '0' : '') + b[i].toString(16)
  return s
}

/** A signing handle (see `NativeSigner.signHandle`). */
class SignHandle {
  constructor(signer) { this.signer = signer }
}

function signerOf(handle) {
  if (!(handle instanceof SignHandle)) throw nativeError('InvalidOption', 'signer', 'signer must be a handle from signHandle()')
  return handle.signer
}

function signWith(handle, method, url, headers, body, payloadHash, timestamp) {
  return signerOf(handle).sign(method, url, headers, body, payloadHash, timestamp)
}

// ---- the drop-ins' native halves (src/sdk.rs and src/aws4.rs of the addon; same packed forms and flags) ----

/** A handle of `sdkHandle` / `aws4Handle` (a wasm object). */
class CompatHandle {
  #h
  constructor(h, kind) {
    this.#h = track(this, h)
    this.kind = kind
  }

  static id(handle, kind) {
    if (!(handle instanceof CompatHandle) || handle.kind !== kind) {
      throw nativeError('InvalidOption', 'signer', `signer must be a handle from ${kind}()`)
    }
    return handle.#h
  }
}

/** `sdkHandle(accessKeyId, secretAccessKey, region, service)`: a handle for sdkSign / sdkSignString. */
function sdkHandle(accessKeyId, secretAccessKey, region, service) {
  const len = input([
    reqString(accessKeyId, 'InvalidCredentials', 'accessKeyId'),
    reqString(secretAccessKey, 'InvalidCredentials', 'secretAccessKey'),
    reqString(region, 'InvalidRegion', 'region'),
    reqString(service, 'InvalidService', 'service'),
  ])
  return new CompatHandle(check(wasm.sigv4_sdk_new(len), null), 'sdkHandle')
}

/** `sdkSign(handle, packed, payloadHash, flags)`: `method NUL path NUL amzDate [NUL name NUL value]...`. */
function sdkSign(handle, packed, payloadHash, flags) {
  const h = CompatHandle.id(handle, 'sdkHandle')
  if (typeof packed !== 'string') throw nativeError('InvalidUrl', 'request', 'request must be a string')
  let hash = reqString(payloadHash, 'InvalidPayloadHash', 'payloadHash')
  // A NUL would end the hash early: no hash holds one, so any stand-in keeps the core's own refusal.
  if (hash.indexOf('\0') !== -1) hash = hash.replace(/\0/g, '\ufffd')
  // One text, one encodeInto (wasm/src/compat.rs splits it): the hot path of libsigv4/aws4fetch and aws-sdk.
  const len = inputText(hash + '\0' + (flags >>> 0) + '\0' + packed)
  check(wasm.sigv4_sdk_sign(h, len), null)
  return outString()
}

/** `sdkSignString(handle, amzDate, text)`: HMAC-SHA256 (hex) under the day's signing key. */
function sdkSignString(handle, amzDate, text) {
  const h = CompatHandle.id(handle, 'sdkHandle')
  const len = input([reqString(amzDate, 'InvalidTimestamp', 'amzDate'), bodyOf(text)])
  check(wasm.sigv4_sdk_sign_string(h, len), null)
  return outString()
}

/** `aws4Handle(secret, region, service)`: a handle for aws4Sign. */
function aws4Handle(secret, region, service) {
  const len = input([String(secret), String(region), String(service)])
  return new CompatHandle(check(wasm.sigv4_aws4_new(len), null), 'aws4Handle')
}

/**
 * `aws4Sign(handle, packed, body, payloadHash, flags)`: the signature (flag 64), or [canonicalString,
 * stringToSign, signature, canonicalHeaders]; null when the packed fields need escaping.
 */
function aws4Sign(handle, packed, body, payloadHash, flags) {
  const h = CompatHandle.id(handle, 'aws4Handle')
  if (typeof packed !== 'string') throw nativeError('InvalidUrl', 'request', 'request must be a string')
  const hash = typeof payloadHash === 'string' ? payloadHash : null
  const len = input([packed, hash, String(flags >>> 0), hash === null ? bodyOf(body) : null])
  const status = check(wasm.sigv4_aws4_sign(h, len), null)
  if (status === 1) return null
  if (flags & 64) return outString()
  // Length-prefixed fields (a header value may hold NUL).
  const b = outBytes()
  const parts = []
  for (let at = 0; at < b.length;) {
    const n = b[at] | (b[at + 1] << 8) | (b[at + 2] << 16) | (b[at + 3] << 24)
    parts.push(dec.decode(b.subarray(at + 4, at + 4 + n)))
    at += 4 + n
  }
  return parts
}

/** Event-stream header encoding (libsigv4/aws-sdk's event streams) is not in the WebAssembly build. */
function encodeEventHeaders() {
  throw nativeError('Unsupported', 'eventStream', 'event-stream signing is not available in the WebAssembly build of libsigv4 (use the native addon)')
}

/**
 * One-call signing (KumoMTA's aws_sign_v4), the core's sigv4::sign_v4: `{accessKey, secretKey, region, service,
 * method, uri, queryParams?, headers?, payload?, timestamp?, sessionToken?}` -> the signed-request record
 * (lib/sign-v4.js builds the result object, as for the addon).
 */
function signV4(params) {
  if (params === null || typeof params !== 'object') throw nativeError('InvalidOption', 'params', 'signV4 needs a parameter object')
  let query = []
  try {
    query = headerList(params.queryParams, [])
  } catch (e) {
    throw nativeError('InvalidUrl', 'queryParams', 'queryParams must be an object of name -> value (or [name, value] pairs)')
  }
  const fields = [
    reqString(params.accessKey, 'InvalidCredentials', 'accessKey'),
    reqString(params.secretKey, 'InvalidCredentials', 'secretKey'),
    optString(params.sessionToken, 'InvalidCredentials', 'sessionToken'),
    reqString(params.region, 'InvalidRegion', 'region'),
    reqString(params.service, 'InvalidService', 'service'),
    reqString(params.method, 'InvalidMethod', 'method'),
    reqString(params.uri, 'InvalidUrl', 'uri'),
    timeField(params.timestamp),
    bodyOf(params.payload),
    String(query.length >> 1),
    ...query,
  ]
  headerList(params.headers, fields)
  const len = input(fields)
  check(wasm.sigv4_sign_v4(len), null)
  return outString()
}

/** The encoder of a streaming upload. */
class NativeUpload {
  #h
  constructor(h, request) {
    this.#h = track(this, h)
    /** The signed request (NUL-separated fields). */
    this.request = request
  }

  get bytesWritten() { return exportsOf().sigv4_upload_bytes_written(this.#h) }

  write(data) {
    const body = bodyOf(data)
    const bytes = typeof body === 'string' ? enc.encode(body) : body === null ? new Uint8Array(0) : body
    const len = rawInput(bytes)
    check(wasm.sigv4_upload_write(this.#h, len), null)
    return outCopy()
  }

  async writeAsync(data) { return this.write(data) }

  finish(trailers) {
    const len = input(headerList(trailers, []))
    check(wasm.sigv4_upload_finish(this.#h, len), null)
    return outCopy()
  }
}

// ---- Verifier ----

class NativeVerifier {
  #h
  #function = false
  /** A table of credentials copied at construction: akid -> lookup answer fields. */
  #table = null

  constructor(options) {
    if (options === null || typeof options !== 'object') {
      throw nativeError('InvalidOption', 'options', 'Verifier needs an options object {credentials, region, service}')
    }
    const service = reqString(options.service, 'InvalidService', 'service')
    const c = options.credentials
    if (typeof c === 'function') {
      this.#function = true
    } else if (c !== undefined && c !== null && typeof c === 'object' && !Array.isArray(c)) {
      this.#table = new Map()
      for (const akid of Object.keys(c)) {
        const v = c[akid]
        if (!present(v)) continue
        lookupFields(v) // refused now, as the addon refuses a bad table at construction
        this.#table.set(akid, typeof v === 'string' ? v : { ...v })
      }
    } else if (c !== undefined) {
      throw nativeError('InvalidCredentials', 'credentials', 'credentials must be an object {AKID: secret} or a function akid => secret')
    }
    const fields = [service]
    optionFields(options, fields, ['service', 'credentials'])
    const len = input(fields)
    this.#h = track(this, check(wasm.sigv4_verifier_new(len), null))
  }

  #info() {
    check(exportsOf().sigv4_verifier_info(this.#h), null)
    return outString().split('\0')
  }

  #call(fn, fields, lookupFn) {
    const len = input(fields)
    const table = this.#table
    const ask = this.#function ? (typeof lookupFn === 'function' ? lookupFn : null) : (akid) => (table === null ? undefined : table.get(akid))
    const current = ask === null ? null : { fn: ask, error: undefined }
    lookup = current
    let status
    try {
      status = fn(this.#h, len)
    } finally {
      lookup = null
    }
    return check(status, current)
  }

  verify(method, url, headers, body, payloadHash, now, lookupFn) {
    const fields = [
      optString(method, 'InvalidMethod', 'method'),
      present(url) ? reqString(url, 'InvalidUrl', 'url') : null,
      optString(payloadHash, 'InvalidPayloadHash', 'payloadHash'),
      timeField(now),
      bodyOf(body),
    ]
    headerList(headers, fields)
    this.#call(wasm.sigv4_verifier_verify, fields, lookupFn)
    return outString()
  }

  /** A handle for `verifyPacked`. */
  handle() { return new VerifierHandle(this) }

  verifyStreaming(method, url, headers, now, lookupFn) {
    const fields = [
      optString(method, 'InvalidMethod', 'method'),
      present(url) ? reqString(url, 'InvalidUrl', 'url') : null,
      timeField(now),
    ]
    headerList(headers, fields)
    const h = this.#call(wasm.sigv4_verifier_streaming, fields, lookupFn)
    const out = outString()
    const cut = out.lastIndexOf('\0')
    return new NativeStream(h, out.slice(0, cut), Number(out.slice(cut + 1)))
  }

  get regions() { return this.#info().slice(5) }
  get service() { return this.#info()[4] }
  get replayCacheLen() { return Number(this.#info()[3]) }
  get limits() { return this.#info().slice(0, 3).map(Number) }
}

/** A verifier handle (see `NativeVerifier.handle`). */
class VerifierHandle {
  constructor(verifier) { this.verifier = verifier }
}

/**
 * `verify` for `method NUL url [NUL name NUL value]...` with `count` header pairs, with the addon's
 * framing answers (src/verifier.rs `verify_packed`, the core's rules through `sigv4_http_framing`): a
 * target that is not origin-form is refused; with no `body` (not read yet), a request whose headers
 * announce one gets a number instead (its Content-Length, -1 when unknown).
 */
function verifyPacked(handle, packed, count, body, now, lookupFn) {
  if (!(handle instanceof VerifierHandle)) throw nativeError('InvalidOption', 'verifier', 'verifier must be a handle from NativeVerifier.handle()')
  const verifier = handle.verifier
  if (typeof packed !== 'string') throw nativeError('InvalidUrl', 'request', 'packed request must be a string')
  const parts = packed.split('\0')
  if (parts.length < 2) throw nativeError('InvalidUrl', 'request', 'packed request is incomplete')
  let rest = parts.slice(2)
  if (count === 0 && rest.length === 1 && rest[0] === '') rest = []
  if (rest.length !== 2 * count) {
    const e = nativeError('InvalidHeaderValue', 'headers', 'a NUL byte in the URL or a header is not valid HTTP')
    throw e
  }
  check(exportsOf().sigv4_http_framing(input([parts[1], ...rest])), null)
  const announced = outString()
  if (!present(body) && announced !== '') return Number(announced)
  return verifier.verify(parts[0], parts[1], rest.length ? rest : undefined, body, undefined, now, lookupFn)
}

/** The requests of each `NativeBatch` (kept off its prototype: the addon's class has only `add` and `length`). */
const batches = new WeakMap()

/** The results of each `NativeBatch` once it was checked (what `finish` answers). */
const checkedBatches = new WeakMap()

/**
 * One chunk of a `verifyMany` (lib/verify-many.js). The addon checks it on its thread pool (or the event loop)
 * and records it in the replay cache in `finish`; the WebAssembly build has no threads, so a queue's chunks are
 * verified here one by one, in order, when `checkQueue` or `help` takes them (chunks are taken in the batch's
 * order, so the replay cache sees the same order), and `finish` hands the results over.
 */
class NativeBatch {
  constructor() { batches.set(this, []) }
  add(method, url, headers, body, payloadHash, now) {
    // The clock is read now, as the addon does when it copies the request.
    batches.get(this).push([method, url, headers, body, payloadHash, present(now) ? now : new Date()])
  }

  /**
   * Requests packed by lib/verify-many.js (the addon's format, src/batch.rs): `text` holds them joined by NUL,
   * each `method NUL url [NUL name NUL value]... [NUL body]`; `meta` three numbers each: its length plus one,
   * its header pairs, its body (the length of an inlined last field, -1 none, -2 the next of `bodies`).
   */
  addPacked(text, meta, bodies, now) {
    const at = present(now) ? now : new Date()
    const list = batches.get(this)
    let pos = 0
    let apart = 0
    for (let i = 0; i + 2 < meta.length; i += 3) {
      const span = text.slice(pos, pos + meta[i] - 1)
      pos += meta[i]
      const b = meta[i + 2]
      let head = span
      let body
      if (b === -2) body = bodies[apart++]
      else if (b >= 0) {
        head = span.slice(0, span.length - b - 1)
        body = span.slice(span.length - b)
      }
      const parts = head.split('\0')
      const rest = parts.slice(2)
      // A NUL inside a field (the count disagrees): null, which lib/verify-many.js verifies on its own.
      if (rest.length !== 2 * meta[i + 1] || (b >= 0 && b >= span.length)) list.push(null)
      else list.push([parts[0], parts[1], rest.length ? rest : undefined, body, undefined, at])
    }
  }

  get length() { return batches.get(this).length }

  /** Whether the batch was verified (`finish` can answer). */
  get checked() { return checkedBatches.has(this) }

  /** The results of the check: one identity string or `[code, message, argument, canonicalRequest, stringToSign]` each. */
  finish(handle) {
    if (!(handle instanceof VerifierHandle)) throw nativeError('InvalidOption', 'verifier', 'verifier must be a handle from NativeVerifier.handle()')
    const out = checkedBatches.get(this)
    if (out === undefined) throw nativeError('InvalidOption', 'batch', 'finish: the batch is not checked yet (see `checked`)')
    checkedBatches.delete(this)
    return out
  }
}

/** Verifies (and empties) `batch`; `batch.finish()` then gives the results. */
function checkNow(handle, batch) {
  const requests = batches.get(batch)
  batches.set(batch, [])
  const out = requests.map((entry) => {
    if (entry === null) return null
    const [method, url, headers, body, payloadHash, now] = entry
    try {
      return handle.verifier.verify(method, url, headers, body, payloadHash, now)
    } catch (e) {
      const code = typeof e.code === 'string' ? e.code : 'InvalidOption'
      return [code, String(e.message), e.argument ?? null, e.canonicalRequest ?? null, e.stringToSign ?? null]
    }
  })
  checkedBatches.set(batch, out)
}

function verifierHandle(handle) {
  if (!(handle instanceof VerifierHandle)) throw nativeError('InvalidOption', 'verifier', 'verifier must be a handle from NativeVerifier.handle()')
  return handle
}

/** The chunks of a `verifyMany` waiting to be verified, oldest first (the addon's `NativeBatchQueue`). */
class NativeBatchQueue {
  #chunks = []
  push(batch) {
    if (!batches.has(batch)) throw nativeError('InvalidOption', 'batch', 'batch must be a NativeBatch')
    this.#chunks.push(batch)
  }

  /** Verifies the oldest waiting chunk now; false when none waits. */
  help(handle) {
    verifierHandle(handle)
    const batch = this.#chunks.shift()
    if (batch === undefined) return false
    checkNow(handle, batch)
    return true
  }

  get length() { return this.#chunks.length }

  /** No more chunks (nothing to tell a lane here). */
  close() {}

  /** No lane outlives the `checkQueue` call that started it here. */
  get lanes() { return 0 }
}

/** A "lane" (the addon runs one on its thread pool): here every waiting chunk is verified at once, in order. */
function checkQueue(handle, queue) {
  verifierHandle(handle)
  if (!(queue instanceof NativeBatchQueue)) throw nativeError('InvalidOption', 'queue', 'queue must be a NativeBatchQueue')
  let n = 0
  while (queue.help(handle)) n++
  return Promise.resolve(n)
}

/** Threads `verifyMany` uses by default: one (this build has no threads). */
function batchThreads() {
  return 1
}

/** The decoder of a verified streaming upload. */
class NativeStream {
  #h
  constructor(h, identity, decodedLength) {
    this.#h = track(this, h)
    this.identity = identity
    this.decodedLength = decodedLength
  }

  feed(data) {
    const body = bodyOf(data)
    const len = rawInput(typeof body === 'string' ? enc.encode(body) : body === null ? new Uint8Array(0) : body)
    check(wasm.sigv4_stream_feed(this.#h, len), null)
    return outCopy()
  }

  finish() {
    check(exportsOf().sigv4_stream_finish(this.#h), null)
    const out = outString()
    if (out === '') return []
    const p = out.split('\0')
    const pairs = []
    for (let i = 0; i < p.length; i += 2) pairs.push([p[i], p[i + 1]])
    return pairs
  }
}

// ---- functions ----

function sha256Hex(data) {
  const body = bodyOf(data)
  const bytes = typeof body === 'string' ? enc.encode(body) : body === null ? new Uint8Array(0) : body
  const len = rawInput(bytes)
  check(wasm.sigv4_sha256_hex(len), null)
  return outString()
}

/** `{status, contentType, body}`: the core's answer to a failed verification (see src/answer.rs). */
/** Trusted proxies are an option of the node:http middleware, which runs on the addon only. */
class NativeTrustedProxies {
  constructor() { throw nativeError('InvalidOption', 'trustedProxies', 'trustedProxies is an option of the node:http middleware: it needs the Node addon, not the WebAssembly build') }
  resolve() { return [] } // never reached: the constructor throws
}

function errorAnswer(code, message, canonicalRequest, stringToSign, xml) {
  const both = canonicalRequest != null && stringToSign != null
  const len = input([code, message, both ? canonicalRequest : null, both ? stringToSign : null, xml ? '1' : null])
  check(wasm.sigv4_error_answer(len), null)
  const out = outString()
  const a = out.indexOf('\0')
  const b = out.indexOf('\0', a + 1)
  return { status: Number(out.slice(0, a)), contentType: out.slice(a + 1, b), body: out.slice(b + 1) }
}

/**
 * The verdict after a shared replay store answered (lib/replay-store.js): such a store needs a TCP Redis
 * client, which the runtimes of this build (Workers, browsers) do not offer, so the WebAssembly build has
 * none; the native addon's `replayVerdict` is the core's (src/replay.rs).
 */
function replayVerdict() {
  throw new Error('a shared replay store (replayStore) needs the native addon; the WebAssembly backend has none')
}

function version() {
  check(exportsOf().sigv4_version(), null)
  return outString()
}

module.exports = {
  NativeSigner,
  NativeVerifier,
  NativeBatch,
  NativeBatchQueue,
  checkQueue,
  batchThreads,
  NativeUpload,
  NativeStream,
  NativeTrustedProxies,
  signWith,
  sdkHandle,
  sdkSign,
  sdkSignString,
  aws4Handle,
  aws4Sign,
  encodeEventHeaders,
  signV4,
  verifyPacked,
  sha256Hex,
  errorAnswer,
  replayVerdict,
  version,
  initSync,
  init,
  setLoader,
  isReady,
  /** The WebAssembly memory's size in bytes (diagnostics). */
  memoryBytes: () => (wasm === null ? 0 : wasm.memory.buffer.byteLength),
  backend: 'wasm',
}
