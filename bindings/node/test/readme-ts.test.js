'use strict'
// The README's TypeScript snippets (```ts blocks) compile with `tsc --strict` under both
// "module": "commonjs" and "module": "nodenext", importing the package by its name and subpaths
// (libsigv4, libsigv4/aws4, libsigv4/axios, libsigv4/fetch) as a user's project would.
const test = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const { execFileSync } = require('node:child_process')

const PKG = path.join(__dirname, '..')
const README = path.join(PKG, '..', '..', 'README.md')
const TSC = path.join(PKG, 'node_modules', '.bin', 'tsc')

// The values the snippets use without defining them (a user's own variables).
const PREAMBLE = `declare const accessKeyId: string, secretAccessKey: string, sessionToken: string
declare const size: number, file: string, crc: string, host: string
declare const method: string, url: string, headers: Record<string, string>, body: string, now: Date
declare const app: { use(handler: (req: any, res: any, next: (err?: unknown) => void) => void): void }
declare const credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string }
`

/** Each ```ts block as a module: its imports on top, the rest inside an async function. */
function snippets(markdown) {
  const blocks = [...markdown.matchAll(/^```ts\n([\s\S]*?)^```$/gm)].map((m) => m[1])
  return blocks.map((block, i) => {
    const lines = block.split('\n')
    const imports = lines.filter((l) => /^import /.test(l))
    const rest = lines.filter((l) => !/^import /.test(l))
    return `${imports.join('\n')}\n${PREAMBLE}\nexport async function snippet${i}(): Promise<unknown> {\n${rest.join('\n')}\n  return undefined\n}\n`
  })
}

test('the README\'s TypeScript snippets compile with tsc --strict (commonjs and nodenext)', () => {
  const sources = snippets(fs.readFileSync(README, 'utf8'))
  assert.ok(sources.length >= 5, `only ${sources.length} ts blocks`)
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sigv4-readme-ts-'))
  try {
    const modules = path.join(dir, 'node_modules')
    fs.mkdirSync(modules)
    fs.symlinkSync(PKG, path.join(modules, 'libsigv4'), 'dir')
    for (const dep of ['axios', '@types']) fs.symlinkSync(path.join(PKG, 'node_modules', dep), path.join(modules, dep), 'dir')
    const files = sources.map((src, i) => {
      const name = `snippet${i}.ts`
      fs.writeFileSync(path.join(dir, name), src)
      return name
    })
    for (const module of ['commonjs', 'nodenext']) {
      const config = {
        compilerOptions: { module, target: 'es2022', strict: true, noEmit: true, types: ['node'], lib: ['es2022', 'dom'], esModuleInterop: true, skipLibCheck: false },
        files,
      }
      fs.writeFileSync(path.join(dir, `tsconfig.${module}.json`), JSON.stringify(config))
      try {
        execFileSync(TSC, ['-p', path.join(dir, `tsconfig.${module}.json`)], { stdio: 'pipe', cwd: dir })
      } catch (e) {
        assert.fail(`tsc (module ${module}) failed:\n${e.stdout}${e.stderr}\n${sources.map((s, i) => `--- snippet${i}.ts\n${s}`).join('\n')}`)
      }
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
})
