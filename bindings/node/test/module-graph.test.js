'use strict'
// The addon's Rust modules (src/*.rs) import each other without a cycle (`crate::x` references), and every
// module file is declared in src/lib.rs (no file left behind, dead).
const test = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const path = require('node:path')

const SRC = path.join(__dirname, '..', 'src')

test('src/ modules form no import cycle and every file is a declared module', () => {
  const files = fs.readdirSync(SRC).filter((f) => f.endsWith('.rs') && f !== 'lib.rs')
  const mods = files.map((f) => f.slice(0, -3))
  const lib = fs.readFileSync(path.join(SRC, 'lib.rs'), 'utf8')
  for (const m of mods) assert.match(lib, new RegExp(`^mod ${m};$`, 'm'), `src/${m}.rs is not declared in lib.rs`)
  const uses = new Map(mods.map((m) => {
    const text = fs.readFileSync(path.join(SRC, `${m}.rs`), 'utf8')
    return [m, new Set([...text.matchAll(/crate::(\w+)/g)].map((x) => x[1]).filter((d) => d !== m && mods.includes(d)))]
  }))
  assert.ok([...uses.values()].some((s) => s.size > 0), 'the scan found the imports')
  // Depth-first search; a module met again while still on the path closes a cycle.
  const state = new Map()
  const visit = (m, trail) => {
    if (state.get(m) === 'done') return
    if (state.get(m) === 'open') assert.fail(`import cycle: ${[...trail, m].join(' -> ')}`)
    state.set(m, 'open')
    for (const d of uses.get(m)) visit(d, [...trail, m])
    state.set(m, 'done')
  }
  for (const m of mods) visit(m, [])
})
