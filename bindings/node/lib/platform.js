'use strict'
// Which prebuilt binaries exist and how to get the right one: the error thrown when none loads.
const pkg = require('../package.json')

const ARCH = { x86_64: 'x64', aarch64: 'arm64', i686: 'ia32', armv7: 'arm', riscv64gc: 'riscv64' }

/** `x86_64-unknown-linux-gnu` -> `linux-x64-gnu` (napi-rs's platform package suffix), or null. */
function platformOfTriple(triple) {
  const m = /^([a-z0-9_]+)-[a-z]+-linux-(gnu|musl)/.exec(triple)
  return m && ARCH[m[1]] ? `linux-${ARCH[m[1]]}-${m[2]}` : null
}

/** The platform packages this version publishes (napi.targets in package.json, one home). */
function platformPackages() {
  return pkg.napi.targets.map(platformOfTriple).filter(Boolean).map((p) => `${pkg.name}-${p}`)
}

/** This process's platform in the same spelling (`linux-arm64-gnu`, `darwin-arm64`, ...). */
function currentPlatform() {
  let key = `${process.platform}-${process.arch}`
  if (process.platform === 'linux') {
    let glibc
    try {
      glibc = process.report.getReport().header.glibcVersionRuntime
    } catch {
      glibc = undefined
    }
    key += glibc ? '-gnu' : '-musl'
    return { key, libc: glibc ? `glibc ${glibc}` : 'musl' }
  }
  return { key, libc: null }
}

/** The error for "no prebuilt binary could be loaded": what this is, what exists, the command to fix it. */
function noBinaryError(cause) {
  const { key, libc } = currentPlatform()
  const packages = platformPackages()
  const wanted = `${pkg.name}-${key}`
  const shown = `${key.split('-').slice(0, 2).join('-')}${libc ? ` (${libc})` : ''}, Node ${process.version}`
  const fix = packages.includes(wanted)
    ? `Its package is ${wanted}, which is missing or failed to load: reinstall with ` +
      `\`npm install ${pkg.name}@${pkg.version}\` (optional dependencies must not be omitted: no --omit=optional / ` +
      `--no-optional), or add it directly: \`npm install ${wanted}@${pkg.version}\`. When bundling on another ` +
      `machine (e.g. for Lambda), install the target's package there: \`npm install --no-save --os=linux ` +
      `--cpu=${key.split('-')[1]} --libc=${key.endsWith('musl') ? 'musl' : 'glibc'} ${pkg.name}@${pkg.version}\`.`
    : `${pkg.name} ${pkg.version} has no prebuilt binary for this platform; build it from source (Rust >= 1.75: ` +
      '`npm run build:release` in the package directory).'
  const err = new Error(
    `libsigv4: no native binary loaded for ${shown}. Prebuilt packages exist for: ${packages.join(', ')}. ${fix}`,
  )
  err.name = 'SigV4Error'
  err.code = 'NativeBindingMissing'
  err.platform = key
  err.packages = packages
  err.cause = cause
  return err
}

module.exports = { noBinaryError, platformPackages, currentPlatform, platformOfTriple }
