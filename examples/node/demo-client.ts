// The TypeScript side of `make demo`: the request-signer module calling an IAM-protected API —
// invoke, a batch with a concurrency limit, and a route that fails twice before succeeding (each
// retry signed afresh: new X-Amz-Date, new signature).
//
//   node examples/node/dist/demo-client.js <baseUrl> [--expect-demo]
//
// Credentials: AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (/ AWS_SESSION_TOKEN); region AWS_REGION
// (default us-east-1); service execute-api. With --expect-demo (what `make demo` passes) every
// outcome is checked against the local demo server (examples/demo/server.py) and the exit code is
// 1 when one differs; without it, calls are made and printed, nothing is asserted.
import {
  batchInvokeApiGateway, describeError, invokeApiGateway, invokeApiGatewayWithRetry, useFetch,
} from './request-signer.js'

const TAG = '[node]'

/** One signed attempt as the server received it. */
interface Attempt {
  method: string
  url: string
  headers: Record<string, string>
  status: number
  body: string
}

const attempts: Attempt[] = []

/** Records every attempt (signed headers, status, body prefix) on its way through fetch. */
const recordingFetch: typeof fetch = async (input, init) => {
  const response = await fetch(input, init)
  const headers: Record<string, string> = {}
  new Headers(init?.headers).forEach((v, k) => { headers[k] = v })
  const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url
  attempts.push({ method: init?.method ?? 'GET', url, headers, status: response.status, body: await response.clone().text() })
  return response
}

/** The signed headers, abbreviated for the transcript (signatures cut, tokens hidden). */
function short(headers: Record<string, string>): string {
  const items: string[] = []
  for (const [name, value] of Object.entries(headers)) {
    const low = name.toLowerCase()
    if (low === 'authorization') {
      const scope = value.split('Credential=')[1]?.split(',')[0]
      const signature = value.split('Signature=')[1] ?? ''
      items.push(`Authorization=…Credential=${scope}…Signature=${signature.slice(0, 12)}…`)
    } else if (low === 'x-amz-date') {
      items.push(`X-Amz-Date=${value}`)
    } else if (low === 'x-amz-security-token') {
      items.push('X-Amz-Security-Token=<hidden>')
    }
  }
  return items.join(', ') || '(no SigV4 headers)'
}

function signaturePrefix(a: Attempt): string {
  return (a.headers.authorization ?? '').split('Signature=')[1]?.slice(0, 12) ?? ''
}

class Transcript {
  failures: string[] = []
  constructor(readonly strict: boolean) {}

  /** Prints the attempts of one call and checks the final status (and the number of attempts). */
  record(label: string, calls: Attempt[], expect: number, expectAttempts = 1): void {
    const last = calls[calls.length - 1]
    const ok = last !== undefined && last.status === expect && calls.length === expectAttempts
    const mark = !this.strict ? '-' : ok ? 'ok' : 'UNEXPECTED'
    if (last === undefined) {
      console.log(`${TAG} ${label}: no request was sent   [expected ${expect}: ${mark}]`)
    } else {
      const path = last.url.replace(/^[a-z]+:\/\/[^/]+/, '')
      console.log(`${TAG} ${label}: ${last.method} ${path.slice(0, 70)}`)
      calls.forEach((a, i) => {
        const prefix = calls.length > 1 ? `attempt ${i + 1}: ` : ''
        console.log(`${TAG}     ${prefix}signed: ${short(a.headers)}`)
        if (calls.length > 1 && i < calls.length - 1) console.log(`${TAG}     ${prefix}-> ${a.status} ${a.body.slice(0, 80)}`)
      })
      console.log(`${TAG}     -> ${last.status} ${last.body.slice(0, 110)}   [expected ${expect}: ${mark}]`)
    }
    if (this.strict && !ok) {
      this.failures.push(`${label}: got ${calls.map((c) => c.status).join(',') || 'nothing'}, expected ${expect} after ${expectAttempts} attempt(s)`)
    }
  }

