#!/usr/bin/env bash
# Stages the npm packages with napi-rs's release commands and packs them into dist/:
#   create-npm-dirs  npm/<platform>/package.json (name libsigv4-<platform>, os/cpu/libc, main = the .node)
#   artifacts        moves each sigv4.<platform>.node from the build into its npm/<platform>/
#   pre-publish      adds the platform packages to the main package's optionalDependencies (no publishing)
# The main package gets the JS layer, the generated loader (native.js, native.d.ts) and no .node file.
# Usage: npm-stage.sh <bindings/node> <build/dist/node> <dist> <repo root>
set -euo pipefail
node_dir=$1 build=$2 dist=$3 root=$4
stage=$build/stage
napi=$node_dir/node_modules/.bin/napi
rm -rf "$stage" && mkdir -p "$stage"

# The main package: every entry of package.json "files" except addons, plus the loader of the host build.
node - "$node_dir" "$stage" <<'JS'
const fs = require('fs'), path = require('path')
const [src, dst] = process.argv.slice(2)
const pkg = require(path.join(src, 'package.json'))
for (const entry of pkg.files) {
  // Addons go to the platform packages; the loader comes from the build; LICENSE from the repository root.
  if (entry.includes('*') || entry.startsWith('native.') || entry === 'LICENSE') continue
  fs.cpSync(path.join(src, entry), path.join(dst, entry), { recursive: true })
}
// The main package ships no addon (napi artifacts also drops copies at the package root; they are removed below).
pkg.files = pkg.files.filter((f) => !f.endsWith('.node')).concat(['NOTICE'])
fs.writeFileSync(path.join(dst, 'package.json'), JSON.stringify(pkg, null, 2) + '\n')
JS
cp "$build/x86_64-unknown-linux-gnu/native.js" "$build/x86_64-unknown-linux-gnu/native.d.ts" "$stage/"
cp "$root/LICENSE" "$root/NOTICE" "$stage/"

cd "$stage"
"$napi" create-npm-dirs --npm-dir npm >/dev/null
"$napi" artifacts --output-dir "$build/artifacts" --npm-dir npm >/dev/null
"$napi" pre-publish --npm-dir npm --skip-optional-publish >/dev/null
rm -f ./*.node

for dir in npm/*/; do
  cp "$root/LICENSE" "$dir"
  # The platform package's README says what it is (create-npm-dirs writes a one-liner).
  name=$(node -p "require('./$dir/package.json').name")
  printf '# %s\n\nThe prebuilt native addon of [libsigv4](https://www.npmjs.com/package/libsigv4) for %s.\nInstall `libsigv4`, not this package: npm picks this one through optionalDependencies.\n' \
    "$name" "${name#libsigv4-}" >"$dir/README.md"
done

# optionalDependencies must name every platform package at this version; no addon in the main package.
node -e "
const pkg = require('./package.json'), fs = require('fs')
const dirs = fs.readdirSync('npm')
const want = Object.fromEntries(dirs.map(d => [require('./npm/' + d + '/package.json').name, pkg.version]))
const got = pkg.optionalDependencies || {}
if (JSON.stringify(Object.entries(got).sort()) !== JSON.stringify(Object.entries(want).sort()))
  { console.error('optionalDependencies', got, 'expected', want); process.exit(1) }
for (const d of dirs) {
  const p = require('./npm/' + d + '/package.json')
  if (!fs.existsSync('npm/' + d + '/' + p.main)) { console.error('missing addon', d); process.exit(1) }
  if (!p.os || !p.cpu || !p.libc) { console.error('os/cpu/libc missing', d); process.exit(1) }
}
"
mkdir -p "$dist"
npm pack --silent --pack-destination "$dist" >/dev/null
for dir in npm/*/; do (cd "$dir" && npm pack --silent --pack-destination "$dist" >/dev/null); done
ls "$dist"/libsigv4-*.tgz
