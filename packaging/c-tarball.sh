#!/usr/bin/env bash
# Packs one target's C library as dist/libsigv4-<version>-<target>.tar.gz, a relocatable prefix:
#   libsigv4-<version>-<target>/lib/libsigv4.so.<version> (+ .so.<soversion>, .so links), lib/libsigv4.a,
#   include/sigv4.h, lib/pkgconfig/sigv4.pc (prefix from ${pcfiledir}), lib/cmake/sigv4/ (paths from the file's
#   own location), LICENSE, NOTICE, README.md.
# Usage: c-tarball.sh <repo root> <cargo release dir of the target> <target> <version> <soversion> <dist>
set -euo pipefail
root=$1 from=$2 target=$3 version=$4 so=$5 dist=$6
name=libsigv4-$version-$target
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
top=$work/$name
mkdir -p "$top/lib/pkgconfig" "$top/lib/cmake/sigv4" "$top/include"
install -m 755 "$from/libsigv4_ffi.so" "$top/lib/libsigv4.so.$version"
ln -s "libsigv4.so.$version" "$top/lib/libsigv4.so.$so"
ln -s "libsigv4.so.$so" "$top/lib/libsigv4.so"
install -m 644 "$from/libsigv4_ffi.a" "$top/lib/libsigv4.a"
install -m 644 "$root/include/sigv4.h" "$top/include/"
# shellcheck disable=SC2016 # ${pcfiledir} is for pkg-config to expand
sed -e 's|@PREFIX@|${pcfiledir}/../..|g' -e "s|@VERSION@|$version|g" "$root/ffi/pkg/sigv4.pc.in" >"$top/lib/pkgconfig/sigv4.pc"
sed -e "s|@VERSION@|$version|g" "$root/ffi/pkg/sigv4Config.cmake.in" >"$top/lib/cmake/sigv4/sigv4Config.cmake"
sed -e "s|@VERSION@|$version|g" "$root/ffi/pkg/sigv4ConfigVersion.cmake.in" >"$top/lib/cmake/sigv4/sigv4ConfigVersion.cmake"
install -m 644 "$root/LICENSE" "$root/NOTICE" "$top/"
cat >"$top/README.md" <<MD
# libsigv4 $version for $target

AWS Signature Version 4 for C and C++. Unpack anywhere (paths are relocatable), then:

    export PKG_CONFIG_PATH=\$PWD/$name/lib/pkgconfig
    cc app.c \$(pkg-config --cflags --libs sigv4) -Wl,-rpath,\$PWD/$name/lib
    cmake -DCMAKE_PREFIX_PATH=\$PWD/$name ...   # find_package(sigv4): sigv4::sigv4, sigv4::sigv4_static

The shared library's SONAME is libsigv4.so.$so (see VERSIONING.md in the repository); the header documents every
function. License: Apache-2.0 (LICENSE, NOTICE).
MD
readelf -d "$top/lib/libsigv4.so.$version" | grep "SONAME.*\[libsigv4\.so\.$so\]" >/dev/null ||
  { echo "$name: SONAME is not libsigv4.so.$so" >&2; exit 1; }
# Reproducible-ish archive: sorted names, fixed owner and time.
tar --sort=name --owner=0 --group=0 --numeric-owner --mtime=@0 -C "$work" -czf "$dist/$name.tar.gz" "$name"
echo "$dist/$name.tar.gz"
