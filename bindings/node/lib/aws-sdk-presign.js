'use strict'
// getSignedUrl(client, command, { expiresIn }): @aws-sdk/s3-request-presigner's getSignedUrl, signing
// with libsigv4's SignatureV4 — and, when only the object key changes between calls, without the
// client's middleware stack.
//
// The SDK's getSignedUrl resolves the endpoint and runs the whole middleware stack (serialisation,
// endpoint rules, host header, flexible checksums...) for every URL. Here the first call for a client,
// command class, set of other input members and options runs that same stack (the same intercept the
// SDK installs before awsAuthMiddleware, the same S3RequestPresigner preparation); the request it
// captures becomes a template: later calls only put the new key's path into a copy of it and presign.
// A template is kept only when the captured path ends with the key as the S3 serialiser encodes it.
const { SignatureV4 } = require('./aws-sdk')

const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD'
const templates = new WeakMap()

function escapeUri(uri) {
  return encodeURIComponent(uri).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase())
}

/** The key as the S3 client serialises a {Key+} label: each '/'-separated segment encoded. */
function encodeKey(key) {
  return key.split('/').map(escapeUri).join('/')
}

/** @smithy/querystring-builder's buildQueryString. */
function buildQueryString(query) {
  const parts = []
  for (let key of Object.keys(query).sort()) {
    const value = query[key]
    key = escapeUri(key)
    if (Array.isArray(value)) {
      for (const v of value) parts.push(`${key}=${escapeUri(v)}`)
    } else {
      let entry = key
      if (value || typeof value === 'string') entry += `=${escapeUri(value)}`
      parts.push(entry)
    }
  }
  return parts.join('&')
}

/** @smithy/util-format-url's formatUrl. */
function formatUrl(request) {
  const { port, query } = request
  let { protocol, path, hostname } = request
  if (protocol && protocol.slice(-1) !== ':') protocol += ':'
  if (port) hostname += `:${port}`
  if (path && path.charAt(0) !== '/') path = `/${path}`
  let queryString = query ? buildQueryString(query) : ''
  if (queryString && queryString[0] !== '?') queryString = `?${queryString}`
  let auth = ''
  if (request.username != null || request.password != null) {
    auth = `${request.username ?? ''}:${request.password ?? ''}@`
  }
  const fragment = request.fragment ? `#${request.fragment}` : ''
  return `${protocol}//${auth}${hostname}${path}${queryString}${fragment}`
}

/** S3RequestPresigner.presign: its preparation of the request, then SignatureV4.presign (expiresIn 900). */
function s3Presign(signer, request, { unsignableHeaders = new Set(), hoistableHeaders = new Set(),
  unhoistableHeaders = new Set(), ...options } = {}, expressIdentity = null) {
  unsignableHeaders.add('content-type')
  Object.keys(request.headers).map((h) => h.toLowerCase()).filter((h) => h.startsWith('x-amz-server-side-encryption'))
    .forEach((h) => { if (!hoistableHeaders.has(h)) unhoistableHeaders.add(h) })
  request.headers['X-Amz-Content-Sha256'] = UNSIGNED_PAYLOAD
  const currentHost = request.headers.host
  const port = request.port
  const expectedHost = `${request.hostname}${request.port != null ? ':' + port : ''}`
  if (!currentHost || (currentHost === request.hostname && request.port != null)) request.headers.host = expectedHost
  const signOptions = { expiresIn: 900, unsignableHeaders, unhoistableHeaders, ...options }
  return expressIdentity ? signer.presignWithCredentials(request, expressIdentity, signOptions)
    : signer.presign(request, signOptions)
}

/** S3RequestPresigner's signer, with its option resolution, as libsigv4's SignatureV4. */
function presignerSigner(options) {
  return new SignatureV4({
    service: options.signingName || options.service || 's3',
    uriEscapePath: options.uriEscapePath || false,
    applyChecksum: options.applyChecksum || false,
    ...options,
  })
}

