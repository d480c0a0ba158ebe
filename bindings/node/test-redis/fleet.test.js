'use strict'
// Replay protection shared by a fleet through a real Redis (issue 17), in Node: the node-redis store
// on its own, two node:http processes sharing one Redis (accepted by one, RequestReplayed by the
// other), Redis stopped mid-run (ReplayStoreUnavailable, nothing accepted twice) and restarted
// (recovery without restarting the apps), and 1,000 concurrent distinct requests across both.
// Needs SIGV4_REDIS_PORT / SIGV4_REDIS_DIR from tests/replay/with-redis.sh (make test-replay).
const test = require('node:test')
const assert = require('node:assert/strict')
const path = require('node:path')
const http = require('node:http')
const { spawn, spawnSync } = require('node:child_process')
const crypto = require('node:crypto')
const { createClient } = require('redis')
const { Signer, Verifier, createRedisReplayStore, VerificationError } = require('..')

const PORT = Number(process.env.SIGV4_REDIS_PORT)
const DIR = process.env.SIGV4_REDIS_DIR
const URL_ = `redis://127.0.0.1:${PORT}/0`
const HOST = 'api.fleet.test'
const signer = new Signer({ credentials: { accessKeyId: 'AKIDFLEET', secretAccessKey: 'fleet-secret-key' }, region: 'us-east-1', service: 'execute-api' })

assert.ok(PORT > 0 && DIR, 'run under tests/replay/with-redis.sh (make test-replay)')

function signed(p) {
  const s = signer.sign({ method: 'GET', url: `https://${HOST}${p}` })
  return { path: p, headers: s.headers }
}
const unique = (tag) => `/items/${tag}-${crypto.randomBytes(8).toString('hex')}`

const agent = new http.Agent({ keepAlive: true, maxSockets: 64 })
function send(port, { path: p, headers }) {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: p, headers: { ...headers, host: HOST }, agent }, (res) => {
      const chunks = []
      res.on('data', (c) => chunks.push(c))
      res.on('end', () => {
        const body = Buffer.concat(chunks).toString()
        resolve(res.statusCode === 200 ? [200, 'OK'] : [res.statusCode, JSON.parse(body).__type])
      })
    })
    req.on('error', reject)
    req.setTimeout(30000, () => req.destroy(new Error('timeout')))
    req.end()
  })
}

function redisCli(...args) { return spawnSync('redis-cli', ['-p', String(PORT), ...args], { encoding: 'utf8' }) }
async function waitRedis(up) {
  for (let i = 0; i < 200; i++) {
    const ok = redisCli('ping').stdout.trim() === 'PONG'
    if (ok === up) return
    await new Promise((r) => setTimeout(r, 20))
  }
  throw new Error(`redis did not come ${up ? 'up' : 'down'}`)
}
async function stopRedis() { redisCli('shutdown', 'nosave'); await waitRedis(false) }
async function startRedis() {
  // As with-redis.sh started it: append-only, fsync always, same directory (keys survive).
  const r = spawnSync('redis-server', ['--port', String(PORT), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'yes',
    '--appendfsync', 'always', '--dir', DIR, '--daemonize', 'yes', '--logfile', path.join(DIR, 'restart.log')])
  assert.equal(r.status, 0)
  await waitRedis(true)
}

function startInstance() {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(__dirname, 'fleet-app.js'), URL_], { stdio: ['ignore', 'pipe', 'inherit'] })
    let out = ''
    child.stdout.on('data', (d) => {
      out += d
      const m = /PORT (\d+)/.exec(out)
      if (m) resolve({ child, port: Number(m[1]) })
    })
    child.on('exit', (code) => reject(new Error(`instance exited ${code}`)))
  })
}

let a, b
test.before(async () => { [a, b] = await Promise.all([startInstance(), startInstance()]) })
test.after(() => { agent.destroy(); for (const i of [a, b]) i && i.child.kill() })

