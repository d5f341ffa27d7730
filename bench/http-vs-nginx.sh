#!/usr/bin/env bash
# Benchmark: Holdfast serving a ~4 KiB signed document against nginx serving the same bytes,
# all on loopback, driven by wrk at 50 and 500 connections, for 200s and for 304s. Beside
# Holdfast itself it runs the two candidate HTTP servers (Helidon SE 4 and Jetty 12, both on
# virtual threads) doing the same validator work (holdfast-bench ReferenceServer), which is how
# the server was chosen. Prints requests/s, p99 latency, requests per server CPU-second, and the
# ratios to nginx's of each server's requests/s, requests per CPU-second and p99 (issue 21's
# targets: requests/s >= 1.0x nginx's, p99 <= 1.5x).
#
# Usage: bench/http-vs-nginx.sh [seconds-per-run] [--tls]   (default 10)
# With --tls, Holdfast (--tls-cert/--tls-key) and nginx both terminate TLS with the same
# throwaway ECDSA P-256 certificate, over kept-alive connections; the reference servers, which
# have no TLS, are left out.
# Installs nginx and wrk from Debian's packages when they are missing. Loopback only; every
# run is bounded in time.
set -euo pipefail

duration=${1:-10}
tls=false
[ "${2:-}" = "--tls" ] && tls=true
scheme=http
$tls && scheme=https
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
work=$(mktemp -d /tmp/holdfast-bench.XXXXXX)
hf_port=${HOLDFAST_BENCH_PORT:-7180}
ng_port=${NGINX_BENCH_PORT:-7181}
admin_token="hfa_bench_$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')"

need() { command -v "$1" >/dev/null 2>&1 || [ -x "/usr/sbin/$1" ]; }
if ! need nginx || ! need wrk; then
  echo "installing nginx-light and wrk from Debian's packages ..." >&2
  apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx-light wrk >/dev/null
fi
NGINX=$(command -v nginx || echo /usr/sbin/nginx)

hf_pid=""
ref_pids=()
tls_args=()
cleanup() {
  [ -n "$hf_pid" ] && kill "$hf_pid" 2>/dev/null && wait "$hf_pid" 2>/dev/null || true
  for pid in "${ref_pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  [ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

if $tls; then
  mkdir -p "$work/tls"
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj /CN=127.0.0.1 \
    -addext subjectAltName=IP:127.0.0.1 -keyout "$work/tls/key.pem" -out "$work/tls/cert.pem" 2>/dev/null
  chmod 600 "$work/tls/key.pem"
  tls_args=(--tls-cert "$work/tls/cert.pem" --tls-key "$work/tls/key.pem")
  export HOLDFAST_CACERT="$work/tls/cert.pem"
  export CURL_CA_BUNDLE="$work/tls/cert.pem"
fi

# --- Holdfast: one replica with one ~4 KiB document -------------------------------------------
"$root/holdfast" --version >/dev/null   # builds if needed
HOLDFAST_ACCESS_LOG=WARN HOLDFAST_LOG_LEVEL=WARN HOLDFAST_ADMIN_TOKEN="$admin_token" \
  "$root/holdfast" server --port "$hf_port" --data-dir "$work/data" "${tls_args[@]}" >"$work/holdfast.log" 2>&1 &
hf_pid=$!
for _ in $(seq 1 100); do
  curl -fs "$scheme://127.0.0.1:$hf_port/health/ready" >/dev/null 2>&1 && break
  sleep 0.2
done
curl -fs "$scheme://127.0.0.1:$hf_port/health/ready" >/dev/null || { cat "$work/holdfast.log"; exit 1; }

export HOLDFAST_URL="$scheme://127.0.0.1:$hf_port" HOLDFAST_TOKEN="$admin_token"
# shellcheck source=bench/bench-document.sh
. "$root/bench/bench-document.sh"
instance_token=$(publish_bench_document "$root")

url="$scheme://127.0.0.1:$hf_port/v1/instances/bench-1/config/bench"
mkdir -p "$work/www"
curl -fs -H "Authorization: Bearer $instance_token" "$url" -o "$work/www/doc.json"
hf_etag=$(curl -fsI -H "Authorization: Bearer $instance_token" "$url" | tr -d '\r' | sed -n 's/^[Ee][Tt][Aa][Gg]: //p')
size=$(stat -c %s "$work/www/doc.json")

# --- nginx: the same bytes, its own ETag, no access log ----------------------------------------
cat >"$work/nginx.conf" <<CONF
worker_processes auto;
pid $work/nginx.pid;
error_log $work/nginx-error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  default_type application/json;
  client_body_temp_path $work/tmp; proxy_temp_path $work/tmp; fastcgi_temp_path $work/tmp;
  uwsgi_temp_path $work/tmp; scgi_temp_path $work/tmp;
  server {
    listen 127.0.0.1:$ng_port$($tls && echo ' ssl');
    $($tls && echo "ssl_certificate $work/tls/cert.pem; ssl_certificate_key $work/tls/key.pem; ssl_protocols TLSv1.2 TLSv1.3;")
    root $work/www;
    etag on;
  }
}
CONF
mkdir -p "$work/tmp"
# nginx's workers drop to an unprivileged user when started as root: let them read the document.
chmod 755 "$work" "$work/www"
chmod 644 "$work/www/doc.json"
"$NGINX" -c "$work/nginx.conf"
$tls && chmod 755 "$work/tls" && chmod 644 "$work/tls/key.pem"   # nginx's master reads it as root anyway
for _ in $(seq 1 50); do curl -fs "$scheme://127.0.0.1:$ng_port/doc.json" >/dev/null 2>&1 && break; sleep 0.1; done
ng_url="$scheme://127.0.0.1:$ng_port/doc.json"
ng_etag=$(curl -fsI "$ng_url" | tr -d '\r' | sed -n 's/^[Ee][Tt][Aa][Gg]: //p')

