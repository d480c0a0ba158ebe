// The edge suite in Deno (npm's `deno` package, 2.9.6). The package is installed as npm would install it — its
// published files copied into a temporary node_modules (Deno's node_modules mode: a package.json beside) — and
// `libsigv4` resolves through its Node entry points, whose native half in Deno is the WebAssembly build
// (lib/native.js; asserted below). Node prepares the data (the real aws4fetch and aws4 compute the expected
// outputs) and runs the local server; Deno runs with read access to the package and net access to 127.0.0.1 only.
import { spawn } from 'node:child_process'
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, mkdirSync } from 'node:fs'
import { createRequire } from 'node:module'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const require = createRequire(import.meta.url)
const here = path.dirname(fileURLToPath(import.meta.url))
const pkg = path.join(here, '..', '..')
const deno = path.join(pkg, 'node_modules', '.bin', 'deno')

/** A project directory with libsigv4 in node_modules: the files `npm pack` would publish. */
function install(dir) {
  const target = path.join(dir, 'node_modules', 'libsigv4')
  mkdirSync(target, { recursive: true })
  const { files } = JSON.parse(readFileSync(path.join(pkg, 'package.json'), 'utf8'))
  cpSync(path.join(pkg, 'package.json'), path.join(target, 'package.json'))
  for (const entry of files) {
    if (entry.startsWith('*')) {
      for (const f of readdirSync(pkg).filter((f) => f.endsWith(entry.slice(1)))) cpSync(path.join(pkg, f), path.join(target, f))
    } else if (readdirSync(pkg).includes(entry.replace(/\/$/, ''))) {
      cpSync(path.join(pkg, entry), path.join(target, entry), { recursive: true })
    }
  }
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'libsigv4-deno-test', private: true, type: 'module' }))
  writeFileSync(path.join(dir, 'main.mjs'), `
import * as lib from 'libsigv4'
import * as edge from 'libsigv4/edge'
import * as aws4fetch from 'libsigv4/aws4fetch'
import aws4 from 'libsigv4/aws4'
import { runSuite } from ${JSON.stringify(pathToFileURL(path.join(here, '..', 'suite.mjs')).href)}

if (edge.backend !== 'wasm') throw new Error('Deno loaded the ' + edge.backend + ' backend, not the WebAssembly build')
const data = JSON.parse(await Deno.readTextFile(Deno.args[0]))
// Deno's fetch sends a ReadableStream body with Transfer-Encoding: chunked and drops its Content-Length,
// which an aws-chunked S3 upload signs and S3 requires: that one fetch check is left out here.
const r = await runSuite(lib, aws4fetch, data, { fetchUrl: Deno.args[1], aws4, streamUpload: false })
for (const f of r.failures) console.log('FAIL ' + f.name + '\\n  ' + f.message)
console.log('deno ' + Deno.version.deno + ' (' + edge.backend + '): ' + r.passed + ' passed, ' + r.failed + ' failed')
Deno.exit(r.failed === 0 && r.passed > 300 ? 0 : 1)
`)
}

const dir = mkdtempSync(path.join(os.tmpdir(), 'libsigv4-deno-'))
const { prepare } = require('../prepare.js')
const server = require('../server.js')
const { server: srv, url } = await server.start()
try {
  install(dir)
  writeFileSync(path.join(dir, 'data.json'), JSON.stringify(await prepare()))
  const host = new URL(url).host
  const code = await new Promise((resolve, reject) => {
    const child = spawn(deno, ['run', '--no-prompt', `--allow-read=${dir},${path.join(here, '..')}`, `--allow-net=${host}`, 'main.mjs', 'data.json', url], {
      cwd: dir,
      stdio: 'inherit',
      env: { ...process.env, NO_COLOR: '1', DENO_NO_UPDATE_CHECK: '1', DENO_DIR: path.join(dir, '.deno') },
    })
    child.on('error', reject)
    child.on('exit', resolve)
  })
  process.exitCode = code === 0 ? 0 : 1
} finally {
  srv.close()
  rmSync(dir, { recursive: true, force: true })
}
