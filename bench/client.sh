#!/usr/bin/env bash
# Client SDK benchmarks: JMH for the read path (snapshot and typed get, with allocation per
# operation from -prof gc, against a plain Jackson tree lookup as the reference), then the
# failover and cold-start harness; between them the seat checker's admission (issue 4) and a
# flag evaluation through OpenFeature (issue 18).
# Usage: bench/client.sh
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
"$root/holdfast" --version >/dev/null   # builds if needed
jdk=$("$root/bin/find-jdk")
cp="$root/holdfast-bench/target/holdfast-bench.jar:$root/holdfast-bench/target/lib/*"
export HOLDFAST_LOG_LEVEL=WARN HOLDFAST_ACCESS_LOG=WARN
echo "== JMH: read path (ns/op; gc.alloc.rate.norm is bytes allocated per operation)"
read=$("$jdk/bin/java" --enable-native-access=ALL-UNNAMED -cp "$cp" org.openjdk.jmh.Main SnapshotReadBenchmark -prof gc \
  | grep -E "^Benchmark|SnapshotReadBenchmark\.[a-zA-Z]+ |gc.alloc.rate.norm ")
echo "$read"
# Target (issue 21): snapshot plus typed get at most twice one System.nanoTime() of the same run.
echo "$read" | awk '$1 ~ /\.snapshotAndGetInt$/ {get=$4} $1 ~ /\.referenceNanoTime$/ {clock=$4}
  END {if (clock > 0) printf "snapshot plus typed get / System.nanoTime(): %.2fx (target <= 2x: %s)\n",
    get / clock, get <= 2 * clock ? "met" : "MISSED"}'
echo "== JMH: seat admission, in memory and on SQLite (ns/op; B/op as above)"
"$jdk/bin/java" --enable-native-access=ALL-UNNAMED -cp "$cp" org.openjdk.jmh.Main SeatAdmitBenchmark -prof gc \
  | grep -E "^Benchmark|SeatAdmitBenchmark\.[a-zA-Z]+ |gc.alloc.rate.norm "
echo "== JMH: a flag evaluation through OpenFeature against the SDK's typed get (ns/op; B/op as above)"
"$jdk/bin/java" --enable-native-access=ALL-UNNAMED -cp "$cp" org.openjdk.jmh.Main OpenFeatureEvaluationBenchmark -prof gc \
  | grep -E "^Benchmark|OpenFeatureEvaluationBenchmark\.[a-zA-Z]+ |gc.alloc.rate.norm "
echo "== failover and cold start (default client settings)"
"$jdk/bin/java" --enable-native-access=ALL-UNNAMED -cp "$cp" io.holdfast.bench.ClientFailoverBenchmark "${1:-15}"
