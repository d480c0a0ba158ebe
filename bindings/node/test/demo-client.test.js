'use strict'
// examples/node/demo-client.ts, compiled with tsc, against a node:http stand-in for the demo API
// (examples/demo/server.py's routes, protected by withSigV4 with the replay cache on): every
// expected outcome happens and the transcript shows three differently signed attempts on /flaky.
const test = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const http = require('node:http')
const { execFile, execFileSync } = require('node:child_process')
const { Verifier, withSigV4 } = require('..')

const EXAMPLES = path.join(__dirname, '..', '..', '..', 'examples', 'node')
const TSC = path.join(__dirname, '..', 'node_modules', '.bin', 'tsc')
const ID = { accessKeyId: 'ASIADEMOTEST', secretAccessKey: 'demo-test-secret', sessionToken: 'demo-test-token/+==' }

function demoApi() {
  const jobs = new Map()
  const flaky = new Map()
  let next = 1
  return (req, res) => {
    const send = (status, obj) => { res.writeHead(status, { 'content-type': 'application/json' }); res.end(JSON.stringify(obj)) }
    const url = new URL(req.url, 'http://x')
    const caller = { access_key_id: req.sigv4.accessKeyId, amz_date: req.sigv4.amzDate }
    const body = req.rawBody.length ? JSON.parse(req.rawBody) : null
    if (url.pathname === '/jobs' && req.method === 'POST') {
      const job = { id: `job-${next++}`, status: 'queued', request: body }
      jobs.set(job.id, job)
      return send(200, { job, caller })
    }
    const m = /^\/jobs\/([\w-]+)$/.exec(url.pathname)
    if (m && req.method === 'GET') return jobs.has(m[1]) ? send(200, { job: jobs.get(m[1]), caller }) : send(404, { message: 'no job' })
    if (url.pathname === '/flaky') {
      const n = (flaky.get(url.search) ?? 0) + 1
      flaky.set(url.search, n)
      return n <= 2 ? send(503, { message: `try again (attempt ${n})` }) : send(200, { attempts: n, caller })
    }
    send(404, { message: 'no route' })
  }
}

test('the TypeScript demo client against a verifying server (replay cache on)', async () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'sigv4-demo-'))
  fs.mkdirSync(path.join(out, 'node_modules'))
  fs.symlinkSync(path.join(__dirname, '..'), path.join(out, 'node_modules', 'libsigv4'), 'dir')
  execFileSync(TSC, ['-p', path.join(EXAMPLES, 'tsconfig.json'), '--noEmit', 'false', '--outDir', out], { stdio: 'pipe' })
  const verifier = new Verifier({ credentials: { [ID.accessKeyId]: { secretAccessKey: ID.secretAccessKey, sessionToken: ID.sessionToken } }, region: 'us-east-1', service: 'execute-api', replayCache: true })
  const server = http.createServer(withSigV4(verifier, demoApi()))
  await new Promise((r) => server.listen(0, '127.0.0.1', r))
  const base = `http://127.0.0.1:${server.address().port}`
  const env = { ...process.env, AWS_ACCESS_KEY_ID: ID.accessKeyId, AWS_SECRET_ACCESS_KEY: ID.secretAccessKey, AWS_SESSION_TOKEN: ID.sessionToken, AWS_REGION: 'us-east-1' }
  try {
    const run = (args) => new Promise((resolve) => execFile(process.execPath, [path.join(out, 'demo-client.js'), ...args], { env }, (err, stdout, stderr) => resolve({ code: err ? err.code : 0, stdout, stderr })))
    const r = await run([base, '--expect-demo'])
    assert.equal(r.code, 0, r.stdout + r.stderr)
    const lines = r.stdout.trim().split('\n')
    assert.ok(lines.every((l) => l.startsWith('[node] ')), r.stdout)
    assert.match(r.stdout, /invoke POST: POST \/jobs\n.*X-Amz-Security-Token=<hidden>\n.*-> 200 .*\[expected 200: ok\]/)
    assert.equal((r.stdout.match(/batch \d\/4: POST \/jobs/g) || []).length, 4)
    assert.match(r.stdout, /attempt 1: -> 503/)
    assert.match(r.stdout, /attempt 2: -> 503/)
    assert.match(r.stdout, /retry re-signed: #1 \d{8}T\d{6}Z\/[0-9a-f]{12} #2 .* #3 .*\[ok\]/)
    assert.match(r.stdout, /all outcomes as expected/)
    assert.ok(!r.stdout.includes(ID.secretAccessKey) && !r.stdout.includes(ID.sessionToken))
    // Wrong credentials: the outcomes differ and the exit code says so.
    const bad = await new Promise((resolve) => execFile(process.execPath, [path.join(out, 'demo-client.js'), base, '--expect-demo'], { env: { ...env, AWS_SECRET_ACCESS_KEY: 'wrong' } }, (err, stdout) => resolve({ code: err ? err.code : 0, stdout })))
    assert.equal(bad.code, 1)
    assert.match(bad.stdout, /UNEXPECTED/)
  } finally {
    server.closeAllConnections()
    await new Promise((r) => server.close(r))
    fs.rmSync(out, { recursive: true, force: true })
  }
})
