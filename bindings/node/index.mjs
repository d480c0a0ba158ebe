// ESM entry point of libsigv4 (the CommonJS module is the implementation).
import cjs from './index.js'
export const {
  Signer, signV4, sha256Hex, version, SigV4Error, HttpError,
  createSignedFetch, createApiClient, aws4Interceptor, batch, regionFromHost,
  Verifier, VerificationError, sigv4Middleware, withSigV4, StreamingUpload,
  createRedisReplayStore,
} = cjs
export default cjs
