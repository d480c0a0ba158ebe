// `make bench-edge PROFILE=1`: where W1 through libsigv4/aws4fetch spends its time, piece by piece, next to the
// same pieces of aws4fetch (request objects, the date, the crossing into WebAssembly, the core's signing).
import native from '../../../bindings/node/wasm/backend.js'

export function profile(lib, ours, Ref) {
  const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' }
  const w1 = { url: 'https://example.amazonaws.com/?Param2=value2&Param1=value1', service: 'service', region: 'us-east-1', ...credentials }
  const h = native.sdkHandle(credentials.accessKeyId, credentials.secretAccessKey, 'us-east-1', 'service')
  const packed = 'GET\0/?Param2=value2&Param1=value1\x0020150830T123600Z\0host\0example.amazonaws.com\0x-amz-date\x0020150830T123600Z'
  const E = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'
  const AUTH = 'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500'
  const small = new Uint8Array(200).fill(97)
  return {
    'aws4fetch sign()': () => new Ref.AwsV4Signer({ ...w1 }).sign(),
    'aws4fetch constructor': () => new Ref.AwsV4Signer({ ...w1 }),
    'libsigv4 sign()': () => new ours.AwsV4Signer({ ...w1 }).sign(),
    'libsigv4 constructor': () => new ours.AwsV4Signer({ ...w1 }),
    'new URL': () => new URL(w1.url),
    'new Headers + set + keys': () => { const hd = new Headers({}); hd.delete('Host'); hd.set('X-Amz-Date', '20150830T123600Z'); return [...hd.keys()] },
    'Headers(pairs)': () => new Headers([['authorization', AUTH], ['x-amz-date', '20150830T123600Z']]),
    'Headers(record)': () => new Headers({ authorization: AUTH, 'x-amz-date': '20150830T123600Z' }),
    'Headers() + set x2': () => { const hd = new Headers(); hd.set('authorization', AUTH); hd.set('x-amz-date', '20150830T123600Z'); return hd },
    'sign() + url.href': async () => (await new ours.AwsV4Signer({ ...w1 }).sign()).url.href,
    'sign() + headers': async () => (await new ours.AwsV4Signer({ ...w1 }).sign()).headers,
    'sign() + [...headers]': async () => [...(await new ours.AwsV4Signer({ ...w1 }).sign()).headers],
    'ref sign() + [...headers]': async () => [...(await new Ref.AwsV4Signer({ ...w1 }).sign()).headers],
    'date string': () => new Date().toISOString().replace(/[:-]|\.\d{3}/g, ''),
    'sdkSign (crossing + core)': () => native.sdkSign(h, packed, E, 32),
    'sha256Hex 200 B': () => native.sha256Hex(small),
    'version() (crossing only)': () => native.version(),
  }
}
