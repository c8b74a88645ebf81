#!/usr/bin/env bash
# One element over HTTP, against the ceiling of the same server: wrk on loopback drives
#   GET /api/v1/maps/{id}/values/{i}                     (BPF_MAP_LOOKUP_ELEM),
#   GET /api/v1/sessions/{sid}/memory?offset=8i&length=8 (a read through an mmap session), and
#   GET /actuator/health/liveness                        (the trivial endpoint),
# with random indexes over a 1M-entry u64 map, in one run. Targets: >= 0.8x the trivial endpoint's
# requests/s, p99 <= 2x its p99. Usage: http-one-element.sh [kernel|emulated]  (default: kernel when
# root with bpffs mounted, else emulated). WRK_DURATION (10s), WRK_CONNECTIONS (16) tune the load.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
need wrk:wrk curl:curl jq:jq ss:iproute2

backend=${1:-$(kernel_usable && echo kernel || echo emulated)}
BACKEND=$(echo "$backend" | tr a-z A-Z)
ENTRIES=$((1 << 20))
WORK=$(mktemp -d /tmp/bpfmapd-bench.XXXXXX)
trap 'stop_server; rm -rf "$WORK"' EXIT

start_server "$WORK"
map=$(create_map "$BACKEND" "$ENTRIES")
sid=$(open_session "$map" READ_ONLY)
log "$BACKEND map $map, read-only session $sid"

trivial=/actuator/health/liveness
value="/api/v1/maps/$map/values/{i}"
memory="/api/v1/sessions/$sid/memory?offset={i}&length=8"

# Warm-up: let the JIT compile all three paths before anything is measured.
WRK_DURATION=${WARMUP_DURATION:-5s} wrk_get warmup-trivial "$trivial"
WRK_DURATION=${WARMUP_DURATION:-5s} wrk_get warmup-value "$value" "$ENTRIES"
WRK_DURATION=${WARMUP_DURATION:-5s} wrk_get warmup-memory "$memory" "$ENTRIES" 8

# The trivial endpoint before and after, so that drift on a shared machine hurts neither side.
wrk_get trivial-1 "$trivial";              t_rps1=$RPS; t_p991=$P99_US
wrk_get value "$value" "$ENTRIES";         v_rps=$RPS; v_p99=$P99_US
wrk_get memory "$memory" "$ENTRIES" 8;     m_rps=$RPS; m_p99=$P99_US
wrk_get trivial-2 "$trivial";              t_rps2=$RPS; t_p992=$P99_US
t_rps=$(awk -v a="$t_rps1" -v b="$t_rps2" 'BEGIN { print (a + b) / 2 }')
t_p99=$(awk -v a="$t_p991" -v b="$t_p992" 'BEGIN { print (a + b) / 2 }')

result "HTTP trivial endpoint ($backend server)" "$t_rps" " req/s"
result "HTTP GET value: req/s vs trivial ($backend)" "$(div "$v_rps" "$t_rps")" "×" ">=" 0.8
result "HTTP GET value: p99 vs trivial ($backend)" "$(div "$v_p99" "$t_p99")" "×" "<=" 2
result "HTTP session memory read: req/s vs trivial ($backend)" "$(div "$m_rps" "$t_rps")" "×" ">=" 0.8
result "HTTP session memory read: p99 vs trivial ($backend)" "$(div "$m_p99" "$t_p99")" "×" "<=" 2
