#!/usr/bin/env bash
# What one pass of the rollout engine costs as the fleet grows (issue 6): a change baking in
# ring dev with every instance of the fleet in that ring and a heartbeat each on a real SQLite
# file, RolloutEngine.tick() timed, against the same store reads on their own and the health
# gate on data in memory. Usage: bench/rollout.sh [--open-changes N] [fleet sizes...] (default
# 1000 10000); --open-changes adds N approved, paused changes that every tick lists and skips.
# bench/rollout.sh --windows [fleet size] (default 10000): the same fleet's tick without change
# windows and with them (issue 22: 24 time zones, blackouts, deliveries as the driven clock moves),
# interleaved in one run, and their ratio. HOLDFAST_BENCH_JFR=<file> records a JFR profile.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
"$root/holdfast" --version >/dev/null   # builds if needed
jdk=$("$root/bin/find-jdk")
cp="$root/holdfast-bench/target/holdfast-bench.jar:$root/holdfast-bench/target/lib/*"
export HOLDFAST_LOG_LEVEL=WARN HOLDFAST_ACCESS_LOG=WARN
jfr=()
if [ -n "${HOLDFAST_BENCH_JFR:-}" ]; then
  jfr=("-XX:FlightRecorderOptions=stackdepth=256" "-XX:StartFlightRecording=filename=$HOLDFAST_BENCH_JFR,settings=profile")
fi
if [ "${1:-}" = "--windows" ]; then
  shift
  echo "== rollout engine tick with and without change windows ($(nproc) cores, $(uname -m), $("$jdk/bin/java" -version 2>&1 | head -1))"
  exec "$jdk/bin/java" --enable-native-access=ALL-UNNAMED "${jfr[@]}" -cp "$cp" io.holdfast.bench.WindowedRolloutBenchmark "$@"
fi
echo "== rollout engine tick by fleet size ($(nproc) cores, $(uname -m))"
"$jdk/bin/java" --enable-native-access=ALL-UNNAMED "${jfr[@]}" -cp "$cp" io.holdfast.bench.RolloutGateBenchmark "$@"
