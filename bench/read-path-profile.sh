#!/usr/bin/env bash
# Profile of Holdfast's instance read path: one replica serving the ~4 KiB document of
# bench/http-vs-nginx.sh, driven by wrk at 50 connections, recorded with JDK Flight Recorder
# (CPU samples every 1 ms of Java code), once for 304s and once for 200s. Prints, for each, the
# frames that appear in the most samples: self (the top frame) and total (anywhere on the
# stack), as a share of all samples. It is how issue 21 found what Holdfast does per request
# that bare Helidon does not.
#
# Usage: bench/read-path-profile.sh [seconds-per-recording] [output-dir]   (default 15, a temp dir)
# Needs wrk (bench/http-vs-nginx.sh installs it). Loopback only; every run is bounded in time.
set -euo pipefail

duration=${1:-15}
out=${2:-$(mktemp -d /tmp/holdfast-profile.XXXXXX)}
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
work=$(mktemp -d /tmp/holdfast-profile-work.XXXXXX)
port=${HOLDFAST_BENCH_PORT:-7190}
admin_token="hfa_bench_$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')"
jdk=$("$root/bin/find-jdk")
mkdir -p "$out"

hf_pid=""
cleanup() {
  [ -n "$hf_pid" ] && kill "$hf_pid" 2>/dev/null && wait "$hf_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

"$root/holdfast" --version >/dev/null
HOLDFAST_ACCESS_LOG=WARN HOLDFAST_LOG_LEVEL=WARN HOLDFAST_ADMIN_TOKEN="$admin_token" \
  "$root/holdfast" server --port "$port" --data-dir "$work/data" >"$work/holdfast.log" 2>&1 &
hf_pid=$!
for _ in $(seq 1 100); do
  curl -fs "http://127.0.0.1:$port/health/ready" >/dev/null 2>&1 && break
  sleep 0.2
done
export HOLDFAST_URL="http://127.0.0.1:$port" HOLDFAST_TOKEN="$admin_token"
# shellcheck source=bench/bench-document.sh
. "$root/bench/bench-document.sh"
instance_token=$(publish_bench_document "$root")
url="http://127.0.0.1:$port/v1/instances/bench-1/config/bench"
etag=$(curl -fsI -H "Authorization: Bearer $instance_token" "$url" | tr -d '\r' | sed -n 's/^[Ee][Tt][Aa][Gg]: //p')
# The launcher script execs java, so its pid is the replica's JVM.
server_pid=$hf_pid

# JIT warm-up, as bench/http-vs-nginx.sh does.
wrk -t2 -c50 -d10s -H "Authorization: Bearer $instance_token" "$url" >/dev/null
wrk -t2 -c50 -d10s -H "Authorization: Bearer $instance_token" -H "If-None-Match: $etag" "$url" >/dev/null

for kind in 304 200; do
  inm=()
  [ "$kind" = 304 ] && inm=(-H "If-None-Match: $etag")
  "$jdk/bin/jcmd" "$server_pid" JFR.start name="read-$kind" settings=profile \
    "jdk.ExecutionSample#period=1ms" filename="$out/read-$kind.jfr" >/dev/null
  rate=$(wrk -t2 -c50 -d"${duration}s" -H "Authorization: Bearer $instance_token" "${inm[@]}" "$url" |
    awk '/^Requests\/sec/ {print $2}')
  "$jdk/bin/jcmd" "$server_pid" JFR.stop name="read-$kind" >/dev/null
  echo "== $kind, 50 connections: $rate requests/s while recording ($out/read-$kind.jfr)"
  "$jdk/bin/jfr" print --events jdk.ExecutionSample --stack-depth 96 "$out/read-$kind.jfr" |
    python3 "$root/bench/jfr-top-frames.py" 25
done
