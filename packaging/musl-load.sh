#!/usr/bin/env bash
# Loads a musl-linked addon or extension with musl's own dynamic loader, outside Node/Python (no musl build of
# either is available from the package registries): the host API it calls (napi_*, Py*) is stubbed, everything
# else must resolve against musl's libc at load time (musl binds every symbol immediately), and its constructors
# run. Usage: musl-load.sh <file> <C compiler for the target, words allowed> [runner prefix, e.g. qemu + -L root]
set -euo pipefail
file=$1 cc=$2
shift 2
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 "$here/linkage.py" stub "$file" >"$work/stub.c"
cat >"$work/load.c" <<'C'
#include <dlfcn.h>
#include <stdio.h>
int main(int argc, char **argv) {
  (void)argc;
  if (!dlopen(argv[1], RTLD_NOW | RTLD_GLOBAL)) { printf("stub: %s\n", dlerror()); return 1; }
  if (!dlopen(argv[2], RTLD_NOW | RTLD_LOCAL)) { printf("musl loader refused it: %s\n", dlerror()); return 1; }
  printf("musl loader: %s loaded, every symbol resolved\n", argv[2]);
  return 0;
}
C
# shellcheck disable=SC2086 # $cc may be "zig cc -target ..."
$cc -shared -fPIC -o "$work/stub.so" "$work/stub.c"
# shellcheck disable=SC2086
$cc -o "$work/load" "$work/load.c"
"$@" "$work/load" "$work/stub.so" "$file"
