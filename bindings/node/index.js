'use strict'
// libsigv4 for Node: a native SigV4 signer (Rust core via napi-rs) and the helpers around it.
const native = require('#native')
const { Signer } = require('./lib/signer')
const { SigV4Error, HttpError } = require('./lib/errors')
const { createSignedFetch, createApiClient, regionFromHost } = require('./lib/fetch')
const { aws4Interceptor } = require('./lib/axios')
const { batch } = require('./lib/batch')
const { Verifier, VerificationError } = require('./lib/verifier')
const { sigv4Middleware, withSigV4 } = require('./lib/middleware')
const { StreamingUpload } = require('./lib/streaming')
const { createRedisReplayStore } = require('./lib/replay-store')
const { signV4With } = require('./lib/sign-v4')

module.exports = {
  Signer,
  signV4: signV4With(native.signV4),
  sha256Hex: native.sha256Hex,
  version: native.version,
  SigV4Error,
  HttpError,
  createSignedFetch,
  createApiClient,
  aws4Interceptor,
  batch,
  regionFromHost,
  Verifier,
  VerificationError,
  sigv4Middleware,
  withSigV4,
  StreamingUpload,
  createRedisReplayStore,
}
