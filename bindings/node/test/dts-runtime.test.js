'use strict'
// The hand-written .d.ts files match the runtime, both ways, for every entry point of the package: each
// value a module exports at runtime is declared and each declared value exists; for each exported class,
// every method and getter on its prototype is declared, and every method the .d.ts declares exists on the
// prototype chain. The runtime lists are taken here, the declared ones by tsc from a generated file whose
// types only check when both lists are equal (a difference names the members in tsc's error).
// (Declared data properties set by constructors are not compared: they exist only on instances.)
const test = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const { execFileSync } = require('node:child_process')

const PKG = path.join(__dirname, '..')
const TSC = path.join(PKG, 'node_modules', '.bin', 'tsc')
const ENTRY_POINTS = ['libsigv4', 'libsigv4/aws4', 'libsigv4/aws4fetch', 'libsigv4/axios', 'libsigv4/fetch', 'libsigv4/aws-sdk']

const union = (names) => (names.length === 0 ? 'never' : names.map((n) => JSON.stringify(n)).join(' | '))

function isClass(v) {
  return typeof v === 'function' && v.prototype !== undefined && /^(class\b|function [A-Z])/.test(Function.prototype.toString.call(v))
}

/** Own string-named members of a class prototype (methods and accessors), without the constructor. */
function ownMembers(cls) {
  return Object.getOwnPropertyNames(cls.prototype).filter((n) => n !== 'constructor')
}

/** Function-valued members along the prototype chain, up to Object.prototype. */
function chainMethods(cls) {
  const out = new Set()
  for (let p = cls.prototype; p !== null && p !== Object.prototype; p = Object.getPrototypeOf(p)) {
    for (const n of Object.getOwnPropertyNames(p)) {
      const d = Object.getOwnPropertyDescriptor(p, n)
      if (n !== 'constructor' && typeof d.value === 'function') out.add(n)
    }
  }
  return [...out]
}

const PACKAGE = JSON.parse(fs.readFileSync(path.join(PKG, 'package.json'), 'utf8'))

/** Members the entry point's .d.ts declares `protected` or `private` (kept out of `keyof` by tsc). */
function hidden(spec) {
  const sub = spec === 'libsigv4' ? '.' : '.' + spec.slice('libsigv4'.length)
  const text = fs.readFileSync(path.join(PKG, PACKAGE.exports[sub].types), 'utf8')
  return new Set([...text.matchAll(/^\s+(?:protected|private) (\w+)/gm)].map((x) => x[1]))
}

function checkSource(spec, index) {
  const m = require(spec)
  const notPublic = hidden(spec)
  const runtime = Object.keys(m).filter((n) => n !== 'default' && n !== '__esModule')
  let src = `import * as M from '${spec}'\n` +
    'type Report<Undeclared, Missing> = [Undeclared] extends [never] ? ([Missing] extends [never] ? \'ok\' : { declaredButNotAtRuntime: Missing }) : { atRuntimeButNotDeclared: Undeclared }\n' +
    'type Names<T> = Exclude<Extract<keyof T, string>, \'default\'>\n' +
    'type MethodNames<I> = Extract<{ [K in keyof I]-?: I[K] extends (...args: any[]) => any ? K : never }[keyof I], string>\n' +
    `type Runtime = ${union(runtime)}\n` +
    'export const exportsMatch: Report<Exclude<Runtime, Names<typeof M>>, Exclude<Names<typeof M>, Runtime>> = \'ok\'\n'
  for (const name of runtime.filter((n) => isClass(m[n]))) {
    src += `type I_${name} = InstanceType<typeof M.${name}>\n` +
      `export const ${name}Members: Report<Exclude<${union(ownMembers(m[name]).filter((n) => !notPublic.has(n)))}, keyof I_${name}>, Exclude<MethodNames<I_${name}>, ${union(chainMethods(m[name]))}>> = 'ok'\n`
  }
  return { file: `entry${index}.ts`, src, classes: runtime.filter((n) => isClass(m[n])).length }
}

test('every entry point\'s .d.ts declares exactly its runtime exports and class members (tsc)', () => {
  const sources = ENTRY_POINTS.map(checkSource)
  assert.ok(sources.reduce((n, s) => n + s.classes, 0) >= 10, 'the runtime lists found the exported classes')
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sigv4-dts-'))
  try {
    const modules = path.join(dir, 'node_modules')
    fs.mkdirSync(modules)
    fs.symlinkSync(PKG, path.join(modules, 'libsigv4'), 'dir')
    for (const dep of ['axios', '@types']) fs.symlinkSync(path.join(PKG, 'node_modules', dep), path.join(modules, dep), 'dir')
    for (const s of sources) fs.writeFileSync(path.join(dir, s.file), s.src)
    const config = {
      compilerOptions: { module: 'nodenext', target: 'es2022', strict: true, noEmit: true, types: ['node'], lib: ['es2022', 'dom'], skipLibCheck: false },
      files: sources.map((s) => s.file),
    }
    fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify(config))
    try {
      execFileSync(TSC, ['-p', path.join(dir, 'tsconfig.json')], { stdio: 'pipe', cwd: dir })
    } catch (e) {
      assert.fail(`the .d.ts files and the runtime differ:\n${e.stdout}${e.stderr}\n${sources.map((s) => `--- ${s.file}\n${s.src}`).join('\n')}`)
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
})
