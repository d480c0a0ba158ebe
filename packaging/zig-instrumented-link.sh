#!/bin/bash
# The linker of a profile-instrumented build made through cargo-zigbuild (mk/dist.mk, `python-pgo-profile`).
# rustc passes the profiler runtime as "-u __llvm_profile_runtime", which zig cc reads as an input file; this passes
# it as -Wl,--undefined=... and hands everything to the zig linker cargo-zigbuild set up for $PGO_TARGET.
set -euo pipefail
var="CARGO_TARGET_$(echo "${PGO_TARGET:?PGO_TARGET names the target triple}" | tr 'a-z.-' 'A-Z__')_LINKER"
linker="${!var:?cargo-zigbuild did not set $var}"
args=()
undefined=0
for arg in "$@"; do
  if [ "$undefined" = 1 ]; then
    args+=("-Wl,--undefined=$arg")
    undefined=0
  elif [ "$arg" = "-u" ]; then
    undefined=1
  else
    args+=("$arg")
  fi
done
exec "$linker" "${args[@]}"
