#!/usr/bin/env bash
# Value streams (server-sent events) on one 65,536-element u64 MMAPABLE map, 1% of it changing every 100 ms:
#  - server CPU with 100 subscribers vs with 1 (they share one reader: target <= 2x);
#  - p99 delay from a write to the event that carries it, with 100 subscribers (target <= 2 intervals, 200 ms);
#  - heap used after a full GC with 1,000 idle subscribers vs none (target <= 50 MiB more).
# The client is src/bench/StreamsClient.java, run in its own JVM: the server's CPU is its process's alone.
# Usage: streams.sh [kernel|emulated]  (default: kernel when root with bpffs mounted, else emulated).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
need curl:curl jq:jq ss:iproute2

backend=${1:-$(kernel_usable && echo kernel || echo emulated)}
BACKEND=$(echo "$backend" | tr a-z A-Z)
ENTRIES=65536
SECONDS_MEASURED=${STREAM_SECONDS:-20}
IDLE=${IDLE_SUBSCRIBERS:-1000}
WORK=$(mktemp -d /tmp/bpfmapd-bench.XXXXXX)
trap 'stop_server; rm -rf "$WORK"' EXIT
JAVA_BIN=$(find_java)
client() { "$JAVA_BIN" -Xss256k "$BENCH_DIR/StreamsClient.java" "$@"; }

start_server "$WORK" --bpfmapd.streams.max-subscribers=$((IDLE + 200))
map=$(create_map "$BACKEND" "$ENTRIES")

# Idle first, on the fresh service: heap after a full GC with no stream, then with $IDLE open.
jcmd=$(dirname "$JAVA_BIN")/jcmd
read -r heap0 heap1 open < <(client idle "$BASE" "$map" "$IDLE" "$SERVER_PID" "$jcmd")
log "heap after GC: $heap0 B before, $heap1 B with $open idle subscribers"
result "streams: extra heap of $IDLE idle subscribers ($backend)" "$(awk -v a="$heap0" -v b="$heap1" 'BEGIN { print (b - a) / 1048576 }')" " MiB" "<=" 50

# A discarded round first: the first fanout after the idle phase also pays the JIT's warm-up of the
# reader and the writes, which made one subscriber look dearer than a hundred (0.62x in one run).
client fanout "$BASE" "$map" 1 10 "$SERVER_PID" >/dev/null
read -r cpu1 p99_1 ev1 p50_1 < <(client fanout "$BASE" "$map" 1 "$SECONDS_MEASURED" "$SERVER_PID")
log "1 subscriber: server CPU ${cpu1} s/s, p99 delay ${p99_1} ms (p50 ${p50_1} ms), ${ev1} events"
read -r cpu100 p99_100 ev100 p50_100 < <(client fanout "$BASE" "$map" 100 "$SECONDS_MEASURED" "$SERVER_PID")
log "100 subscribers: server CPU ${cpu100} s/s, p99 delay ${p99_100} ms (p50 ${p50_100} ms), ${ev100} events"

result "streams: server CPU, 1 subscriber, 1% of 64Ki changing / 100 ms ($backend)" "$(awk -v c="$cpu1" 'BEGIN { print c * 100 }')" " % of a core"
result "streams: server CPU, 100 vs 1 subscriber ($backend)" "$(div "$cpu100" "$cpu1")" "×" "<=" 2
result "streams: p99 write-to-event delay, 100 subscribers, 100 ms interval ($backend)" "$p99_100" " ms" "<=" 200
log "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
