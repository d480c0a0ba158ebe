#!/usr/bin/env bash
# Packs one target's `sigv4` command (cli/) as dist/sigv4-<version>-<target>.tar.gz:
#   sigv4-<version>-<target>/bin/sigv4, LICENSE, NOTICE, README.md.
# gnu builds need glibc >= 2.17 (zig links against 2.17's symbol versions); musl builds are static executables
# (no loader, no libc needed: they run on any Linux of that architecture, Alpine included).
# Usage: cli-tarball.sh <repo root> <cargo release dir of the target> <target> <version> <dist>
set -euo pipefail
root=$1 from=$2 target=$3 version=$4 dist=$5
name=sigv4-$version-$target
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
top=$work/$name
mkdir -p "$top/bin"
install -m 755 "$from/sigv4" "$top/bin/sigv4"
install -m 644 "$root/LICENSE" "$root/NOTICE" "$top/"
case $target in
  *musl) needs="nothing: a static executable (runs on any Linux on this architecture, Alpine included)" ;;
  *) needs="glibc 2.17 or newer" ;;
esac
cat >"$top/README.md" <<MD
# sigv4 $version for $target

The \`sigv4\` command: sign, send, presign, verify and explain AWS Signature Version 4 requests. Needs $needs.

    tar -xzf $name.tar.gz && install -m 755 $name/bin/sigv4 ~/.local/bin/
    sigv4 --help                     # every subcommand, exit codes
    sigv4 completions bash > ~/.local/share/bash-completion/completions/sigv4

License: Apache-2.0 (LICENSE, NOTICE).
MD
# The musl build must be static: no program interpreter, no NEEDED libraries.
case $target in
  *musl)
    if readelf -lW "$top/bin/sigv4" | grep -q 'INTERP' || readelf -dW "$top/bin/sigv4" | grep -q '(NEEDED)'; then
      echo "$name: the musl sigv4 is not a static executable" >&2; exit 1
    fi ;;
esac
tar --sort=name --owner=0 --group=0 --numeric-owner --mtime=@0 -C "$work" -czf "$dist/$name.tar.gz" "$name"
echo "$dist/$name.tar.gz"
