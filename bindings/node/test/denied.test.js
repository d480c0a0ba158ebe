'use strict'
// Operators see denials: `onDenied(error, req)` on sigv4Middleware and the diagnostics channel
// `libsigv4:denied`; a throwing hook still answers 403; no secret in what the hook gets.
const test = require('node:test')
const assert = require('node:assert/strict')
const http = require('node:http')
const diagnostics = require('node:diagnostics_channel')
const { Signer, Verifier, sigv4Middleware, SigV4Error } = require('..')

const credentials = { accessKeyId: 'AKIDDENIED', secretAccessKey: 'denied-secret-key-xyz' }
const scope = { region: 'us-east-1', service: 'execute-api' }

async function serve(options) {
  const verifier = new Verifier({ credentials: { [credentials.accessKeyId]: credentials.secretAccessKey }, ...scope })
  const mw = sigv4Middleware(verifier, options)
  const server = http.createServer((req, res) => mw(req, res, () => res.end('ok')))
  await new Promise((r) => server.listen(0, '127.0.0.1', r))
  return { url: `http://127.0.0.1:${server.address().port}`, close: () => new Promise((r) => { server.closeAllConnections(); server.close(r) }) }
}

test('onDenied and the diagnostics channel see each refusal', async () => {
  const seen = []
  const published = []
  const listener = (m) => published.push(m.error.code)
  diagnostics.subscribe('libsigv4:denied', listener)
  const s = await serve({ onDenied: (e, req) => seen.push({ code: e.code, url: req.url, method: req.method, e }) })
  try {
    const signed = new Signer({ credentials, ...scope }).sign({ method: 'GET', url: `${s.url}/items?a=1` })
    const r = await fetch(`${s.url}/items?a=2`, { headers: signed.headers })
    assert.equal(r.status, 403)
    assert.equal((await fetch(`${s.url}/x`)).status, 403)
    assert.deepEqual(seen.map(({ code, url, method }) => ({ code, url, method })), [
      { code: 'SignatureDoesNotMatch', url: '/items?a=2', method: 'GET' },
      { code: 'MissingAuthenticationToken', url: '/x', method: 'GET' },
    ])
    assert.match(seen[0].e.canonicalRequest, /^GET\n\/items\na=2\n/)
    assert.ok(!JSON.stringify(seen[0].e).includes(credentials.secretAccessKey))
    assert.deepEqual(published, ['SignatureDoesNotMatch', 'MissingAuthenticationToken'])
  } finally {
    diagnostics.unsubscribe('libsigv4:denied', listener)
    await s.close()
  }
})

test('a throwing onDenied still answers 403; a non-function is refused', async () => {
  const s = await serve({ onDenied: () => { throw new Error('hook broke') } })
  try {
    assert.equal((await fetch(`${s.url}/x`)).status, 403)
  } finally { await s.close() }
  const verifier = new Verifier({ credentials: { A: 'B' }, ...scope })
  assert.throws(() => sigv4Middleware(verifier, { onDenied: 'log' }), (e) => e instanceof SigV4Error && e.code === 'InvalidOption')
})
