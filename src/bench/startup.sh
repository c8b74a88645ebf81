#!/usr/bin/env bash
# Start-up and footprint of the service as a node sidecar: time from `java` to a ready readiness probe,
# and RSS after IDLE seconds idle, with the Docker image's JVM options (docker/Dockerfile), for each
# start-up choice: the fat jar; the image's extracted layout; with the JDK 25 AOT cache (JEP 483/514,
# trained as the image trains it); lazy initialisation; G1 instead of Serial GC. Targets: ready <= 2 s,
# idle RSS <= 200 MiB. RUNS (default 3) starts per variant, the median is reported.
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
log "training the AOT cache (the image's command)"
# shellcheck disable=SC2086
# bpfmapd.aot-training: once ready, the run serves a few requests to itself, then exits (README, configuration).
"$JAVA_BIN" $DOCKER_JVM_OPTS -XX:AOTCacheOutput="$WORK/app.aot" -Dbpfmapd.aot-training=true \
  -jar "$THIN" "${APP_ARGS[@]}" --server.port=0 >"$WORK/aot-training.log" 2>&1 \
  || { tail -30 "$WORK/aot-training.log" >&2; die "AOT training run failed"; }

# measure NAME JAR "JVM OPTIONS" [app args...]: RUNS starts; sets READY_MS and RSS_MIB (medians).
measure() {
  local name=$1 jar=$2 opts=$3; shift 3
  local readies=() rsses=() start end
  for r in $(seq 1 "$RUNS"); do
    PORT=$(free_port); BASE="http://127.0.0.1:$PORT"
    start=$(date +%s%N)
    # shellcheck disable=SC2086
    "$JAVA_BIN" $DOCKER_JVM_OPTS $opts -jar "$jar" "${APP_ARGS[@]}" --server.port="$PORT" "$@" \
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

AOT="-XX:AOTCache=$WORK/app.aot"
measure "fat jar" "$JAR" ""
measure "extracted" "$THIN" ""
measure "extracted + AOT cache (image)" "$THIN" "$AOT"
measure "extracted + AOT + lazy init" "$THIN" "$AOT" --spring.main.lazy-initialization=true
# The same image on a node without a memory limit below 1792 MiB: G1 instead of Serial GC.
measure "image, G1 (no small memory limit)" "$THIN" "$AOT -XX:-UseSerialGC -XX:+UseG1GC"
