// ESM entry point of libsigv4/fetch.
import cjs from './lib/fetch.js'
export const { createSignedFetch, createApiClient, regionFromHost } = cjs
export default cjs
