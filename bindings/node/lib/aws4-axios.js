'use strict'
// aws4-axios 3.x's interceptor, `aws4Interceptor({ options, credentials, instance })`, over
// libsigv4/aws4 (= aws4 1.13.2): the same request preparation as aws4-axios (URL from
// `instance.getUri`, the first `transformRequest`, axios' per-method header groups removed, the
// signed headers set back, `signQuery` merged into `params`, `addContentSha` after signing), so
// replacing the import is the whole migration. axios is the caller's (a peer, loaded on use).
const aws4 = require('./aws4')
const { SigV4Error } = require('./errors')

/**
 * axios, loaded on first use. The require sits in a try block so that bundlers (esbuild, as CDK and SAM run it)
 * bundle axios when it is installed and otherwise leave it out with a warning instead of failing the build.
 */
function loadAxios() {
  try {
    return require('axios')
  } catch (err) {
    throw new SigV4Error('MissingDependency', `aws4-axios' interceptor arguments need the axios package (npm install axios): ${err.message}`, 'axios')
  }
}

function removeUndefined(obj) {
  const out = {}
  for (const [key, value] of Object.entries(obj)) if (value !== undefined) out[key] = value
  return out
}

function transformerOf(config) {
  const { transformRequest } = config
  if (transformRequest) {
    if (typeof transformRequest === 'function') return transformRequest
    if (transformRequest.length) return transformRequest[0]
  }
  throw new Error('Could not get default transformRequest function from Axios defaults')
}

// aws4-axios' AssumeRoleCredentialsProvider: STS AssumeRole (needs @aws-sdk/client-sts, as
// aws4-axios does), cached until `expirationMarginSec` before expiry.
class AssumeRoleCredentialsProvider {
  constructor(options) {
    this.options = { ...options, region: options.region || process.env.AWS_REGION, expirationMarginSec: options.expirationMarginSec || 5, roleSessionName: options.roleSessionName || 'axios' }
    const { STSClient } = require('@aws-sdk/client-sts')
    this.sts = new STSClient({ region: this.options.region })
  }

  async getCredentials() {
    if (!this.credentials || this.expired()) {
      const { AssumeRoleCommand } = require('@aws-sdk/client-sts')
      const res = await this.sts.send(new AssumeRoleCommand({ RoleArn: this.options.roleArn, RoleSessionName: this.options.roleSessionName }))
      if (!res.Credentials) throw new Error('Failed to get credentials from the assumed role')
      this.credentials = { accessKeyId: res.Credentials.AccessKeyId || '', secretAccessKey: res.Credentials.SecretAccessKey || '', sessionToken: res.Credentials.SessionToken }
      this.expiration = res.Credentials.Expiration
    }
    return this.credentials
  }

  expired() {
    return this.expiration !== undefined && Date.now() + this.options.expirationMarginSec * 1000 >= this.expiration.getTime()
  }
}

function credentialsProvider(credentials, options) {
  if (credentials && credentials.getCredentials !== undefined) return credentials
  if (options && options.assumeRoleArn && !credentials) {
    return new AssumeRoleCredentialsProvider({
      roleArn: options.assumeRoleArn,
      region: options.region,
      expirationMarginSec: options.assumedRoleExpirationMarginSec,
      roleSessionName: options.assumeRoleSessionName,
    })
  }
  return { getCredentials: () => Promise.resolve(credentials) }
}

/** aws4-axios' `aws4Interceptor({ instance, credentials, options })`. */
function aws4AxiosInterceptor({ instance, credentials, options } = {}) {
  const provider = credentialsProvider(credentials, options)
  return async (config) => {
    const axios = loadAxios()
    const url = (instance || axios.default || axios).getUri(config)
    if (!url) throw new Error('No URL present in request config, unable to sign request')
    const { host, pathname, search } = new URL(url)
    const { data, method } = config
    const transformRequest = transformerOf(config)
    // Save, and reset headers on retry
    if (config._originalHeaders) config.headers = new axios.AxiosHeaders(config._originalHeaders)
    else config._originalHeaders = new axios.AxiosHeaders(config.headers)
    const headers = config.headers
    const transformedData = transformRequest(data, headers)
    // axios' per-method header groups are not headers
    const { common, delete: _delete, get, head, post, put, patch, ...headersToSign } = headers
    const signingOptions = {
      method: method && method.toUpperCase(),
      host,
      path: pathname + search,
      region: options && options.region,
      service: options && options.service,
      signQuery: options && options.signQuery,
      body: transformedData,
      headers: removeUndefined(headersToSign),
    }
    aws4.sign(signingOptions, await provider.getCredentials())
    if (signingOptions.headers) {
      for (const [key, value] of Object.entries(signingOptions.headers)) config.headers.set(key, value)
    }
    if (signingOptions.signQuery) {
      const signedUrl = new URL(new URL(url).origin + signingOptions.path)
      config.params = { ...config.params, ...Object.fromEntries(signedUrl.searchParams.entries()) }
    }
    if (options && options.addContentSha) {
      config.headers.set('X-Amz-Content-Sha256', require('./native').sha256Hex(transformedData ?? ''))
    }
    return config
  }
}

/** True for aws4-axios' argument shape: `{ options?, credentials?, instance? }` and nothing else. */
function isAws4AxiosShape(arg) {
  if (!arg || typeof arg !== 'object') return false
  const keys = Object.keys(arg)
  return keys.length > 0 && keys.every((k) => k === 'options' || k === 'credentials' || k === 'instance')
}

/** aws4-axios' `getAuthErrorMessage(error)`: the `message` of an axios error's response body. */
function getAuthErrorMessage(error) {
  const axios = loadAxios()
  if ((axios.default || axios).isAxiosError(error)) {
    const data = error.response && error.response.data
    if (data) return data.message
  }
  return undefined
}

module.exports = { aws4AxiosInterceptor, isAws4AxiosShape, getAuthErrorMessage }
