#!/usr/bin/env bash
# Regenerates tests/redis/*.out from CPython with the real redis-py: starts a redis-server
# on a free loopback port, runs every tests/redis/*.toy (each is also valid Python) with
# REDIS_PORT set, and writes its stdout to name.out. A program that fails under CPython
# stops the script.
#
#   PYTHON=/path/to/venv/bin/python tests/redis/bless-from-redis-py.sh [name.toy ...]
#
# PYTHON must be a python3 that can `import redis` (redis-py 8.1 made the files here).
set -euo pipefail
cd "$(dirname "$0")"
PYTHON=${PYTHON:-python3}
"$PYTHON" -c 'import redis' || { echo "$PYTHON cannot import redis (pip install redis)" >&2; exit 1; }
port=$("$PYTHON" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
dir=$(mktemp -d)
redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no --dir "$dir" >/dev/null &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$dir"' EXIT
for _ in $(seq 100); do
    redis-cli -p "$port" ping >/dev/null 2>&1 && break
    sleep 0.05
done
programs=("$@")
[ ${#programs[@]} -eq 0 ] && programs=(*.toy)
for program in "${programs[@]}"; do
    echo "$program"
    REDIS_PORT=$port "$PYTHON" "$program" >"${program%.toy}.out"
done
