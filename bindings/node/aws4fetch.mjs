// ESM entry of libsigv4/aws4fetch (Node, Deno, Bun).
import aws4fetch from './lib/aws4fetch.js'

export const { AwsClient, AwsV4Signer } = aws4fetch
export default aws4fetch
