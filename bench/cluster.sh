#!/usr/bin/env bash
# The store's cluster figures on SQLite and PostgreSQL (issue 7): publish-to-every-replica latency
# (p50/p99/max) and heartbeat ingest per second, in one run. Needs PostgreSQL on 127.0.0.1:5432
# (user postgres, trust auth); creates and drops a database of its own.
# Usage: bench/cluster.sh [publishes] [ingest seconds] [instances]   (default 200 10 5000)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
"$root/holdfast" --version >/dev/null   # builds if needed
jdk=$("$root/bin/find-jdk")
cp="$root/holdfast-bench/target/holdfast-bench.jar:$root/holdfast-bench/target/lib/*"
export HOLDFAST_LOG_LEVEL=WARN HOLDFAST_ACCESS_LOG=WARN
echo "== publish to every replica, and heartbeat ingest ($(nproc) cores, $(uname -m))"
"$jdk/bin/java" --enable-native-access=ALL-UNNAMED -Xmx1g -cp "$cp" io.holdfast.bench.ClusterBenchmark "$@"
