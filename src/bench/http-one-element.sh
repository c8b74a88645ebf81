#!/usr/bin/env bash
# One element over HTTP, against the ceiling of the same server: wrk on loopback drives
#   GET /api/v1/maps/{id}/values/{i}                     (BPF_MAP_LOOKUP_ELEM),
#   GET /api/v1/sessions/{sid}/memory?offset=8i&length=8 (a read through an mmap session), and
#   GET /actuator/info                                   (the trivial endpoint: "{}"),
# with random indexes over a 1M-entry u64 map, in one run. Targets: >= 0.8x the trivial endpoint's
# requests/s, p99 <= 2x its p99. Usage: http-one-element.sh [kernel|emulated]  (default: kernel when
# root with bpffs mounted, else emulated). WRK_DURATION (10s), WRK_CONNECTIONS (16), ROUNDS (3) and
# WARMUP_DURATION (10s) tune the load.
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

# The trivial endpoint: /actuator/info answers "{}" through the same filters and the same Tomcat, and is
# the fastest endpoint of the server (the liveness probe, with its health aggregation, is about half as fast).
trivial=/actuator/info
value="/api/v1/maps/$map/values/{i}"
memory="/api/v1/sessions/$sid/memory?offset={i}&length=8"

# Warm-up: let the JIT compile all three paths before anything is measured.
WRK_DURATION=${WARMUP_DURATION:-10s} wrk_get warmup-trivial "$trivial"
WRK_DURATION=${WARMUP_DURATION:-10s} wrk_get warmup-value "$value" "$ENTRIES"
WRK_DURATION=${WARMUP_DURATION:-10s} wrk_get warmup-memory "$memory" "$ENTRIES" 8

# ROUNDS rounds of trivial, value, memory back to back; each ratio is taken within a round, and the
# median round is reported, so that drift on a shared machine hurts neither side.
v_rps=() v_p99=() m_rps=() m_p99=() t_all=()
for r in $(seq 1 "${ROUNDS:-3}"); do
  wrk_get "trivial-$r" "$trivial";          t_rps=$RPS; t_p99=$P99_US; t_all+=("$RPS")
  wrk_get "value-$r" "$value" "$ENTRIES";   v_rps+=("$(div "$RPS" "$t_rps")"); v_p99+=("$(div "$P99_US" "$t_p99")")
  wrk_get "memory-$r" "$memory" "$ENTRIES" 8; m_rps+=("$(div "$RPS" "$t_rps")"); m_p99+=("$(div "$P99_US" "$t_p99")")
done

result "HTTP trivial endpoint $trivial ($backend server)" "$(median "${t_all[@]}")" " req/s"
result "HTTP GET value: req/s vs trivial ($backend)" "$(median "${v_rps[@]}")" "×" ">=" 0.8
result "HTTP GET value: p99 vs trivial ($backend)" "$(median "${v_p99[@]}")" "×" "<=" 2
result "HTTP session memory read: req/s vs trivial ($backend)" "$(median "${m_rps[@]}")" "×" ">=" 0.8
result "HTTP session memory read: p99 vs trivial ($backend)" "$(median "${m_p99[@]}")" "×" "<=" 2
