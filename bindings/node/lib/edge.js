'use strict'
// The package's API for Workers, browsers, Deno and Bun (and Node): everything that needs no Node built-in —
// Signer, Verifier, streaming uploads, the fetch helpers — over the WebAssembly build (or the addon in Node, as
// `#native` resolves). `init`/`initSync` load the module where the entry point did not (see wasm/entry.mjs).
const native = require('#native')
const { Signer, SignedRequest } = require('./signer')
const { Verifier, VerificationError, VerifiedStream, VerifiedIdentity } = require('./verifier')
const { StreamingUpload } = require('./streaming')
const { SigV4Error, HttpError } = require('./errors')
const { createSignedFetch, createApiClient, regionFromHost } = require('./fetch')
const { batch } = require('./batch')
const { signV4With } = require('./sign-v4')

const ready = async () => {}

module.exports = {
  Signer,
  SignedRequest,
  Verifier,
  VerificationError,
  VerifiedStream,
  VerifiedIdentity,
  StreamingUpload,
  SigV4Error,
  HttpError,
  createSignedFetch,
  createApiClient,
  regionFromHost,
  batch,
  signV4: signV4With(native.signV4),
  sha256Hex: native.sha256Hex,
  version: native.version,
  /** Loads the WebAssembly module from a Module, bytes, a URL or a Response (no-op when loaded or native). */
  init: native.init || ready,
  /** Loads the WebAssembly module from a Module or bytes, synchronously. */
  initSync: native.initSync || (() => {}),
  /** `wasm` or `napi`. */
  backend: native.backend || 'napi',
}
