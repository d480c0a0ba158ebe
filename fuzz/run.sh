#!/usr/bin/env bash
# Runs fuzz targets one after another for SECONDS each and prints one row per target: execs/s,
# coverage (libFuzzer's "cov", edges reached, and "ft", features), corpus size, findings.
#   fuzz/run.sh SECONDS [target...]        (no target: every target in fuzz/Cargo.toml)
# With FUZZ_RUNS_FILE (a "target runs" table, e.g. fuzz/short-runs.tsv) each target runs that many executions
# instead (the same budget and mutation order at every run with FUZZ_SEED and an empty working corpus); SECONDS is
# then only a safety cap, and a target stopped by the cap is reported.
# Each target reads the committed seeds (fuzz/corpus/<target>) and a working corpus
# (build/fuzz/corpus/<target>, where new inputs go), with its dictionary when fuzz/dict has one.
# Findings (crash-*, oom-*, timeout-*, leak-*) go to build/fuzz/artifacts/<target>/, the log to
# build/fuzz/logs/<target>.log. Exits 1 when any target found something.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SECONDS_EACH=${1:?usage: fuzz/run.sh SECONDS [target...]}
shift
if [ $# -eq 0 ]; then
  set -- $(sed -n 's/^name = "\(.*\)"$/\1/p' "$ROOT/fuzz/Cargo.toml" | grep -v '^sigv4-fuzz$')
fi
BIN=${FUZZ_BIN:-$ROOT/fuzz/target/x86_64-unknown-linux-gnu/release}
OUT=${FUZZ_OUT:-$ROOT/build/fuzz}
SEED=${FUZZ_SEED:-$(date +%s)}
if [ -n "${FUZZ_RUNS_FILE:-}" ]; then
  echo "libFuzzer -seed=$SEED, the executions in $FUZZ_RUNS_FILE per target (cap $SECONDS_EACH s), working corpus emptied first"
  rm -rf "$OUT/corpus"
else
  echo "libFuzzer -seed=$SEED, $SECONDS_EACH s per target (FUZZ_SEED=$SEED reproduces the mutation order)"
fi
norandom=()
if [ -n "${FUZZ_RUNS_FILE:-}" ] && setarch "$(uname -m)" -R true 2>/dev/null; then
  norandom=(setarch "$(uname -m)" -R)
fi
rows=()
failed=0
for t in "$@"; do
  mkdir -p "$OUT/corpus/$t" "$OUT/artifacts/$t" "$OUT/logs" "$ROOT/fuzz/corpus/$t"
  before=$(ls "$OUT/artifacts/$t" | wc -l)
  args=(-max_total_time="$SECONDS_EACH" -seed="$SEED" -print_final_stats=1
        -artifact_prefix="$OUT/artifacts/$t/" -rss_limit_mb=2048 -malloc_limit_mb=1024 -timeout=10)
  if [ -n "${FUZZ_RUNS_FILE:-}" ]; then
    runs_wanted=$(awk -v t="$t" '$1 == t { print $2 }' "$FUZZ_RUNS_FILE")
    [ -n "$runs_wanted" ] || { echo "fuzz/run.sh: no run count for $t in $FUZZ_RUNS_FILE" >&2; exit 2; }
    # -reload=0: no timed re-reads of the corpus directories; address randomisation off (setarch -R)
    # because comparison tracing records pointer operands. Both would make coverage differ per run.
    args+=(-runs="$runs_wanted" -reload=0)
  fi
  [ -f "$ROOT/fuzz/dict/$t.dict" ] && args+=(-dict="$ROOT/fuzz/dict/$t.dict")
  [ -n "${FUZZ_FORK:-}" ] && args+=(-fork="$FUZZ_FORK" -ignore_crashes=1 -ignore_ooms=1 -ignore_timeouts=1)
  status=0
  started=$(date +%s)
  "${norandom[@]}" "$BIN/$t" "${args[@]}" "$OUT/corpus/$t" "$ROOT/fuzz/corpus/$t" >"$OUT/logs/$t.log" 2>&1 || status=$?
  after=$(ls "$OUT/artifacts/$t" | wc -l)
  found=$((after - before))
  [ "$status" -ne 0 ] && [ "$found" -eq 0 ] && found=1
  last=$(grep -E '(cov|ft): [0-9]+' "$OUT/logs/$t.log" | tail -1)
  cov=$(sed -n 's/.*cov: \([0-9]*\).*/\1/p' <<<"$last"); ft=$(sed -n 's/.*ft: \([0-9]*\).*/\1/p' <<<"$last")
  corp=$(sed -n 's/.*corp: \([0-9]*\).*/\1/p' <<<"$last")
  eps=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$OUT/logs/$t.log" | tail -1)
  [ -z "$eps" ] && eps=$(sed -n 's/.*exec\/s: \([0-9]*\).*/\1/p' <<<"$last")
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$OUT/logs/$t.log" | tail -1)
  [ -z "$runs" ] && runs=$(sed -n 's/^#\([0-9]*\).*/\1/p' <<<"$last")
  secs=$(( $(date +%s) - started ))
  if [ -n "${FUZZ_RUNS_FILE:-}" ] && [ "${runs:-0}" != "$runs_wanted" ] && [ "$found" -eq 0 ]; then
    echo "== $t stopped by the ${SECONDS_EACH} s cap after ${runs:-?} of $runs_wanted executions" >&2
  fi
  rows+=("$(printf '%-20s %10s %10s %8s %8s %7s %8s %6s' "$t" "${runs:--}" "${eps:--}" "${cov:--}" "${ft:--}" "${corp:--}" "$found" "${secs:--}")")
  if [ "$found" -ne 0 ]; then
    failed=1
    echo "== $t found something (exit $status); see $OUT/logs/$t.log and $OUT/artifacts/$t/" >&2
    grep -m1 -A6 -E 'panicked|ERROR: libFuzzer|ERROR: AddressSanitizer' "$OUT/logs/$t.log" >&2 || true
  fi
done
printf '%-20s %10s %10s %8s %8s %7s %8s %6s\n' target execs execs/s cov ft corpus findings secs
printf '%s\n' "${rows[@]}"
exit "$failed"
