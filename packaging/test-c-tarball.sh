#!/usr/bin/env bash
# One C tarball as a user consumes it: unpacked, then moved (the paths are relocatable), found through pkg-config
# by the C suite (tests/c/vectors.c over the AWS v4 suite) and by examples/c/quickstart.c linked statically, and
# through CMake's find_package by tests/c/cmake (glibc targets: the consumer is C++, and musl-tools has no C++).
# aarch64 programs are cross-compiled and run under qemu-user with the arm64 sysroot.
# The last line printed is the result for the table.
# Usage: test-c-tarball.sh <repo root> <tarball> <target> <work dir> <arm64 sysroot work dir (arm64-sysroot.sh)>
set -euo pipefail
root=$1 tarball=$2 target=$3 work=$4 sysroot_work=$5
sysroot=$sysroot_work/root
version=$(sed -n 's/^version = "\([^"]*\)"/\1/p' "$root/Cargo.toml" | head -n1)
rm -rf "$work" && mkdir -p "$work/unpack"
tar -xzf "$tarball" -C "$work/unpack"
mv "$work/unpack/libsigv4-$version-$target" "$work/prefix"
prefix=$work/prefix
run=()
cmake_cross=()
case $target in
  x86_64-unknown-linux-gnu) cc=gcc cxx=g++ how=native ;;
  aarch64-unknown-linux-gnu)
    cc=aarch64-linux-gnu-gcc cxx=aarch64-linux-gnu-g++ how="emulated (qemu)" run=(qemu-aarch64-static -L "$sysroot")
    cmake_cross=(-DCMAKE_SYSTEM_NAME=Linux -DCMAKE_SYSTEM_PROCESSOR=aarch64 -DCMAKE_C_COMPILER=$cc -DCMAKE_CXX_COMPILER=$cxx) ;;
  x86_64-unknown-linux-musl) cc=musl-gcc cxx="" how="native, musl" ;;
  aarch64-unknown-linux-musl)
    cc="aarch64-linux-gnu-gcc -specs $sysroot_work/musl-gcc-arm64.specs" cxx="" how="emulated (qemu), musl" run=(qemu-aarch64-static -L "$sysroot") ;;
esac
export PKG_CONFIG_PATH=$prefix/lib/pkgconfig
[ "$(pkg-config --modversion sigv4)" = "$version" ]
readelf -d "$prefix/lib/libsigv4.so" | grep 'SONAME.*\[libsigv4\.so\.0\]' >/dev/null
c=$root/tests/c
# shellcheck disable=SC2046,SC2086 # pkg-config output and $cc are word lists
$cc -std=c11 -Wall -Wextra -Werror $(pkg-config --cflags sigv4) -I"$c" "$c/vectors.c" "$c/suite.c" "$c/util.c" \
  -o "$work/vectors" $(pkg-config --libs sigv4) -Wl,-rpath,"$prefix/lib" -pthread
suite=$("${run[@]}" "$work/vectors" "$root/tests/vectors/aws-signing-test-suite/v4" | tail -1)
echo "$suite"
case $suite in *" 0 failed") ;; *) exit 1 ;; esac
used="pkg-config (shared)"
# The static library needs an unwinder from the toolchain (libgcc_eh). Debian's musl-gcc specs pull in the glibc
# build of libgcc_eh (it calls glibc's _dl_find_object), so the static link is checked on glibc targets only; on a
# musl system (Alpine) libgcc_eh is musl's own.
if [ "${target##*-}" = gnu ]; then
  # shellcheck disable=SC2046,SC2086
  $cc -std=c11 -Wall -Wextra -Werror $(pkg-config --cflags sigv4) "$root/examples/c/quickstart.c" -o "$work/quickstart" \
    "$prefix/lib/libsigv4.a" $(pkg-config --static --libs-only-l sigv4 | sed 's/-lsigv4//')
  "${run[@]}" "$work/quickstart" | grep '^Authorization: AWS4-HMAC-SHA256' >/dev/null
  used="$used, static .a"
fi
if [ -n "$cxx" ]; then
  cmake -S "$c/cmake" -B "$work/cmake" -DCMAKE_PREFIX_PATH="$prefix" "${cmake_cross[@]}" >"$work/cmake.log" ||
    { cat "$work/cmake.log"; exit 1; }
  cmake --build "$work/cmake" >>"$work/cmake.log" 2>&1 || { cat "$work/cmake.log"; exit 1; }
  "${run[@]}" "$work/cmake/consumer"
  "${run[@]}" "$work/cmake/consumer_static"
  used="$used, CMake (shared, static)"
fi
echo "C suite ${suite#*: }; $used; $how"
