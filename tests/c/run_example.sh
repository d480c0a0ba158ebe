#!/usr/bin/env bash
# Runs a built examples/c/sign_and_send against a one-request loopback listener that checks the
# signature independently (loopback_server.py), for GET (API_URL form) and POST (argv form).
# Usage: run_example.sh <sign_and_send binary> [LD_PRELOAD-free env settings...]
set -euo pipefail
trap 'echo "run_example.sh: failed at line $LINENO" >&2' ERR
bin=$1
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

serve() { # starts the listener, sets $port and $server
  rm -f "$tmp/port" # the previous listener's port must not be read as this one's
  python3 "$here/loopback_server.py" "$tmp/record.json" >"$tmp/port" &
  server=$!
  for _ in $(seq 100); do
    [ -s "$tmp/port" ] && break
    sleep 0.05
  done
  port=$(cat "$tmp/port")
}

check() { # the listener saw a valid signature for the method and path
  wait "$server"
  python3 - "$tmp/record.json" "$1" "$2" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
ok = r["signature_valid"] and r["method"] == sys.argv[2] and r["path"] == sys.argv[3]
print(f"  listener saw {r['method']} {r['path']}: signature {'valid' if r['signature_valid'] else 'INVALID'}")
sys.exit(0 if ok else 1)
PY
}

serve
API_URL="http://127.0.0.1:$port/v1/jobs" "$bin" | tee "$tmp/out"
check GET /v1/jobs
grep -q '^presigned URL: http://127.0.0.1:.*X-Amz-Signature=[0-9a-f]\{64\}$' "$tmp/out"

serve
"$bin" 127.0.0.1 "$port" /v1/jobs POST '{"name":"job"}'
check POST /v1/jobs
echo "C example: 2 passed, 0 failed"
