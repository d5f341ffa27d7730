#!/usr/bin/env bash
# What the Spring Boot starter adds to an application's start-up (target: ≤ 150 ms added):
# the same small application (holdfast-spring-boot test sources, io.holdfast.spring.boot.bench
# StartupApp) started in fresh JVMs, without Holdfast and with the starter against two real
# in-process replicas, up and all down (disk cache only). Prints median and p90 of JVM start to
# ApplicationReadyEvent and of process wall time per variant, and the time added.
# Usage: bench/spring-startup.sh [runs] [warm-up rounds]   (default 10 2)
# Extra JVM options for the applications (profiling): SPRING_STARTUP_JVM_OPTS="-Xlog:..."
set -euo pipefail
runs=${1:-10}
warmup=${2:-2}
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
jdk=$("$root/bin/find-jdk")
module="$root/holdfast-spring-boot"
cp_file="$module/target/spring-startup-classpath.txt"
(cd "$root" && mvn -B -o -q -Dstyle.color=never -pl holdfast-spring-boot -am test-compile dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile=target/spring-startup-classpath.txt)

work=$(mktemp -d /tmp/holdfast-spring-startup.XXXXXX)
trap 'rm -rf "$work"' EXIT

jar() { # the one jar of artifact $1 on the module's test class path, or fail
  local found
  found=$(tr ':' '\n' <"$cp_file" | grep -E "/$1-[0-9][^/]*\.jar$" || true)
  [ "$(printf '%s' "$found" | grep -c .)" = 1 ] || { echo "spring-startup: no single $1 jar: $found" >&2; exit 1; }
  printf '%s' "$found"
}
join() { local IFS=:; printf '%s' "$*"; }

# The application alone, out of the module's test classes (which also hold Holdfast's tests).
mkdir -p "$work/app/io/holdfast/spring/boot/bench"
cp "$module"/target/test-classes/io/holdfast/spring/boot/bench/StartupApp*.class "$work/app/io/holdfast/spring/boot/bench/"

# Baseline: what spring-boot-autoconfigure brings (as the starter resolves it) and logging, as
# spring-boot-starter would; nothing of Holdfast.
spring=()
for artifact in spring-boot spring-boot-autoconfigure spring-context spring-aop spring-beans \
  spring-expression spring-core spring-jcl micrometer-observation micrometer-commons \
  logback-classic logback-core slf4j-api; do
  spring+=("$(jar "$artifact")")
done
baseline_cp=$(join "$work/app" "${spring[@]}")
# The starter's own runtime dependencies (optional ones left out: actuator, Spring Cloud,
# Micrometer metrics), from this checkout's build.
holdfast=("$module/target/classes" "$root/holdfast-client/target/classes"
  "$root/holdfast-protocol/target/classes" "$(jar jackson-databind)" "$(jar jackson-core)"
  "$(jar jackson-annotations)")
for entry in "${holdfast[@]}"; do [ -e "$entry" ] || { echo "spring-startup: missing $entry" >&2; exit 1; }; done
starter_cp=$(join "$baseline_cp" "${holdfast[@]}")
if tr ':' '\n' <<<"$baseline_cp" | grep -qE 'holdfast-(client|protocol|spring-boot)/|jackson'; then
  echo "spring-startup: Holdfast on the baseline class path" >&2; exit 1
fi

driver_cp="$module/target/test-classes:$module/target/classes:$(cat "$cp_file")"
echo "== Spring Boot start-up with and without the starter ($(nproc) cores, $(uname -m), $("$jdk/bin/java" -version 2>&1 | sed -n 1p))"
HOLDFAST_LOG_LEVEL=WARN HOLDFAST_ACCESS_LOG=WARN \
  "$jdk/bin/java" --enable-native-access=ALL-UNNAMED -Dbench.jvmOptions="${SPRING_STARTUP_JVM_OPTS:-}" \
  -cp "$driver_cp" io.holdfast.spring.boot.bench.SpringStartupBenchmark \
  "$jdk/bin/java" "$work" "$baseline_cp" "$starter_cp" "$runs" "$warmup"
