#!/usr/bin/env bash
# The network edge (issue 15): instance-read latency p50/p99 on a quiet replica, then in the same
# run during each of: 10,000 idle connections, 2,000 slowloris connections, a 20-connection
# /metrics flood on the management port, one instance opening watches as fast as it can, and 20
# admin connections listing the audit log. Prints, per phase, whether the replica still takes new
# connections and its resident memory. Attackers come from other loopback addresses (127.0.2.x
# and up), as other hosts would; everything stays on loopback and every phase is bounded.
# Usage: bench/edge.sh [seconds-per-phase]   (default 10)
set -euo pipefail
seconds=${1:-10}
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
work=$(mktemp -d /tmp/holdfast-edge.XXXXXX)
port=${HOLDFAST_BENCH_PORT:-7190}
management=$((port + 10))
admin_token="hfa_bench_$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')"
"$root/holdfast" --version >/dev/null   # builds if needed
jdk=$("$root/bin/find-jdk")
cp="$root/holdfast-bench/target/holdfast-bench.jar:$root/holdfast-bench/target/lib/*"
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

hf_pid=""
cleanup() {
  [ -n "$hf_pid" ] && kill "$hf_pid" 2>/dev/null && wait "$hf_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

HOLDFAST_ACCESS_LOG=WARN HOLDFAST_LOG_LEVEL=WARN HOLDFAST_ADMIN_TOKEN="$admin_token" \
  "$root/holdfast" server --port "$port" --management-port "$management" --data-dir "$work/data" \
  --probe-enabled false >"$work/holdfast.log" 2>&1 &
hf_pid=$!
for _ in $(seq 1 100); do
  curl -fs "http://127.0.0.1:$port/health/ready" >/dev/null 2>&1 && break
  sleep 0.2
done
curl -fs "http://127.0.0.1:$port/health/ready" >/dev/null || { cat "$work/holdfast.log"; exit 1; }
replica_pid=$(pgrep -f "server --port $port " | head -1)

export HOLDFAST_URL="http://127.0.0.1:$port" HOLDFAST_TOKEN="$admin_token"
"$root/holdfast" ns create core >/dev/null
token=$("$root/holdfast" instance create edge-1 --ring live | sed -n 's/.*"credential" : "\(.*\)".*/\1/p')
"$root/holdfast" ns set-layer core default --json '{"maxUsers": 250, "features": {"a": true}}' >/dev/null
"$root/holdfast" ns publish core -m "edge benchmark" >/dev/null
# Some audit history to list.
for i in $(seq 1 200); do
  curl -fs -X PUT -H "Authorization: Bearer $admin_token" -H 'Content-Type: application/json' \
    -d "{\"maxUsers\": $i}" "http://127.0.0.1:$port/v1/admin/namespaces/core/layers/default" >/dev/null
done

echo "== the edge under attack ($(nproc) cores, $(uname -m)), ${seconds}s per phase, open files $(ulimit -n)"
"$jdk/bin/java" -Xmx512m -cp "$cp" io.holdfast.bench.edge.EdgeBenchmark "$port" "$management" "$replica_pid" \
  edge-1 "$token" "$admin_token" "$seconds"
echo "== replica log: $(grep -c 'client mistake' "$work/holdfast.log" || true) client-mistake lines," \
  "$(grep -c 'Exception' "$work/holdfast.log" || true) exception lines, listener restarts:" \
  "$(grep -c 'stopped accepting' "$work/holdfast.log" || true)"
