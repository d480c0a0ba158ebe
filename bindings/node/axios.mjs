// ESM entry point of libsigv4/axios.
import cjs from './lib/axios.js'
export const { aws4Interceptor, interceptor, getAuthErrorMessage } = cjs
// aws4-axios' default export is the interceptor factory.
export default cjs.aws4Interceptor
