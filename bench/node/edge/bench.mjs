// The edge benchmark, run inside each runtime (workerd, Node's WebAssembly backend): libsigv4's WebAssembly
// build next to aws4fetch 1.0.20 (WebCrypto), same run, same inputs, timed in interleaved rounds (best round
// each). Clocks in Workers move only between I/O events, so every timed batch starts and ends with a timer.
// W1: GET https://example.amazonaws.com/?Param2=value2&Param1=value1 (service "service").
// W4: PUT of a 1 MiB body with its payload hashed (service "execute-api": aws4fetch hashes with WebCrypto; for
// S3 it would send UNSIGNED-PAYLOAD and hash nothing).

const tick = () => new Promise((resolve) => setTimeout(resolve, 0))
// Date.now: workerd's performance.now() stays still during a request; Date.now() moves on every timer.
const clock = () => Date.now()

async function timeAll(fns, { rounds = 5, batchMs = 150 } = {}) {
  const best = {}
  const size = {}
  for (const [name, fn] of Object.entries(fns)) {
    for (let i = 0; i < 3; i++) await fn() // warm up
    best[name] = Infinity
    size[name] = 4
  }
  for (let r = 0; r < rounds; r++) {
    for (const [name, fn] of Object.entries(fns)) {
      // One timer before and one after a batch; the batch grows until it lasts batchMs.
      for (;;) {
        const n = size[name]
        await tick()
        const start = clock()
        for (let i = 0; i < n; i++) await fn()
        await tick()
        const elapsed = clock() - start
        if (elapsed >= batchMs) {
          best[name] = Math.min(best[name], (elapsed * 1000) / n)
          break
        }
        size[name] = elapsed <= 0 ? n * 8 : Math.ceil((n * batchMs * 1.2) / elapsed)
      }
    }
  }
  return best // microseconds per call
}

export async function runBench(lib, ours, RefSigner, { rounds = 5 } = {}) {
  const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' }
  const w1 = { url: 'https://example.amazonaws.com/?Param2=value2&Param1=value1', service: 'service', region: 'us-east-1', ...credentials }
  const signer = new lib.Signer({ credentials, region: 'us-east-1', service: 'service' })
  const body = new Uint8Array(1 << 20).fill(120)
  const w4 = { url: 'https://abc.execute-api.us-east-1.amazonaws.com/prod/upload', method: 'PUT', body, service: 'execute-api', region: 'us-east-1', ...credentials }
  const api = new lib.Signer({ credentials, region: 'us-east-1', service: 'execute-api' })
  const t1 = await timeAll({
    ref: () => new RefSigner({ ...w1 }).sign(),
    refPrep: () => new RefSigner({ ...w1 }),
    async: () => new ours.AwsV4Signer({ ...w1 }).sign(),
    sync: () => new ours.AwsV4Signer({ ...w1 }).signSync(),
    signer: () => signer.sign({ method: 'GET', url: w1.url }),
  }, { rounds })
  const t4 = await timeAll({
    ref: () => new RefSigner({ ...w4 }).sign(),
    async: () => new ours.AwsV4Signer({ ...w4 }).sign(),
    sync: () => new ours.AwsV4Signer({ ...w4 }).signSync(),
    signer: () => api.sign({ method: 'PUT', url: w4.url, body }),
    signerAsync: () => api.signAsync({ method: 'PUT', url: w4.url, body }),
  }, { rounds, batchMs: 300 })
  return { w1: t1, w4: t4 }
}
