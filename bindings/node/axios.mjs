// ESM entry point of libsigv4/axios.
import cjs from './lib/axios.js'
export const { aws4Interceptor } = cjs
export default cjs
