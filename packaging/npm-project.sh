#!/usr/bin/env bash
# A fresh npm project depending on libsigv4 from dist/, as if from the registry: package.json "overrides" point the
# main package's optionalDependencies (libsigv4-linux-*) at dist/'s tarballs, so npm's own os/cpu/libc selection
# picks the platform package; nothing comes from the registry (--offline).
# Usage: npm-project.sh <dir> <dist> <version> [npm install flags, e.g. --os=linux --cpu=arm64 --libc=glibc]
set -euo pipefail
dir=$1 dist=$2 version=$3
shift 3
mkdir -p "$dir"
node - "$dir" "$dist" "$version" <<'JS'
const fs = require('fs'), path = require('path')
const [dir, dist, version] = process.argv.slice(2)
const tgz = (name) => 'file:' + path.join(dist, `${name}-${version}.tgz`)
const overrides = {}
for (const f of fs.readdirSync(dist)) {
  const m = /^(libsigv4-linux-[a-z0-9]+-[a-z]+)-[0-9.]+\.tgz$/.exec(f)
  if (m) overrides[m[1]] = tgz(m[1])
}
const pkg = { name: 'fresh', version: '1.0.0', private: true, dependencies: { libsigv4: tgz('libsigv4') }, overrides }
fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify(pkg, null, 2) + '\n')
JS
cd "$dir" && npm install --offline --no-audit --no-fund --loglevel=error "$@" >/dev/null
