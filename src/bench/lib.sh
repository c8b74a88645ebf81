# Shared helpers of the benchmark scripts under src/bench/ (sourced, not run).
# They install nothing: a missing tool is named with its Debian package, and the script stops.
# Every load targets 127.0.0.1 only, and every wrk load is bounded in time.

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_DIR="$(cd "$BENCH_DIR/../.." && pwd)"
BENCH_OUT="${BENCH_OUT:-$REPO_DIR/target/bench}"
BENCH_RESULTS="${BENCH_RESULTS:-$BENCH_OUT/results.tsv}"
mkdir -p "$BENCH_OUT"

log() { printf '==> %s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# need CMD:PACKAGE ... : stop, naming every missing Debian package at once.
need() {
  local missing=() spec
  for spec in "$@"; do
    command -v "${spec%%:*}" >/dev/null 2>&1 || missing+=("${spec#*:}")
  done
  [ ${#missing[@]} -eq 0 ] || die "missing tools; install them with: apt-get install ${missing[*]}"
}

# The JDK 25 java: $JAVA, else $JAVA_HOME's if it is 25+, else the one under /usr/lib/jvm.
find_java() {
  local c
  for c in "${JAVA:-}" "${JAVA_HOME:+$JAVA_HOME/bin/java}" /usr/lib/jvm/*25*/bin/java; do
    [ -n "$c" ] && [ -x "$c" ] || continue
    if "$c" -version 2>&1 | grep -qE 'version "(2[5-9]|[3-9][0-9])'; then echo "$c"; return; fi
  done
  die "no JDK 25 found: set JAVA=/path/to/jdk-25/bin/java"
}

# The service jar `./mvnw package` builds, with Spring AOT's generated code, which the image's JVM
# options (-Dspring.aot.enabled=true) need: Maven on a JDK older than 25 builds a jar without it.
find_jar() {
  local jar
  jar=$(ls "$REPO_DIR"/target/bpfmapd-*.jar 2>/dev/null | grep -v -- '-plain\|sources\|javadoc' | head -1)
  [ -n "$jar" ] || die "no service jar in target/: build it first with ./mvnw -DskipTests package"
  # A jar's entry names are stored uncompressed: grep finds the generated initializer's.
  grep -qa 'io/bpfmapd/BpfmapdApplication__ApplicationContextInitializer' "$jar" \
    || die "$jar has no Spring AOT code: rebuild it with ./mvnw -DskipTests package (Maven on JDK 25+)"
  echo "$jar"
}

# A port below the kernel's ephemeral range (ip_local_port_range), so that no client connection of
# this machine can hold it, and with no socket on it at all.
free_port() {
  local low p
  low=$(cut -f1 /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || echo 32768)
  for _ in $(seq 1 100); do
    p=$((10000 + RANDOM % (low - 10000)))
    [ -z "$(ss -Htan "sport = :$p" 2>/dev/null)" ] && { echo "$p"; return; }
  done
  die "no free port found"
}

# start_server WORKDIR [app args...]: starts the jar on 127.0.0.1:$PORT with the image's JVM options
# (docker/Dockerfile) plus $JVM_OPTS, waits until ready; sets SERVER_PID, PORT, BASE.
# The JVM sizes itself from the memory it sees: MEMORY_LIMIT (MiB, default 512, the Helm chart's
# limits.memory) goes in as -XX:MaxRAM, so that the heap is sized as in the pod, not from the host's RAM.
# Under a limit below 1792 MiB the JVM is not on a "server class machine" and picks Serial GC
# (HotSpot's GCConfig::select_gc_ergonomically); MaxRAM alone does not change that choice, so say it.
# The image's JAVA_OPTS less its AOT cache (startup.sh trains one) are JVM_BASE_OPTS, then Spring AOT
# (SPRING_AOT_OPTS) and the periodic malloc trim (TRIM_OPTS); startup.sh measures each step.
MEMORY_LIMIT=${MEMORY_LIMIT:-512}
JVM_BASE_OPTS="--enable-native-access=ALL-UNNAMED -XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError -XX:MaxRAM=${MEMORY_LIMIT}m"
[ "$MEMORY_LIMIT" -ge 1792 ] || JVM_BASE_OPTS="$JVM_BASE_OPTS -XX:+UseSerialGC"
SPRING_AOT_OPTS="-Dspring.aot.enabled=true"
TRIM_OPTS="-XX:TrimNativeHeapInterval=2000"
DOCKER_JVM_OPTS="$JVM_BASE_OPTS $SPRING_AOT_OPTS $TRIM_OPTS"
# With BPFMAPD_URL set, uses that running service instead (the suite's smoke test does).
start_server() {
  local work=$1; shift
  local java jar
  if [ -n "${BPFMAPD_URL:-}" ]; then
    BASE=$BPFMAPD_URL; SERVER_PID=
    wait_ready "$BASE" 30 || die "no ready service at $BASE"
    return
  fi
  java=$(find_java); jar=$(find_jar)
  PORT=$(free_port)
  BASE="http://127.0.0.1:$PORT"
  mkdir -p "$work/data"
  # shellcheck disable=SC2086
  "$java" $DOCKER_JVM_OPTS ${JVM_OPTS:-} -jar "$jar" --server.port="$PORT" --server.address=127.0.0.1 \
    --bpfmapd.emulated.data-dir="$work/data" --logging.level.root=WARN "$@" >"$work/server.log" 2>&1 &
  SERVER_PID=$!
  wait_ready "$BASE" 120 || { tail -40 "$work/server.log" >&2; die "the service did not become ready"; }
}

stop_server() {
  if [ -n "${SERVER_PID:-}" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill "$SERVER_PID" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$SERVER_PID" 2>/dev/null || true
  fi
  SERVER_PID=
}

# wait_ready BASE SECONDS: polls the readiness probe every 10 ms.
wait_ready() {
  local deadline=$(( $(date +%s) + $2 ))
  while [ "$(date +%s)" -lt "$deadline" ]; do
    curl -sf -o /dev/null "$1/actuator/health/readiness" && return 0
    [ -z "${SERVER_PID:-}" ] || kill -0 "$SERVER_PID" 2>/dev/null || return 1
    sleep 0.01
  done
  return 1
}

# api METHOD PATH [JSON body]: one API call; prints the body, fails on a non-2xx status.
api() {
  local method=$1 path=$2 body=${3:-}
  if [ -n "$body" ]; then
    curl -sS --fail-with-body -X "$method" -H 'Content-Type: application/json' -d "$body" "$BASE$path"
  else
    curl -sS --fail-with-body -X "$method" "$BASE$path"
  fi
}

# create_map BACKEND ENTRIES: a u64 MMAPABLE array through the API; prints its id.
create_map() {
  api POST /api/v1/maps "{\"name\":\"bench\",\"type\":\"ARRAY\",\"valueSize\":8,\"maxEntries\":$2,\"flags\":[\"MMAPABLE\"],\"backend\":\"$1\"}" | jq -r .id
}

# open_session MAPID ACCESS: prints the session id.
open_session() {
  api POST "/api/v1/maps/$1/sessions" "{\"access\":\"$2\",\"ttlSeconds\":3600}" | jq -r .id
}

kernel_usable() {
  [ "$(id -u)" = 0 ] && mount | grep -q ' /sys/fs/bpf type bpf '
}

# wrk_get NAME PATH [RANGE SCALE]: a time-bounded wrk load of GETs on loopback; "{i}" in PATH becomes a
# random index below RANGE times SCALE. Sets RPS and P99_US; fails if any response was not 2xx.
wrk_get() {
  local name=$1 path=$2 out="$BENCH_OUT/wrk-$1.txt"
  WRK_PATH="$path" WRK_RANGE="${3:-1}" WRK_SCALE="${4:-1}" \
    wrk -t"${WRK_THREADS:-1}" -c"${WRK_CONNECTIONS:-16}" -d"${WRK_DURATION:-10s}" --latency \
    -s "$BENCH_DIR/wrk/get.lua" "$BASE" >"$out" 2>&1 || { cat "$out" >&2; die "wrk failed for $name"; }
  if grep -q 'Non-2xx or 3xx responses' "$out"; then cat "$out" >&2; die "$name: some responses were not 2xx"; fi
  RPS=$(awk '/^Requests\/sec:/ { print $2 }' "$out")
  P99_US=$(awk '$1 == "99%" { v = $2; u = v; sub(/[0-9.]+/, "", u); sub(/[a-z]+$/, "", v);
                               m = (u == "us") ? 1 : (u == "ms") ? 1000 : (u == "s") ? 1000000 : 0; print v * m }' "$out")
  [ -n "$RPS" ] && [ -n "$P99_US" ] || { cat "$out" >&2; die "cannot parse wrk's output for $name"; }
  log "$name: $RPS req/s, p99 ${P99_US} us"
}

# verdict VALUE OP TARGET: "met" or "MISSED", OP is >= or <=.
verdict() {
  awk -v v="$1" -v op="$2" -v t="$3" 'BEGIN { ok = (op == ">=") ? (v >= t) : (v <= t); print ok ? "met" : "MISSED" }'
}

# result NAME VALUE UNIT [OP TARGET]: one row of the ratio table, appended to $BENCH_RESULTS.
result() {
  local name=$1 value=$2 unit=$3 op=${4:-} target=${5:-} shown v
  shown=$(awk -v v="$value" 'BEGIN { printf (v >= 100 ? "%.0f" : "%.2f"), v }')
  if [ -n "$op" ]; then
    v=$(verdict "$value" "$op" "$target")
    [ "$op" = ">=" ] && op="≥" || op="≤"
    printf '%s\t%s%s\t%s %s%s\t%s\n' "$name" "$shown" "$unit" "$op" "$target" "$unit" "$v" | tee -a "$BENCH_RESULTS"
  else
    printf '%s\t%s%s\t%s\t%s\n' "$name" "$shown" "$unit" "-" "measured" | tee -a "$BENCH_RESULTS"
  fi
}

# median VALUES...: the middle value (the lower middle of an even count).
median() { printf '%s\n' "$@" | sort -g | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

# div A B: A / B as a float.
div() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.6f", (b == 0) ? 0 : a / b }'; }
