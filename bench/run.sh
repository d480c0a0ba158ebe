#!/usr/bin/env bash
# make bench's runner: every table's own make target in turn (never in parallel: they would disturb each other's
# timings), its output shown and kept in <logs>/<target>.log, a failed table reported without stopping the others,
# then a summary (target, seconds, result) with the machine's load, since every figure depends on it.
# Usage: run.sh "<make command>" <log dir> <target>...
set -uo pipefail
make=$1 logs=$2
shift 2
mkdir -p "$logs"
load() { cut -d' ' -f1-3 /proc/loadavg; }
echo "make bench: $(date -u +%FT%TZ), $(nproc) CPUs, load average $(load); tables: $*"
summary=()
failed=0
for t in "$@"; do
  echo "==== $t"
  s=$(date +%s)
  # shellcheck disable=SC2086 # $make is a command with its options
  if $make "$t" 2>&1 | tee "$logs/$t.log"; then r=ok; else r=FAILED; failed=1; fi
  summary+=("$(printf '%-24s %6s s  %-6s  load average %s' "$t" $(($(date +%s) - s)) "$r" "$(load)")")
done
echo "==== make bench: $(date -u +%FT%TZ); logs in $logs/"
printf '%s\n' "${summary[@]}"
exit $failed
