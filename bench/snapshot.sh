#!/usr/bin/env bash
# What a publish of a layer every instance reads costs a replica: the snapshot rebuild that
# re-renders and re-signs each instance's documents, one instance at a time (the reference) and
# in parallel, against the same number of bare Ed25519 signatures.
# Prints the median time and the megabytes allocated per run of each operation.
# Usage: [SNAPSHOT_BENCH_EXTRA_NAMESPACES=N] bench/snapshot.sh [fleet sizes...] (default 1000 5000).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
"$root/holdfast" --version >/dev/null   # builds if needed
jdk=$("$root/bin/find-jdk")
cp="$root/holdfast-bench/target/holdfast-bench.jar:$root/holdfast-bench/target/lib/*"
export HOLDFAST_LOG_LEVEL=WARN HOLDFAST_ACCESS_LOG=WARN
echo "== snapshot rebuild after a publish ($(nproc) cores, $(uname -m))"
"$jdk/bin/java" --enable-native-access=ALL-UNNAMED -Xmx2g -cp "$cp" io.holdfast.bench.SnapshotBuildBenchmark "$@"
