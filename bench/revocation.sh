#!/usr/bin/env bash
# Revocation propagation (issue 19): N SDK clients pin a root and watch one replica; a key set
# revoking the replica's signing key is published; prints p50 and max of the time until each
# client refuses the revoked key, against a configuration change to the same clients (reference).
# Usage: bench/revocation.sh [clients]   (default 1000)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
"$root/holdfast" --version >/dev/null   # builds if needed
jdk=$("$root/bin/find-jdk")
cp="$root/holdfast-bench/target/holdfast-bench.jar:$root/holdfast-bench/target/lib/*"
export HOLDFAST_LOG_LEVEL=WARN HOLDFAST_ACCESS_LOG=WARN
# Two sockets and two threads per client, and the replica's side of each watch, in one process.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
echo "== revocation to ${1:-1000} watching clients ($(nproc) cores, $(uname -m))"
"$jdk/bin/java" --enable-native-access=ALL-UNNAMED -Xmx2g -cp "$cp" io.holdfast.bench.RevocationBenchmark "$@"
