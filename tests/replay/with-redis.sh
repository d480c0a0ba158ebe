#!/usr/bin/env bash
# Runs a command with a private redis-server on a free 127.0.0.1 port, and stops that server when the
# command ends, fails or is interrupted (trap). The command sees SIGV4_REDIS_PORT and SIGV4_REDIS_URL;
# and SIGV4_REDIS_DIR; a test may stop and restart the server on that port with that directory (the
# trap shuts down whichever one runs).
set -euo pipefail
command -v redis-server >/dev/null || { echo "redis-server is not installed (make redis-server-install)"; exit 1; }
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
dir=$(mktemp -d)
# Append-only with fsync on every write (SIGV4_REDIS_PERSIST=no for the benchmark): a test that
# restarts the server keeps what was claimed before the outage.
if [ "${SIGV4_REDIS_PERSIST:-yes}" = yes ]; then aof=(--appendonly yes --appendfsync always); else aof=(--appendonly no); fi
redis-server --port "$port" --bind 127.0.0.1 --save '' "${aof[@]}" --dir "$dir" \
  --daemonize no --loglevel warning --logfile "$dir/redis.log" &
pid=$!
stop() {
  redis-cli -p "$port" shutdown nosave >/dev/null 2>&1 || true
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  rm -rf "$dir"
}
trap stop EXIT INT TERM
for _ in $(seq 100); do
  redis-cli -p "$port" ping >/dev/null 2>&1 && break
  sleep 0.05
done
redis-cli -p "$port" ping >/dev/null
export SIGV4_REDIS_PORT="$port" SIGV4_REDIS_URL="redis://127.0.0.1:$port/0" SIGV4_REDIS_DIR="$dir"
echo "redis-server on 127.0.0.1:$port"
"$@"
