#!/usr/bin/env bash
# The local agent against the SDK in-process (issue 24), in one run: a read and a seat holder's
# admit through the agent on a keep-alive loopback connection at 1,000/s (target: read p99 <= 1 ms)
# against the same calls in-process, with the cost ratio; then the agent's cold start with every
# replica down (disk cache only), process start to first answer (target <= 200 ms), under several
# JVM settings (C1 only, AppCDS, JDK 25's AOT cache).
# Usage: bench/agent.sh [requests per measurement] [cold-start runs per setting]   (default 10000 7)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
jdk=$("$root/bin/find-jdk")
# Jars, not class directories: AppCDS and the AOT cache archive classes from jars only.
(cd "$root" && mvn -B -o -q -Dstyle.color=never -pl holdfast-agent,holdfast-bench -am package \
  -Dmaven.test.skip=true -Dspotless.check.skip=true -Djapicmp.skip=true \
  dependency:build-classpath -Dmdep.includeScope=runtime -Dmdep.outputFile=target/runtime-classpath.txt)
# The agent on its own small class path, as deploy/systemd/holdfast-agent.service runs it.
agent_cp="$root/holdfast-agent/target/holdfast-agent.jar:$(cat "$root/holdfast-agent/target/runtime-classpath.txt")"
bench_cp="$root/holdfast-bench/target/classes:$(cat "$root/holdfast-bench/target/runtime-classpath.txt")"
echo "== holdfast agent vs the SDK in-process ($(nproc) cores, $(uname -m), $("$jdk/bin/java" -version 2>&1 | sed -n 1p))"
echo "agent class path: $(tr ':' '\n' <<<"$agent_cp" | wc -l) entries"
HOLDFAST_LOG_LEVEL=WARN HOLDFAST_ACCESS_LOG=WARN \
  "$jdk/bin/java" --enable-native-access=ALL-UNNAMED -cp "$bench_cp" io.holdfast.bench.AgentBenchmark \
  "$jdk/bin/java" "$agent_cp" "${1:-10000}" "${2:-7}"
