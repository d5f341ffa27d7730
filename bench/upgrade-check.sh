#!/usr/bin/env bash
# holdfast upgrade check over a fleet (issue 23): two current replicas and a candidate on one
# SQLite store seeded with N instances, under a steady read load of instance documents. Prints the
# check's duration and requests/s, the replicas' CPU during it, and the instance-read p99 without
# and with the check running, and their ratio.
# Usage: bench/upgrade-check.sh [instances] [reads/s] [baseline seconds] [extra check options...]
#   (default 10000 300 20), e.g. bench/upgrade-check.sh 10000 300 20 --concurrency 4 --rate 1500
# The check's JVM runs under `nice -n 19` (HOLDFAST_BENCH_CHECK_NICE to change, empty for none):
# in production the check runs from an operator's machine, not on a replica's host, so its own CPU
# (JIT compilation, hashing and verifying every answer) never competes with the replicas. On one
# small box that holds the replicas, the load generator and the check, the lowest priority is the
# nearest stand-in: the check gets only the CPU the replicas and the reads leave over, and its
# effect on the read p99 is what it costs the replicas to answer it, as it would be in production.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
"$root/holdfast" --version >/dev/null   # builds if needed
jdk=$("$root/bin/find-jdk")
cp="$root/holdfast-bench/target/holdfast-bench.jar:$root/holdfast-bench/target/lib/*"
export HOLDFAST_LOG_LEVEL=WARN HOLDFAST_ACCESS_LOG=WARN
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
echo "== holdfast upgrade check over ${1:-10000} instances ($(nproc) cores, $(uname -m), $("$jdk/bin/java" -version 2>&1 | head -1))"
nice_level=${HOLDFAST_BENCH_CHECK_NICE-19}
# With two or more CPUs the replicas and the read load (this JVM and the replica processes it
# starts, which inherit its affinity) run on all CPUs but the last, and the check alone on the last:
# its own machine, as in production, so that what the read p99 shows is what answering the check
# costs the replicas. HOLDFAST_BENCH_SPLIT_CPUS=0 shares every CPU (the check then only niced).
pin=()
if [ "${HOLDFAST_BENCH_SPLIT_CPUS-1}" != 0 ] && [ "$(nproc)" -ge 2 ] && command -v taskset >/dev/null; then
  last=$(( $(nproc) - 1 ))
  pin=(taskset -c "0-$(( last - 1 ))")
  split="-Dholdfast.bench.check-cpus=$last"
fi
exec "${pin[@]}" "$jdk/bin/java" --enable-native-access=ALL-UNNAMED -Xmx1g ${nice_level:+-Dholdfast.bench.check-nice=$nice_level} ${split:-} \
  -cp "$cp" io.holdfast.bench.UpgradeCheckBenchmark \
  "$root/holdfast-cli/target/holdfast.jar" "$@"