  check(label: string, ok: boolean, detail: string): void {
    console.log(`${TAG} ${label}: ${detail}   [${!this.strict ? '-' : ok ? 'ok' : 'UNEXPECTED'}]`)
    if (this.strict && !ok) this.failures.push(`${label}: ${detail}`)
  }
}

/** Runs `call`, returning the attempts it made (and its result or error). */
async function observe<T>(call: () => Promise<T>): Promise<{ calls: Attempt[]; value?: T; error?: unknown }> {
  const start = attempts.length
  try {
    const value = await call()
    return { calls: attempts.slice(start), value }
  } catch (error) {
    return { calls: attempts.slice(start), error }
  }
}

async function main(argv: string[]): Promise<number> {
  const args = argv.filter((a) => !a.startsWith('--'))
  const strict = argv.includes('--expect-demo')
  const base = (args[0] ?? process.env.API_URL ?? '').replace(/\/+$/, '')
  if (!base) {
    console.error('usage: node examples/node/dist/demo-client.js <baseUrl> [--expect-demo]')
    return 2
  }
  process.env.AWS_REGION ??= 'us-east-1'
  useFetch(recordingFetch)
  const log = new Transcript(strict)

  // 1. Invoke: POST /jobs, then GET /jobs/{id}.
  const created = await observe(() => invokeApiGateway<{ job?: { id: string } }>(base, 'POST', '/jobs', { jobType: 'blog-post', topic: 'Real Estate Market Trends' }))
  log.record('invoke POST', created.calls, 200)
  const jobId = created.value?.job?.id ?? 'job-1'
  const fetched = await observe(() => invokeApiGateway(base, 'GET', `/jobs/${jobId}`))
  log.record('invoke GET by id', fetched.calls, 200)

  // 2. A batch: four POST /jobs, at most two in flight.
  const topics = ['mortgage rates', 'open houses', 'staging tips', 'market report']
  const start = attempts.length
  const settled = await batchInvokeApiGateway(topics.map((topic) => ({ apiUrl: base, method: 'POST', path: '/jobs', body: { jobType: 'social-post', topic } })), 2)
  const batchCalls = attempts.slice(start)
  batchCalls.forEach((a, i) => log.record(`batch ${i + 1}/${topics.length}`, [a], 200))
  log.check('batch', settled.every((r) => r.status === 'fulfilled') && batchCalls.length === topics.length,
    `${settled.filter((r) => r.status === 'fulfilled').length}/${topics.length} fulfilled, concurrency 2`)

  // 3. Retry: the route answers 503 twice, then 200; every attempt is signed afresh.
  const run = `node-${process.pid}-${Date.now()}`
  const retried = await observe(() => invokeApiGatewayWithRetry(base, 'GET', '/flaky', undefined, { run }, 3, 100))
  if (retried.error !== undefined) console.log(`${TAG}     error: ${describeError(retried.error)}`)
  log.record('retry GET /flaky', retried.calls, 200, 3)
  const dates = retried.calls.map((a) => a.headers['x-amz-date'])
  const signatures = retried.calls.map(signaturePrefix)
  log.check('retry re-signed', new Set(signatures).size === retried.calls.length && new Set(dates).size === retried.calls.length,
    retried.calls.map((a, i) => `#${i + 1} ${dates[i]}/${signatures[i]}`).join(' ') || 'no attempts')

  if (log.failures.length > 0) {
    console.log(`${TAG} ${log.failures.length} unexpected outcome(s):\n  ${log.failures.join('\n  ')}`)
    return 1
  }
  console.log(strict ? `${TAG} all outcomes as expected` : `${TAG} done`)
  return 0
}

main(process.argv.slice(2)).then((code) => { process.exitCode = code }, (error) => {
  console.error(`${TAG} ${describeError(error)}`)
  process.exitCode = 1
})