cpu_ticks() { # total user+system clock ticks of the given pids
  local total=0 pid
  for pid in "$@"; do
    [ -r "/proc/$pid/stat" ] || continue
    total=$((total + $(awk '{print $14 + $15}' "/proc/$pid/stat")))
  done
  echo "$total"
}
nginx_pids() { echo "$(cat "$work/nginx.pid") $(pgrep -P "$(cat "$work/nginx.pid")" | tr '\n' ' ')"; }
hz=$(getconf CLK_TCK)

# run NAME CONNS URL PIDS HEADER...; prints "rps p99ms req_per_cpu_s"
run() {
  local conns=$1 target=$2 pids=$3; shift 3
  local args=()
  for h in "$@"; do args+=(-H "$h"); done
  wrk -t2 -c"$conns" -d3s "${args[@]}" "$target" >/dev/null 2>&1 || true   # warm-up
  local before after out
  before=$(cpu_ticks $pids)
  out=$(wrk -t2 -c"$conns" -d"${duration}s" --latency "${args[@]}" "$target")
  after=$(cpu_ticks $pids)
  local requests rps p99 non2xx
  requests=$(echo "$out" | awk '/requests in/ {print $1}')
  rps=$(echo "$out" | awk '/^Requests\/sec/ {print $2}')
  p99=$(echo "$out" | awk '$1 == "99%" {print $2}')
  non2xx=$(echo "$out" | awk '/Non-2xx/ {print $NF}')
  awk -v r="$requests" -v rps="$rps" -v p99="$p99" -v t=$((after - before)) -v hz="$hz" -v bad="${non2xx:-0}" 'BEGIN {
    ms = p99; if (p99 ~ /us$/) ms = p99 / 1000; else if (p99 ~ /ms$/) ms = p99 + 0; else if (p99 ~ /s$/) ms = p99 * 1000;
    cpu = t / hz; printf "%.0f %.2f %.0f %s\n", rps, ms, (cpu > 0 ? r / cpu : 0), bad }'
}

