# Sourced by bench/http-vs-nginx.sh and bench/read-path-profile.sh: publishes their one ~4 KiB
# document (namespace "bench", 60 settings) on the replica at $HOLDFAST_URL, as admin
# $HOLDFAST_TOKEN, for instance bench-1 on ring "live", and prints that instance's token.
publish_bench_document() {
  local root=$1 token layer i
  "$root/holdfast" ns create bench >/dev/null
  token=$("$root/holdfast" instance create bench-1 --ring live | sed -n 's/.*"credential" : "\(.*\)".*/\1/p')
  layer='{'
  for i in $(seq 1 60); do
    layer+="\"setting$i\": {\"enabled\": true, \"limit\": $((i * 97)), \"label\": \"value-$i\"},"
  done
  layer+='"owner": "bench"}'
  "$root/holdfast" ns set-layer bench default --json "$layer" >/dev/null
  "$root/holdfast" ns publish bench -m "benchmark document" >/dev/null
  echo "$token"
}
