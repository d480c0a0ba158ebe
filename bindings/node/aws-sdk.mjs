// ESM entry point of libsigv4/aws-sdk.
import cjs from './lib/aws-sdk.js'
export const { SignatureV4, getSignedUrl } = cjs
export default cjs
