#!/usr/bin/env bash
# Lambda layers from the artefacts in dist/, one per runtime and architecture:
#   libsigv4-<version>-lambda-layer-python-<arch>.zip   python/sigv4/... (pip --platform manylinux2014_<arch>)
#   libsigv4-<version>-lambda-layer-nodejs-<arch>.zip   nodejs/node_modules/libsigv4 + libsigv4-linux-<x64|arm64>-gnu
# Lambda's Amazon Linux 2/2023 have glibc >= 2.26, so the gnu artefacts (glibc 2.17 floor) serve every runtime.
# Usage: lambda-layers.sh <dist> <work dir> <version>
set -euo pipefail
dist=$1 work=$2 version=$3
rm -rf "$work" && mkdir -p "$work"
zipdir() { # <dir> <zip>: the dir's contents at the top of the zip (python/..., nodejs/...)
  rm -f "$2"
  (cd "$1" && python3 -c 'import sys, os, zipfile
with zipfile.ZipFile(sys.argv[1], "w", zipfile.ZIP_DEFLATED) as z:
    for top, dirs, files in os.walk("."):
        dirs.sort()
        for f in sorted(files):
            p = os.path.join(top, f)
            z.write(p, os.path.relpath(p, "."))' "$2")
}
for arch in x86_64 arm64; do
  case $arch in x86_64) wheel=manylinux2014_x86_64 npm=x64;; arm64) wheel=manylinux2014_aarch64 npm=arm64;; esac
  py=$work/python-$arch
  python3 -m pip install -q --disable-pip-version-check --root-user-action=ignore --no-index --find-links "$dist" \
    --platform "$wheel" --only-binary=:all: --python-version 3.12 --target "$py/python" libsigv4=="$version"
  zipdir "$py" "$dist/libsigv4-$version-lambda-layer-python-$arch.zip"

  nd=$work/nodejs-$arch/nodejs/node_modules
  mkdir -p "$nd/libsigv4" "$nd/libsigv4-linux-$npm-gnu"
  tar -xzf "$dist/libsigv4-$version.tgz" -C "$nd/libsigv4" --strip-components=1
  tar -xzf "$dist/libsigv4-linux-$npm-gnu-$version.tgz" -C "$nd/libsigv4-linux-$npm-gnu" --strip-components=1
  zipdir "$work/nodejs-$arch" "$dist/libsigv4-$version-lambda-layer-nodejs-$arch.zip"
done
ls "$dist"/*lambda-layer*
