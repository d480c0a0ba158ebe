// ESM entry point of libsigv4/aws4.
import cjs from './aws4.js'
export const { sign, RequestSigner } = cjs
export default cjs
