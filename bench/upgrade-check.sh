#!/usr/bin/env bash
# holdfast upgrade check over a fleet (issue 23): two current replicas and a candidate on one
# SQLite store seeded with N instances, under a steady read load of instance documents. Prints the
# check's duration and requests/s, the replicas' CPU during it, and the instance-read p99 without
# and with the check running, and their ratio.
# Usage: bench/upgrade-check.sh [instances] [reads/s] [baseline seconds] [extra check options...]
#   (default 10000 300 20), e.g. bench/upgrade-check.sh 10000 300 20 --concurrency 4 --rate 1500
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
"$root/holdfast" --version >/dev/null   # builds if needed
jdk=$("$root/bin/find-jdk")
cp="$root/holdfast-bench/target/holdfast-bench-0.1.0-SNAPSHOT.jar:$root/holdfast-bench/target/lib/*"
export HOLDFAST_LOG_LEVEL=WARN HOLDFAST_ACCESS_LOG=WARN
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
echo "== holdfast upgrade check over ${1:-10000} instances ($(nproc) cores, $(uname -m), $("$jdk/bin/java" -version 2>&1 | head -1))"
exec "$jdk/bin/java" --enable-native-access=ALL-UNNAMED -Xmx1g -cp "$cp" io.holdfast.bench.UpgradeCheckBenchmark \
  "$root/holdfast-cli/target/holdfast.jar" "$@"
