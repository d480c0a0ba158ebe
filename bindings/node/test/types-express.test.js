'use strict'
// `req.sigv4` / `req.rawBody` are typed on Express's Request (index.d.ts augments the global Express
// namespace): a strict tsc run accepts the right types and rejects a wrong one.
const test = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const { spawnSync } = require('node:child_process')

const PKG = path.join(__dirname, '..')
const TSC = path.join(PKG, 'node_modules', '.bin', 'tsc')

function tsc(source) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sigv4-express-types-'))
  const file = path.join(dir, 'check.ts')
  fs.writeFileSync(file, source)
  try {
    return spawnSync(TSC, ['--strict', '--noEmit', '--types', 'node', '--typeRoots', path.join(PKG, 'node_modules', '@types'),
      '--module', 'nodenext', '--moduleResolution', 'nodenext', file], { encoding: 'utf8' })
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
}

const HEAD = `import type { VerifiedIdentity } from ${JSON.stringify(path.join(PKG, 'index.js'))}\ndeclare const req: Express.Request\n`

test('Express Request carries sigv4 and rawBody types', () => {
  const ok = tsc(HEAD + 'export const who: VerifiedIdentity | undefined = req.sigv4\nexport const raw: Buffer | undefined = req.rawBody\n')
  assert.equal(ok.status, 0, ok.stdout + ok.stderr)
  const bad = tsc(HEAD + 'export const who: number = req.sigv4\n')
  assert.notEqual(bad.status, 0)
  assert.match(bad.stdout, /VerifiedIdentity \| undefined' is not assignable to type 'number'/)
})