/** Runs the client's stack with the SDK's presign intercept; returns the presigned request and what was signed. */
async function presignThroughStack(client, command, options) {
  let getEndpointFromInstructions = null
  for (const name of ['@smithy/core/endpoints', '@smithy/middleware-endpoint']) {
    try {
      getEndpointFromInstructions = require(name).getEndpointFromInstructions
      if (getEndpointFromInstructions) break
    } catch (_) {
      // not installed
    }
  }
  let region
  let signer
  if (typeof client.config.endpointProvider === 'function') {
    if (!getEndpointFromInstructions) throw new Error('libsigv4/aws-sdk getSignedUrl needs @smithy/core (installed with the SDK)')
    const endpointV2 = await getEndpointFromInstructions(command.input, command.constructor, client.config)
    const authScheme = endpointV2.properties?.authSchemes?.[0]
    region = authScheme?.name === 'sigv4a' ? authScheme?.signingRegionSet?.join(',') : authScheme?.signingRegion
    signer = presignerSigner({ ...client.config, signingName: authScheme?.signingName, region: async () => region })
  } else {
    signer = presignerSigner(client.config)
  }
  let captured = null
  const intercept = (next, context) => async (args) => {
    const { request } = args
    if (!request || typeof request !== 'object' || typeof request.headers !== 'object') {
      throw new Error('Request to be presigned is not an valid HTTP request.')
    }
    delete request.headers['amz-sdk-invocation-id']
    delete request.headers['amz-sdk-request']
    delete request.headers['x-amz-user-agent']
    const signOptions = { ...options, signingRegion: options.signingRegion ?? context.signing_region ?? region,
      signingService: options.signingService ?? context.signing_service }
    if (signOptions.signingRegion === '*' || (region !== undefined && String(region).includes(','))) {
      throw Object.assign(new Error('libsigv4/aws-sdk getSignedUrl: SigV4a (multi-region) presigning is not supported'),
        { code: 'InvalidOption' })
    }
    // S3 Express session credentials rotate: such calls are never made into templates.
    captured = context.s3ExpressIdentity ? null
      : { request: { ...request, headers: { ...request.headers }, query: { ...request.query } }, signOptions }
    const presigned = await s3Presign(signer, request, { ...signOptions }, context.s3ExpressIdentity || null)
    return { response: {}, output: { $metadata: { httpStatusCode: 200 }, presigned } }
  }
  const stack = client.middlewareStack.clone()
  stack.addRelativeTo(intercept, { name: 'presignInterceptMiddleware', relation: 'before',
    toMiddleware: 'awsAuthMiddleware', override: true })
  const handler = command.resolveMiddleware(stack, client.config, {})
  const { output } = await handler({ input: command.input })
  return { presigned: output.presigned, captured, signer }
}

/** The cache slot of a call, or null when it must not be cached (non-scalar input or extra options). */
function slotOf(command, options) {
  const input = command.input || {}
  if (typeof input.Key !== 'string') return null
  for (const name of Object.keys(options)) if (name !== 'expiresIn' && name !== 'signingDate') return null
  const rest = []
  for (const name of Object.keys(input).sort()) {
    if (name === 'Key') continue
    const v = input[name]
    if (v !== undefined && typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') return null
    rest.push([name, v])
  }
  return JSON.stringify([rest, options.expiresIn ?? null])
}

/**
 * A presigned URL for `command` (S3 commands: GetObject, PutObject, HeadObject...), the same as
 * @aws-sdk/s3-request-presigner's getSignedUrl(client, command, options) returns.
 * @param {object} client an S3Client
 * @param {object} command a command of that client
 * @param {{ expiresIn?: number, signingDate?: Date, signingRegion?: string, signingService?: string }} [options]
 * @returns {Promise<string>}
 */
async function getSignedUrl(client, command, options = {}) {
  const slot = slotOf(command, options)
  let byCommand = templates.get(client)
  if (byCommand === undefined) templates.set(client, (byCommand = new Map()))
  let perClass = byCommand.get(command.constructor)
  if (perClass === undefined) byCommand.set(command.constructor, (perClass = new Map()))
  const template = slot === null ? undefined : perClass.get(slot)
  if (template) {
    const request = { ...template.request, headers: { ...template.request.headers }, query: { ...template.request.query } }
    if (template.HttpRequest) Object.setPrototypeOf(request, template.HttpRequest)
    request.path = template.prefix + encodeKey(command.input.Key)
    const presigned = await s3Presign(template.signer, request,
      { ...template.signOptions, signingDate: options.signingDate ?? new Date() })
    return formatUrl(presigned)
  }
  const { presigned, captured, signer } = await presignThroughStack(client, command, options)
  if (slot !== null && captured) {
    const encoded = encodeKey(command.input.Key)
    const path = captured.request.path
    if (typeof path === 'string' && path.endsWith(encoded)) {
      const { signingDate, ...signOptions } = captured.signOptions
      perClass.set(slot, {
        request: captured.request,
        HttpRequest: null,
        prefix: path.slice(0, path.length - encoded.length),
        signOptions,
        signer,
      })
    }
  }
  return formatUrl(presigned)
}

module.exports = { getSignedUrl, formatUrl }
