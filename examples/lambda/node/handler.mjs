// A Lambda handler that signs an outgoing request with libsigv4 (native Signer) and libsigv4/aws4 (the aws4
// drop-in), as a service calling an IAM-protected API would. Credentials come from the Lambda environment
// (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN); the event names the request:
//   { "url": "https://abc123.execute-api.us-east-1.amazonaws.com/prod/jobs", "method": "GET", "service":
//     "execute-api", "region": "us-east-1", "timestamp": "20150830T123600Z" (optional; default now) }
// It returns the signed headers instead of sending them, so that it runs anywhere, including locally.
import { Signer, version } from 'libsigv4'
import aws4 from 'libsigv4/aws4'

export const handler = async (event, context) => {
  const url = new URL(event.url)
  const region = event.region ?? process.env.AWS_REGION
  const signer = new Signer({ region, service: event.service })
  const signed = signer.sign({ method: event.method ?? 'GET', url: url.href, timestamp: event.timestamp })
  const viaAws4 = aws4.sign({
    host: url.host, path: url.pathname + url.search, method: event.method ?? 'GET', service: event.service, region,
    headers: event.timestamp ? { 'X-Amz-Date': event.timestamp } : {},
  })
  return {
    statusCode: 200,
    body: JSON.stringify({
      libsigv4: version(),
      arch: process.arch,
      requestId: context.awsRequestId,
      signature: signed.signature,
      authorization: signed.headers.authorization ?? signed.headers.Authorization,
      aws4Authorization: viaAws4.headers.Authorization,
    }),
  }
}
