#!/usr/bin/env bash
# Whole-map reads of a 1M x 8-byte kernel map, against bpftool on the same pinned map, in one run
# (hyperfine): the octet-stream read of the data area vs `bpftool map dump` (target >= 50x faster),
# and the JSON range read of all values vs `bpftool -j map dump` (target >= 5x faster); plus the
# octet-stream throughput on loopback in GiB/s (target >= 1). Needs root and bpffs (kernel backend).
# RUNS (default 5) sets hyperfine's runs per command, WRK_DURATION (10s) each throughput load.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
need wrk:wrk hyperfine:hyperfine bpftool:bpftool curl:curl jq:jq ss:iproute2
kernel_usable || die "whole-map.sh needs the kernel backend: run as root with bpffs mounted (mount -t bpf bpf /sys/fs/bpf)"

ENTRIES=$((1 << 20))
BYTES=$((ENTRIES * 8))
NAME=bpfmapd_whole
WORK=$(mktemp -d /tmp/bpfmapd-bench.XXXXXX)
PIN=/sys/fs/bpf/bpfmapd-bench-$$
trap 'stop_server; rm -f "$PIN"; rm -rf "$WORK"' EXIT

# The JSON read of all 1M values is one range request: lift the range and JSON limits for it.
start_server "$WORK" --bpfmapd.api.max-range-count="$ENTRIES" --bpfmapd.api.max-json-bytes=$((64 << 20))
map=$(api POST /api/v1/maps "{\"name\":\"$NAME\",\"type\":\"ARRAY\",\"valueSize\":8,\"maxEntries\":$ENTRIES,\"flags\":[\"MMAPABLE\"],\"backend\":\"KERNEL\"}" | jq -r .id)

# Random contents, written through a session, so that neither side reads a page of zeros.
head -c "$BYTES" /dev/urandom >"$WORK/contents"
sid=$(open_session "$map" READ_WRITE)
curl -sS --fail-with-body -X PUT -H 'Content-Type: application/octet-stream' --data-binary @"$WORK/contents" \
  "$BASE/api/v1/sessions/$sid/memory?offset=0" >/dev/null
api DELETE "/api/v1/sessions/$sid" >/dev/null

# bpftool reads the very map the service holds, pinned by its kernel id.
kid=$(bpftool -j map show | jq -r --arg n "$NAME" '[.[] | select(.name == $n)] | last | .id')
[ -n "$kid" ] && [ "$kid" != null ] || die "bpftool does not see the map $NAME"
bpftool map pin id "$kid" "$PIN"
log "service map $map = kernel map $kid, pinned at $PIN"

octet="curl -sf -o /dev/null -H 'Accept: application/octet-stream' $BASE/api/v1/maps/$map/values"
json="curl -sf -o /dev/null '$BASE/api/v1/maps/$map/values?from=0&count=$ENTRIES'"
dump="bpftool map dump pinned $PIN >/dev/null"
jdump="bpftool -j map dump pinned $PIN >/dev/null"
# Both sides must read the same bytes: the octet-stream equals what was written.
curl -sf -H 'Accept: application/octet-stream' "$BASE/api/v1/maps/$map/values" | cmp - "$WORK/contents" \
  || die "the octet-stream read differs from the bytes written"

hyperfine --style basic --warmup 2 --runs "${RUNS:-5}" --export-json "$BENCH_OUT/whole-map.json" \
  -n octet-stream "$octet" -n json "$json" -n "bpftool dump" "$dump" -n "bpftool -j dump" "$jdump" \
  >"$BENCH_OUT/whole-map.txt" 2>&1 || { cat "$BENCH_OUT/whole-map.txt" >&2; die "hyperfine failed"; }
mean() { jq -r --arg n "$1" '.results[] | select(.command == $n) | .mean' "$BENCH_OUT/whole-map.json"; }
log "means (s): octet $(mean octet-stream), json $(mean json), bpftool $(mean 'bpftool dump'), bpftool -j $(mean 'bpftool -j dump')"

# Sustained throughput of the octet-stream read: wrk streaming the whole map over 1 and 2 keep-alive
# connections for WRK_DURATION each (wrk's Transfer/sec, in 1024-based units). One request at a time
# on a shared 2-core machine mostly measures how soon the scheduler runs each side, not the copy.
stream_gibs() { # CONNECTIONS: prints GiB/s
  local out="$BENCH_OUT/wrk-stream-$1.txt"
  wrk -t1 -c"$1" -d"${WRK_DURATION:-10s}" -H 'Accept: application/octet-stream' \
    "$BASE/api/v1/maps/$map/values" >"$out" 2>&1 || { cat "$out" >&2; die "wrk failed"; }
  if grep -q 'Non-2xx or 3xx responses' "$out"; then cat "$out" >&2; die "octet-stream: some responses were not 2xx"; fi
  awk '/^Transfer\/sec:/ { v = $2; u = v; sub(/[0-9.]+/, "", u); sub(/[A-Z]+$/, "", v);
        f = (u == "GB") ? 1 : (u == "MB") ? 1 / 1024 : (u == "KB") ? 1 / 1048576 : 0; print v * f }' "$out"
}
gibs1=$(stream_gibs 1); gibs2=$(stream_gibs 2)
log "octet-stream throughput: $gibs1 GiB/s on one connection, $gibs2 GiB/s on two"

result "whole map 1M×8 B: octet-stream vs bpftool map dump" "$(div "$(mean 'bpftool dump')" "$(mean octet-stream)")" "×" ">=" 50
result "whole map 1M×8 B: JSON vs bpftool -j map dump" "$(div "$(mean 'bpftool -j dump')" "$(mean json)")" "×" ">=" 5
result "whole map octet-stream throughput, 1 connection" "$gibs1" " GiB/s"
result "whole map octet-stream throughput, 2 connections" "$gibs2" " GiB/s" ">=" 1
