// `libsigv4` under the workerd, worker and browser conditions: the WebAssembly build, loaded from the `.wasm`
// module import that Workers (wrangler, miniflare) and bundlers resolve — a WebAssembly.Module (Workers,
// esbuild's `file`-less setups), its bytes (esbuild `--loader:.wasm=binary`), or a URL (`--loader:.wasm=file`,
// Vite `?url`: then `await ready` before signing).
import wasm from './sigv4.wasm'
import edge from '../lib/edge.js'

const isUrl = typeof wasm === 'string' || (typeof URL !== 'undefined' && wasm instanceof URL)
if (!isUrl) edge.initSync(wasm)

/** Resolves when the module is loaded (at once unless the bundler gave a URL). */
export const ready = isUrl ? edge.init(wasm) : Promise.resolve()

export const {
  Signer, SignedRequest, Verifier, VerificationError, VerifiedStream, VerifiedIdentity, StreamingUpload,
  SigV4Error, HttpError, createSignedFetch, createApiClient, regionFromHost, batch, signV4, sha256Hex, version,
  init, initSync, backend,
} = edge
export default edge
