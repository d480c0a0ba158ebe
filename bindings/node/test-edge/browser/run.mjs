// Runs the edge suite in headless Chromium (Debian's package, /usr/bin/chromium, driven by playwright-core): the
// page loads libsigv4 through an esbuild bundle and signs and verifies the AWS suite, the S3 examples and the
// aws4fetch requests (the fetch checks need CORS preflights and HTTP/2 streaming uploads, so they run in workerd,
// Bun and Node instead).
import { fileURLToPath } from 'node:url'
import path from 'node:path'
import { createRequire } from 'node:module'
import { build } from 'esbuild'
import { chromium } from 'playwright-core'

const require = createRequire(import.meta.url)
const here = path.dirname(fileURLToPath(import.meta.url))
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync']

const bundle = await build({
  entryPoints: [path.join(here, 'page.mjs')],
  bundle: true,
  write: false,
  format: 'iife',
  platform: 'browser',
  loader: { '.wasm': 'binary' },
  logLevel: 'error',
})
const { prepare } = require('../prepare.js')
const data = await prepare()
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: FLAGS, headless: true })
try {
  const page = await browser.newPage()
  const errors = []
  page.on('pageerror', (e) => errors.push(String(e)))
  await page.setContent('<!doctype html><title>libsigv4</title>')
  await page.addScriptTag({ content: bundle.outputFiles[0].text })
  const r = await page.evaluate((d) => globalThis.runEdge(d), data)
  const ua = await page.evaluate(() => navigator.userAgent)
  for (const f of r.failures) console.log(`FAIL ${f.name}\n  ${f.message}`)
  for (const e of errors) console.log(`page error: ${e}`)
  console.log(`chromium ${/Chrome\/([\d.]+)/.exec(ua)?.[1]} (${r.backend}): ${r.passed} passed, ${r.failed} failed`)
  if (r.failed !== 0 || r.passed < 300 || r.backend !== 'wasm' || errors.length) process.exitCode = 1
} finally {
  await browser.close()
}
