#!/usr/bin/env bash
# The recovery herd (issue 21): N simulated SDK clients (default 10,000) watching one replica
# process, which is killed and restarted after a 10 s outage; prints the time from the replica
# being ready until every client is FRESH again, the 503s it answered on the way, and whether it
# was still ready afterwards, first with the SDK's backoff before issue 21, then with today's.
# The clients are the push benchmark's fleet: one keep-alive connection each on one selector
# thread, driving the SDK's own io.holdfast.protocol.http.Backoff (see docs/benchmarks.md for why
# not 10,000 full SDK clients).
# Usage: bench/herd.sh [clients]
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
"$root/holdfast" --version >/dev/null   # builds if needed
jdk=$("$root/bin/find-jdk")
cp="$root/holdfast-bench/target/holdfast-bench.jar:$root/holdfast-bench/target/lib/*"
export HOLDFAST_LOG_LEVEL=WARN HOLDFAST_ACCESS_LOG=WARN
# One socket per client on each side, in two processes: raise the open-file limit if allowed.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
"$jdk/bin/java" --enable-native-access=ALL-UNNAMED -Xmx1g -cp "$cp" io.holdfast.bench.push.PushBenchmark "${1:-10000}" 0 0 herd
