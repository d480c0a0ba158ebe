// The edge benchmark's workloads, run inside each runtime (workerd, Node's WebAssembly backend): libsigv4's
// WebAssembly build next to aws4fetch 1.0.20 (WebCrypto), same inputs. Timing is by CPU time (run.mjs): in
// workerd from outside (the workerd process's threads, /proc/<pid>/task/*/schedstat), in Node with
// process.cpuUsage() — CPU time is what Workers meter, and on a shared machine wall-clock time measures the load.
// W1: GET https://example.amazonaws.com/?Param2=value2&Param1=value1 (service "service").
// W4: PUT of a 1 MiB body with its payload hashed (service "execute-api": aws4fetch hashes with WebCrypto; for
// S3 it would send UNSIGNED-PAYLOAD and hash nothing).

import { profile } from './profile.mjs'

/** The timed functions, by workload (`profile`: bench/node/edge/profile.mjs's pieces, with PROFILE=1). */
export function workloads(lib, ours, Ref, withProfile) {
  const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' }
  const w1 = { url: 'https://example.amazonaws.com/?Param2=value2&Param1=value1', service: 'service', region: 'us-east-1', ...credentials }
  const signer = new lib.Signer({ credentials, region: 'us-east-1', service: 'service' })
  const body = new Uint8Array(1 << 20).fill(120)
  const w4 = { url: 'https://abc.execute-api.us-east-1.amazonaws.com/prod/upload', method: 'PUT', body, service: 'execute-api', region: 'us-east-1', ...credentials }
  const api = new lib.Signer({ credentials, region: 'us-east-1', service: 'execute-api' })
  const refClient = new Ref.AwsClient({ ...credentials, service: 'service', region: 'us-east-1' })
  const ourClient = new ours.AwsClient({ ...credentials, service: 'service', region: 'us-east-1' })
  // Reading what sign() returned, as a caller does: the URL as text and every header.
  const read = (s) => s.url.href.length + [...s.headers].length
  const out = {
    w1: {
      ref: () => new Ref.AwsV4Signer({ ...w1 }).sign(),
      refPrep: () => new Ref.AwsV4Signer({ ...w1 }),
      async: () => new ours.AwsV4Signer({ ...w1 }).sign(),
      sync: () => new ours.AwsV4Signer({ ...w1 }).signSync(),
      refRead: async () => read(await new Ref.AwsV4Signer({ ...w1 }).sign()),
      asyncRead: async () => read(await new ours.AwsV4Signer({ ...w1 }).sign()),
      refClient: () => refClient.sign(w1.url),
      client: () => ourClient.sign(w1.url),
      signer: () => signer.sign({ method: 'GET', url: w1.url }),
    },
    w4: {
      ref: () => new Ref.AwsV4Signer({ ...w4 }).sign(),
      async: () => new ours.AwsV4Signer({ ...w4 }).sign(),
      sync: () => new ours.AwsV4Signer({ ...w4 }).signSync(),
      signer: () => api.sign({ method: 'PUT', url: w4.url, body }),
      signerAsync: () => api.signAsync({ method: 'PUT', url: w4.url, body }),
    },
  }
  if (withProfile) out.profile = profile(lib, ours, Ref)
  return out
}

/** Runs `fn` `n` times, one after another (awaiting each). */
export async function repeat(fn, n) {
  for (let i = 0; i < n; i++) await fn()
}