test('the node-redis store: SET NX with the window as expiry, prefix, verdicts', async () => {
  const client = createClient({ url: URL_ })
  await client.connect()
  try {
    const prefix = `t-${crypto.randomBytes(4).toString('hex')}:`
    const store = createRedisReplayStore({ client, prefix })
    assert.equal(await store.claim('k', 5000), true)
    assert.equal(await store.claim('k', 5000), false)
    const pttl = Number(await client.sendCommand(['PTTL', `${prefix}k`]))
    assert.ok(pttl > 4000 && pttl <= 5000, String(pttl))
    // The identity's key and window from the core: header-signed, kept until signing + 900 s.
    const v = new Verifier({ credentials: { AKIDFLEET: 'fleet-secret-key' }, region: 'us-east-1', service: 'execute-api' })
    const s = signer.sign({ method: 'GET', url: `https://${HOST}/one`, timestamp: new Date('2024-01-01T00:00:00Z') })
    const who = v.verify({ method: 'GET', url: `https://${HOST}/one`, headers: s.headers }, { now: new Date('2024-01-01T00:01:40Z') })
    assert.match(who.replayKey, /^[0-9a-f]{64}$/)
    assert.equal(who.replayExpiresAtMs, Date.parse('2024-01-01T00:15:01Z'))
    assert.equal('replayKey' in who.toJSON(), false)
    assert.throws(() => createRedisReplayStore({ client: {} }), /client/)
    assert.throws(() => createRedisReplayStore({ client, timeoutMs: 0 }), /timeoutMs/)
  } finally {
    await client.quit()
  }
})

test('accepted by one process, refused as RequestReplayed by the other', async () => {
  const first = signed(unique('ab'))
  assert.deepEqual(await send(a.port, first), [200, 'OK'])
  assert.deepEqual(await send(b.port, first), [403, 'RequestReplayed'])
  assert.deepEqual(await send(a.port, first), [403, 'RequestReplayed'])
  const second = signed(unique('ba'))
  assert.deepEqual(await send(b.port, second), [200, 'OK'])
  assert.deepEqual(await send(a.port, second), [403, 'RequestReplayed'])
})

test('Redis stopped mid-run: refused with ReplayStoreUnavailable (503); restarted: recovers', async () => {
  const before = signed(unique('before'))
  assert.deepEqual(await send(a.port, before), [200, 'OK'])
  const during = Array.from({ length: 10 }, (_, i) => signed(unique(`during${i}`)))
  await stopRedis()
  try {
    for (const r of during) {
      for (const port of [a.port, b.port]) assert.deepEqual(await send(port, r), [503, 'ReplayStoreUnavailable'])
    }
    assert.notEqual((await send(b.port, before))[0], 200, 'an accepted request is never accepted again')
  } finally {
    await startRedis()
  }
  // node-redis reconnects on its own (reconnectStrategy 100 ms): no app restart.
  let recovered = false
  for (let i = 0; i < 100 && !recovered; i++) {
    const probe = signed(unique('probe'))
    recovered = (await send(a.port, probe))[0] === 200 && (await send(b.port, signed(unique('probe'))))[0] === 200
    if (!recovered) await new Promise((r) => setTimeout(r, 100))
  }
  assert.ok(recovered, 'both instances accept again after the restart')
  for (const [i, r] of during.entries()) {
    const results = i % 2 ? [await send(a.port, r), await send(b.port, r)] : [await send(b.port, r), await send(a.port, r)]
    assert.deepEqual(results.map(String).sort(), ['200,OK', '403,RequestReplayed'])
  }
  assert.deepEqual(await send(b.port, before), [403, 'RequestReplayed'])
})

test('1,000 concurrent distinct requests across two processes: each accepted exactly once', async () => {
  const requests = Array.from({ length: 1000 }, (_, i) => signed(unique(`c${i}`)))
  const outcomes = await Promise.all(requests.map((r) => Promise.all([send(a.port, r), send(b.port, r)])))
  const wins = { a: 0, b: 0 }
  for (const [ra, rb] of outcomes) {
    assert.deepEqual([ra, rb].map(String).sort(), ['200,OK', '403,RequestReplayed'])
    wins[ra[0] === 200 ? 'a' : 'b']++
  }
  assert.equal(wins.a + wins.b, 1000)
})

test('fail open accepts unproven when configured; VerificationError codes', async () => {
  const down = { failOpen: true, claim: () => Promise.reject(new Error('connection refused')) }
  const { claimReplay } = require('../lib/replay-store')
  const v = new Verifier({ credentials: { AKIDFLEET: 'fleet-secret-key' }, region: 'us-east-1', service: 'execute-api' })
  const s = signed(unique('open'))
  const who = v.verify({ method: 'GET', url: `https://${HOST}${s.path}`, headers: s.headers })
  assert.match(await claimReplay(down, who), /fail open/)
  await assert.rejects(claimReplay({ claim: down.claim }, who), (e) => e instanceof VerificationError && e.code === 'ReplayStoreUnavailable' && e.status === 503)
  await assert.rejects(claimReplay({ claim: async () => false }, who), (e) => e.code === 'RequestReplayed' && e.status === 403)
  const slow = createRedisReplayStore({ client: { sendCommand: () => new Promise(() => {}) }, timeoutMs: 50 })
  await assert.rejects(claimReplay(slow, who), (e) => e.code === 'ReplayStoreUnavailable' && /timed out/.test(e.message))
})
