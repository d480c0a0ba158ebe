// `libsigv4/aws4fetch` under the workerd, worker and browser conditions: loads the WebAssembly build first.
import './entry.mjs'
import aws4fetch from '../lib/aws4fetch.js'

export const { AwsClient, AwsV4Signer } = aws4fetch
export default aws4fetch
