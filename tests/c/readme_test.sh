#!/usr/bin/env bash
# The README's C quick start compiles as written: the first ```c block of the C section must be
# examples/c/quickstart.c, which is then compiled with -Werror and run.
# Usage: readme_test.sh <repo root> <include dir> <lib dir> <out dir>
set -euo pipefail
trap 'echo "readme_test.sh: failed at line $LINENO" >&2' ERR
root=$1 include=$2 lib=$3 out=$4
awk '/<!-- c:start -->/{s=1} /<!-- c:end -->/{s=0} s' "$root/README.md" |
  awk '/^```c$/{if(!done){f=1; next}} /^```$/{if(f){f=0; done=1}} f' >"$out/readme_quickstart.c"
if ! diff -u "$root/examples/c/quickstart.c" "$out/readme_quickstart.c"; then
  echo "README C quick start differs from examples/c/quickstart.c" >&2
  exit 1
fi
gcc -std=c11 -Wall -Wextra -Werror -Wpedantic -I"$include" "$out/readme_quickstart.c" \
  -L"$lib" -Wl,-rpath,"$lib" -lsigv4 -o "$out/readme_quickstart"
"$out/readme_quickstart" >"$out/readme_quickstart.out"
grep -q '^Authorization: AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/' "$out/readme_quickstart.out"
echo "README quick start: 1 passed, 0 failed"
