// Migrating from aws4: change the import, nothing else. libsigv4/aws4 takes the same options,
// infers service and region from the host the same way, reads the same environment variables and
// returns the same (mutated) object, signed by the libsigv4 core.
//
//   - import { sign } from 'aws4'
//   + import { sign } from 'libsigv4/aws4'
import { sign } from 'libsigv4/aws4'
import { Signer } from 'libsigv4'

const functionUrl = process.env.FUNCTION_URL ?? 'https://abc.lambda-url.us-east-1.on.aws/'
const { host } = new URL(functionUrl)

/** aws4 style: a request description in, the same object out with Host, X-Amz-Date and Authorization set. */
export function signedForAxiosOrFetch(body: object) {
  const signed = sign({
    method: 'POST',
    service: 'lambda',
    region: 'us-east-1',
    host,
    path: '/',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  })
  return { url: functionUrl, method: signed.method, headers: signed.headers as Record<string, string>, data: signed.body }
}

/** The native API: a reusable signer (derived keys cached), typed results, no mutation. */
export function nativeStyle(body: object) {
  const signer = new Signer({ region: 'us-east-1', service: 'lambda' })
  const s = signer.sign({ method: 'POST', url: functionUrl, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) })
  return { url: s.url, method: s.method, headers: s.headers, data: JSON.stringify(body) }
}
