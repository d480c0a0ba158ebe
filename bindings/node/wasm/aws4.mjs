// `libsigv4/aws4` under the workerd, worker and browser conditions: loads the WebAssembly build first.
import './entry.mjs'
import aws4 from '../lib/aws4.js'

export const { sign, RequestSigner } = aws4
export default aws4
