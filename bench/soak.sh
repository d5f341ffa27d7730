#!/usr/bin/env bash
# The seeded chaos soak (issue 20, FAULTS E7) on both stores: replica processes behind fault
# proxies, SDK clients with seats, publishers and a nemesis; prints each run's summary (ops/s,
# faults by kind, time to FRESH after heals, replica RSS, violations). Needs PostgreSQL on
# 127.0.0.1:5432 (user postgres, trust auth); each run creates and drops databases of its own.
# Usage: bench/soak.sh [duration] [seed] [store]   (default 3m, a random seed, both stores)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
"$root/holdfast" --version >/dev/null   # builds if needed
duration=${1:-3m}
seed=${2:-$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')}
stores=${3:-postgres sqlite}
out="$root/target/soak"
export HOLDFAST_LOG_LEVEL=WARN HOLDFAST_ACCESS_LOG=WARN
echo "== holdfast soak, $duration per store, seed $seed ($(nproc) cores, $(uname -m))"
status=0
for store in $stores; do
  replicas=3
  [ "$store" = sqlite ] && replicas=2
  "$root/holdfast" soak --seed "$seed" --duration "$duration" --store "$store" \
      --replicas "$replicas" --clients 6 --out "$out/$store-$seed" || status=$?
done
exit $status