# --- the candidate servers doing the same validator work ----------------------------------------
jdk=$("$root/bin/find-jdk")
bench_cp="$root/holdfast-bench/target/holdfast-bench.jar:$root/holdfast-bench/target/lib/*"
ref_ports=()
servers=(nginx holdfast)
ref_etag=
if ! $tls; then
  "$jdk/bin/java" -cp "$bench_cp" io.holdfast.bench.ReferenceServer helidon $((ng_port + 1)) "$work/www/doc.json" >"$work/helidon.log" 2>&1 &
  ref_pids+=($!); helidon_pid=$!
  "$jdk/bin/java" -cp "$bench_cp" io.holdfast.bench.ReferenceServer jetty $((ng_port + 2)) "$work/www/doc.json" >"$work/jetty.log" 2>&1 &
  ref_pids+=($!); jetty_pid=$!
  for port in $((ng_port + 1)) $((ng_port + 2)); do
    for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$port/doc" >/dev/null 2>&1 && break; sleep 0.1; done
  done
  ref_etag=$(curl -fs -D - -o /dev/null "http://127.0.0.1:$((ng_port + 1))/doc" | tr -d '\r' | sed -n 's/^[Ee][Tt][Aa][Gg]: //p')
  ref_ports=($((ng_port + 1)) $((ng_port + 2)))
  servers=(nginx holdfast helidon-ref jetty-ref)
fi

# JIT warm-up of each JVM server before any cell, 200s and 304s alike: without it the first
# cell measures the compiler (Holdfast, the larger program, took ~20 s to reach steady state).
jit_warmup=${JIT_WARMUP_SECONDS:-20}
for kind in 200 304; do
  hf_inm=(); ref_inm=()
  if [ "$kind" = 304 ]; then hf_inm=(-H "If-None-Match: $hf_etag"); ref_inm=(-H "If-None-Match: $ref_etag"); fi
  wrk -t2 -c50 -d"$((jit_warmup / 2))s" -H "Authorization: Bearer $instance_token" "${hf_inm[@]}" "$url" >/dev/null 2>&1 || true
  for port in "${ref_ports[@]}"; do
    wrk -t2 -c50 -d"$((jit_warmup / 2))s" "${ref_inm[@]}" "http://127.0.0.1:$port/doc" >/dev/null 2>&1 || true
  done
done

echo "scheme: $scheme; document: $size bytes; holdfast ETag $hf_etag; nginx ETag $ng_etag; $duration s per run after a 3 s warm-up (JVMs: $jit_warmup s JIT warm-up first); wrk -t2"
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo)"
echo "java: $("$jdk/bin/java" -version 2>&1 | sed -n 1p); nginx: $("$NGINX" -v 2>&1 | sed 's/.*nginx\///')"
printf '%-5s %-5s %-12s | %9s %9s %11s | %8s %9s %9s\n' kind conns server "req/s" "p99 ms" "req/cpu-s" "vs nginx" "cpu ratio" "p99 ratio"
for kind in 200 304; do
  for conns in 50 500; do
    ng_inm=(); hf_inm=(); ref_inm=()
    if [ "$kind" = 304 ]; then
      ng_inm=("If-None-Match: $ng_etag"); hf_inm=("If-None-Match: $hf_etag"); ref_inm=("If-None-Match: $ref_etag")
    fi
    ng=$(run "$conns" "$ng_url" "$(nginx_pids)" "${ng_inm[@]}")
    read -r ng_rps ng_p99 ng_cpu _ <<<"$ng"
    for server in "${servers[@]}"; do
      case "$server" in
        nginx) line="$ng" ;;
        holdfast) line=$(run "$conns" "$url" "$hf_pid" "Authorization: Bearer $instance_token" "${hf_inm[@]}") ;;
        helidon-ref) line=$(run "$conns" "http://127.0.0.1:$((ng_port + 1))/doc" "$helidon_pid" "${ref_inm[@]}") ;;
        jetty-ref) line=$(run "$conns" "http://127.0.0.1:$((ng_port + 2))/doc" "$jetty_pid" "${ref_inm[@]}") ;;
      esac
      read -r rps p99 cpu bad <<<"$line"
      if [ "$kind" = 200 ] && [ "${bad:-0}" != 0 ]; then echo "warning: $server answered $bad non-2xx responses" >&2; fi
      printf '%-5s %-5s %-12s | %9s %9s %11s | %8.2f %9.2f %9.2f\n' "$kind" "$conns" "$server" "$rps" "$p99" "$cpu" \
        "$(awk -v a="$rps" -v b="$ng_rps" 'BEGIN {print (b > 0 ? a / b : 0)}')" \
        "$(awk -v a="$cpu" -v b="$ng_cpu" 'BEGIN {print (b > 0 ? a / b : 0)}')" \
        "$(awk -v a="$p99" -v b="$ng_p99" 'BEGIN {print (b > 0 ? a / b : 0)}')"
    done
  done
done
