#!/usr/bin/env bash
# Push at fleet scale (issue 8): N watchers on one replica. Publish-to-watcher latency
# (p50/p99/max), server memory per watcher, coalescing of a publish burst, tenant fairness and
# the recovery herd after a restart, for Holdfast and, in the same run, for a plain long-polling
# server on the JDK's HttpServer driven by the same harness.
# Usage: bench/push.sh [watchers] [publishes] [burst] [all|latency|herd|sse]   (default 10000 10 50 all)
#   all: long polls (WatchFleet), every part; latency: long polls, latency and memory only;
#   herd: the recovery herd alone; sse: event streams (GET /v1/instances/{id}/events, issue 21)
#   against Holdfast and a plain JDK SSE server: latency, fan-out, burst events, memory.
# PUSH_BENCH_WARMUPS=N: publishes before the timed ones, not counted (default 3). The replica's JIT
#   is still compiling after 3 (a perf profile put a sixth of the CPU during a rebuild in C2);
#   20 or more measure a replica that has been publishing for a while.
# PUSH_BENCH_SERVER_OPTS: extra JVM options for both servers (a GC log, JFR, another heap).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
"$root/holdfast" --version >/dev/null   # builds if needed
jdk=$("$root/bin/find-jdk")
cp="$root/holdfast-bench/target/holdfast-bench.jar:$root/holdfast-bench/target/lib/*"
export HOLDFAST_LOG_LEVEL=WARN HOLDFAST_ACCESS_LOG=WARN
# One socket per watcher on each side, in two processes: raise the open-file limit if allowed.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
echo "== push to ${1:-10000} watchers ($(nproc) cores, $(uname -m)), open files $(ulimit -n)"
"$jdk/bin/java" --enable-native-access=ALL-UNNAMED -Xmx1g -cp "$cp" io.holdfast.bench.push.PushBenchmark "$@"
