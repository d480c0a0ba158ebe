#!/usr/bin/env bash
# Installs libsigv4 into a temporary prefix and builds against the installed copy only:
# examples/c with pkg-config (shared and static), and a C++ program with CMake find_package.
# Usage: install_test.sh <repo root> <make command> [make arguments...]
# (No `| grep -q` under pipefail: grep -q may exit early and fail the writer with SIGPIPE.)
set -euo pipefail
trap 'echo "install_test.sh: failed at line $LINENO" >&2' ERR
root=$1
shift
prefix=$(mktemp -d)
work=$(mktemp -d)
trap 'rm -rf "$prefix" "$work"' EXIT
passed=0

"$@" install PREFIX="$prefix" >"$work/install.log"
for f in lib/libsigv4.so lib/libsigv4.so.0 lib/libsigv4.a include/sigv4.h lib/pkgconfig/sigv4.pc \
  lib/cmake/sigv4/sigv4Config.cmake lib/cmake/sigv4/sigv4ConfigVersion.cmake; do
  [ -e "$prefix/$f" ] || { echo "not installed: $f" >&2; exit 1; }
done
readelf -d "$prefix/lib/libsigv4.so" | grep 'SONAME.*\[libsigv4\.so\.0\]' >/dev/null
if nm -D --defined-only "$prefix/lib/libsigv4.so" | awk '{print $NF}' | grep -v '^sigv4_'; then
  echo "the installed libsigv4.so exports symbols outside sigv4_*" >&2
  exit 1
fi
passed=$((passed + 1))

if ! command -v pkg-config >/dev/null; then
  echo "pkg-config missing: installing pkgconf from Debian's packages" >&2
  (apt-get install -y -q pkgconf >/dev/null 2>&1 ||
    { apt-get update -q >/dev/null && apt-get install -y -q pkgconf >/dev/null; })
fi
export PKG_CONFIG_PATH="$prefix/lib/pkgconfig"
pkg-config --exists sigv4
[ "$(pkg-config --modversion sigv4)" = "$(sed -n 's/^version = "\(.*\)"/\1/p' "$root/Cargo.toml" | head -n1)" ]
# shellcheck disable=SC2046
gcc -std=c11 -Wall -Wextra -Werror $(pkg-config --cflags sigv4) "$root/examples/c/sign_and_send.c" \
  -o "$work/sign_and_send" $(pkg-config --libs sigv4) -Wl,-rpath,"$prefix/lib"
# shellcheck disable=SC2046
gcc -std=c11 -Wall -Wextra -Werror $(pkg-config --cflags sigv4) "$root/examples/c/quickstart.c" \
  -o "$work/quickstart_static" "$prefix/lib/libsigv4.a" $(pkg-config --static --libs-only-l sigv4 | sed 's/-lsigv4//')
ldd "$work/sign_and_send" | grep "libsigv4.so.0 => $prefix/lib/libsigv4.so.0" >/dev/null
"$root/tests/c/run_example.sh" "$work/sign_and_send" >"$work/example.log" || { cat "$work/example.log"; exit 1; }
"$work/quickstart_static" >"$work/quickstart.out"
grep '^Authorization: AWS4-HMAC-SHA256' "$work/quickstart.out" >/dev/null
if ldd "$work/quickstart_static" | grep libsigv4 >/dev/null; then
  echo "quickstart_static is not statically linked to libsigv4" >&2
  exit 1
fi
passed=$((passed + 1))

cmake -S "$root/tests/c/cmake" -B "$work/cmake" -DCMAKE_PREFIX_PATH="$prefix" >"$work/cmake.log" ||
  { cat "$work/cmake.log"; exit 1; }
cmake --build "$work/cmake" >>"$work/cmake.log" 2>&1 || { cat "$work/cmake.log"; exit 1; }
"$work/cmake/consumer"
"$work/cmake/consumer_static"
passed=$((passed + 1))
echo "C install (pkg-config, CMake): $passed passed, 0 failed"
