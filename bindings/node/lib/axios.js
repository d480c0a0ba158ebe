'use strict'
const { Signer } = require('./signer')
const { NONCE_HEADER, newNonce } = require('./nonce')
const { SigV4Error } = require('./errors')
const { regionFromHost } = require('./fetch')
const { aws4AxiosInterceptor, isAws4AxiosShape, getAuthErrorMessage } = require('./aws4-axios')

function buildUrl(config) {
  let url = config.url || ''
  if (config.baseURL && !/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) {
    url = config.baseURL.replace(/\/+$/, '') + '/' + url.replace(/^\/+/, '')
  }
  const u = new URL(url)
  const params = config.params
  if (params) {
    const query = typeof config.paramsSerializer === 'function'
      ? config.paramsSerializer(params)
      : config.paramsSerializer && typeof config.paramsSerializer.serialize === 'function'
        ? config.paramsSerializer.serialize(params)
        : new URLSearchParams(Object.entries(params).filter(([, v]) => v !== undefined && v !== null)
          .flatMap(([k, v]) => (Array.isArray(v) ? v.map((x) => [k, String(x)]) : [[k, v instanceof Date ? v.toISOString() : String(v)]]))).toString()
    if (query) u.search = (u.search ? u.search.slice(1) + '&' : '') + query
  }
  // The WHATWG parser is what the http adapter applies: sign its output, send it unchanged.
  return new URL(u.href).href
}

function transformData(config, headers) {
  let data = config.data
  const transforms = config.transformRequest
  if (transforms) for (const t of [].concat(transforms)) data = t.call(config, data, headers)
  return data
}

/**
 * An axios request interceptor that signs each request with SigV4 (a replacement for
 * `aws4-axios`): `axios.interceptors.request.use(aws4Interceptor({service, region, credentials}))`.
 * It signs exactly the URL axios sends (params included), the transformed body, and the headers
 * set; with `signQuery: true` it presigns into the URL instead (`expiresIn`, default 3600).
 * Also takes aws4-axios 3.x's `{ options, credentials, instance }` and then behaves as it does
 * (lib/aws4-axios.js).
 */
function aws4Interceptor(options = {}) {
  // aws4-axios 3.x's shape: { options, credentials, instance }
  if (isAws4AxiosShape(options)) return aws4AxiosInterceptor(options)
  const { service, region, credentials, signQuery = false, expiresIn, signer: given, nonce = false, ...signerOptions } = options
  const signers = new Map()
  function signerFor(host) {
    if (given) return given
    const r = region || regionFromHost(host) || process.env.AWS_REGION || process.env.AWS_DEFAULT_REGION
    if (!r) throw new SigV4Error('InvalidRegion', 'no region: pass region, or set AWS_REGION', 'region')
    if (!service) throw new SigV4Error('InvalidService', 'service is required (e.g. execute-api, lambda)', 'service')
    let s = signers.get(r)
    if (!s) signers.set(r, (s = new Signer({ ...signerOptions, credentials, region: r, service })))
    return s
  }
  return async function sigv4Interceptor(config) {
    const url = buildUrl(config)
    const method = (config.method || 'get').toUpperCase()
    const headers = config.headers
    const data = transformData(config, headers)
    config.data = data
    config.transformRequest = [(d) => d]
    config.url = url
    config.baseURL = undefined
    config.params = undefined
    if (nonce) {
      // A signed random header: identical calls in the same second stay distinct for a replay cache.
      if (typeof headers.set === 'function') headers.set(NONCE_HEADER, newNonce())
      else headers[NONCE_HEADER] = newNonce()
    }
    const pairs = []
    const plain = headers && typeof headers.toJSON === 'function' ? headers.toJSON() : headers || {}
    for (const [n, v] of Object.entries(plain)) {
      if (v === undefined || v === null || v === false) continue
      if (Array.isArray(v)) for (const x of v) pairs.push([n, String(x)])
      else pairs.push([n, String(v)])
    }
    let body = data
    if (body !== undefined && body !== null && typeof body !== 'string' && !(body instanceof Uint8Array) && !(body instanceof ArrayBuffer)) {
      if (ArrayBuffer.isView(body)) body = new Uint8Array(body.buffer, body.byteOffset, body.byteLength)
      else if (body instanceof URLSearchParams) body = body.toString()
      else throw new SigV4Error('InvalidOption', 'cannot sign a streamed or FormData body: pass a string or Buffer', 'data')
    }
    const signer = signerFor(new URL(url).hostname)
    const request = { method, url, headers: pairs, body: body ?? undefined }
    if (signQuery) {
      const signed = await signer.presignAsync(request, { expiresIn })
      config.url = signed.url
      return config
    }
    const signed = await signer.signAsync(request)
    for (const [n, v] of Object.entries(signed.headers)) {
      if (n.toLowerCase() === 'host') continue
      if (typeof headers.set === 'function') headers.set(n, v)
      else headers[n] = v
    }
    return config
  }
}

module.exports = { aws4Interceptor, interceptor: aws4Interceptor, getAuthErrorMessage, default: aws4Interceptor }
// As aws4-axios: `import aws4Interceptor from 'libsigv4/axios'` is the function in TypeScript's CommonJS output too.
Object.defineProperty(module.exports, '__esModule', { value: true })
