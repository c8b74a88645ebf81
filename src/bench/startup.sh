#!/usr/bin/env bash
# Start-up and footprint of the service as a node sidecar: time from `java` to a ready readiness probe,
# and RSS after IDLE seconds idle, with the Docker image's JVM options (docker/Dockerfile), one start-up
# choice added at a time: the fat jar; the image's extracted layout; the JDK 25 AOT cache (JEP 483/514);
# Spring AOT (-Dspring.aot.enabled=true); the periodic malloc trim (-XX:TrimNativeHeapInterval), which
# makes the image; then the image with lazy initialisation, and with G1 instead of Serial GC. Each
# variant with a cache trains its own, as the image does, with that variant's options: the classes a
# start loads differ between them. Targets: ready <= 2 s, idle RSS <= 200 MiB. RUNS (default 3) starts
# per variant, the median is reported.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
need curl:curl ss:iproute2

RUNS=${RUNS:-3}
IDLE=${IDLE:-10}
JAVA_BIN=$(find_java)
JAR=$(find_jar)
WORK=$(mktemp -d /tmp/bpfmapd-bench.XXXXXX)
trap 'stop_server; rm -rf "$WORK"' EXIT

# The image's layout: Spring Boot's extracted jar (a thin jar and lib/), which the AOT cache needs,
# since it caches classes from the class path but not from a fat jar's nested jars.
"$JAVA_BIN" -Djarmode=tools -jar "$JAR" extract --destination "$WORK/extracted" >/dev/null
THIN=$(ls "$WORK"/extracted/*.jar | head -1)
APP_ARGS=(--server.address=127.0.0.1 --bpfmapd.emulated.data-dir="$WORK/data")

# train NAME JAR "JVM OPTIONS" [app args...]: the image's training run with these options; prints the
# cache option. bpfmapd.aot-training: once ready, the run serves a few requests to itself, then exits
# (docs/operations.md, configuration).
train() {
  local name=$1 jar=$2 opts=$3; shift 3
  local cache="$WORK/$(echo "$name" | tr -c 'a-zA-Z0-9\n' '-').aot"
  log "training the AOT cache of: $name"
  # shellcheck disable=SC2086
  "$JAVA_BIN" $opts -XX:AOTCacheOutput="$cache" -Dbpfmapd.aot-training=true \
    -jar "$jar" "${APP_ARGS[@]}" --server.port=0 "$@" >"$WORK/training.log" 2>&1 \
    || { tail -30 "$WORK/training.log" >&2; die "AOT training run of $name failed"; }
  echo "-XX:AOTCache=$cache"
}

# measure NAME JAR "JVM OPTIONS" [app args...]: RUNS starts; sets READY_MS and RSS_MIB (medians).
measure() {
  local name=$1 jar=$2 opts=$3; shift 3
  local readies=() rsses=() start end
  for r in $(seq 1 "$RUNS"); do
    PORT=$(free_port); BASE="http://127.0.0.1:$PORT"
    start=$(date +%s%N)
    # shellcheck disable=SC2086
    "$JAVA_BIN" $opts -jar "$jar" "${APP_ARGS[@]}" --server.port="$PORT" "$@" \
      >"$WORK/$name-$r.log" 2>&1 &
    SERVER_PID=$!
    wait_ready "$BASE" 60 || { tail -30 "$WORK/$name-$r.log" >&2; die "$name did not become ready"; }
    end=$(date +%s%N)
    sleep "$IDLE"
    readies+=($(( (end - start) / 1000000 )))
    rsses+=($(awk '/^VmRSS:/ { print int($2 / 1024) }' "/proc/$SERVER_PID/status"))
    stop_server
  done
  READY_MS=$(printf '%s\n' "${readies[@]}" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')
  RSS_MIB=$(printf '%s\n' "${rsses[@]}" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')
  log "$name: ready ${readies[*]} ms, RSS ${rsses[*]} MiB"
  result "start-up: $name, time to ready" "$(awk -v m="$READY_MS" 'BEGIN { print m / 1000 }')" " s" "<=" 2
  result "start-up: $name, idle RSS" "$RSS_MIB" " MiB" "<=" 200
}

# measure_cached NAME JAR "JVM OPTIONS" [app args...]: trains the variant's cache, then measures with it.
measure_cached() {
  local name=$1 jar=$2 opts=$3 cache; shift 3
  cache=$(train "$name" "$jar" "$opts" "$@")
  measure "$name" "$jar" "$opts $cache" "$@"
}

AOT_OPTS="$JVM_BASE_OPTS $SPRING_AOT_OPTS"
IMAGE_OPTS="$DOCKER_JVM_OPTS"
# The same image on a node without a memory limit below 1792 MiB: G1 instead of Serial GC.
G1_OPTS="${IMAGE_OPTS/-XX:+UseSerialGC/} -XX:+UseG1GC"
measure "fat jar" "$JAR" "$JVM_BASE_OPTS"
measure "extracted" "$THIN" "$JVM_BASE_OPTS"
measure_cached "extracted + JDK AOT cache" "$THIN" "$JVM_BASE_OPTS"
measure_cached "extracted + JDK AOT cache + Spring AOT" "$THIN" "$AOT_OPTS"
measure_cached "extracted + JDK AOT cache + Spring AOT + trim (image)" "$THIN" "$IMAGE_OPTS"
measure_cached "image + lazy init" "$THIN" "$IMAGE_OPTS" --spring.main.lazy-initialization=true
measure_cached "image, G1 (no small memory limit)" "$THIN" "$G1_OPTS"
