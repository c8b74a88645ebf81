#!/usr/bin/env bash
# Typed JSON of a whole 1M-element struct map, against bpftool on the same pinned map, in one run
# (hyperfine): the service's format=typed read of every value vs `bpftool -j map dump` (target >= 5x
# faster). The map is a libbpf object's (src/bench/bpf/typed_whole_map.bpf.c: 1M x 56-byte flow
# records with BTF), created and pinned by `bpftool prog loadall`, imported by the service and filled
# with random bytes through a session. Needs root, bpffs, clang and libbpf's headers (kernel backend).
# RUNS (default 3) sets hyperfine's runs per command: bpftool takes about 40 s per dump here.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
need hyperfine:hyperfine bpftool:bpftool clang:clang curl:curl jq:jq ss:iproute2
kernel_usable || die "typed-whole-map.sh needs the kernel backend: run as root with bpffs mounted (mount -t bpf bpf /sys/fs/bpf)"
[ -e /usr/include/bpf/bpf_helpers.h ] || die "missing libbpf's headers; install them with: apt-get install libbpf-dev"

ENTRIES=$((1 << 20))
WORK=$(mktemp -d /tmp/bpfmapd-bench.XXXXXX)
PINS=/sys/fs/bpf/bpfmapd-bench-typed-$$
trap 'stop_server; rm -rf "$PINS"; rm -rf "$WORK"' EXIT

clang -O2 -g -target bpf -Wall -Werror -I"/usr/include/$(uname -m)-linux-gnu" \
  -c "$BENCH_DIR/bpf/typed_whole_map.bpf.c" -o "$WORK/typed_whole_map.bpf.o"
mkdir "$PINS"
bpftool prog loadall "$WORK/typed_whole_map.bpf.o" "$PINS/progs" pinmaps "$PINS"
PIN=$PINS/flows

start_server "$WORK" --bpfmapd.limits.max-request-bytes=64MB
map=$(api POST /api/v1/maps/import "{\"path\":\"$PIN\",\"backend\":\"KERNEL\"}" | jq -r .id)
value_size=$(api GET "/api/v1/maps/$map" | jq -r .valueSize)
log "service map $map = $PIN, $ENTRIES x $value_size B"

# Random contents, written through a session, so that neither side prints a map of zeros.
head -c "$(api GET "/api/v1/maps/$map" | jq -r .dataSize)" /dev/urandom >"$WORK/contents"
sid=$(open_session "$map" READ_WRITE)
curl -sS --fail-with-body -X PUT -H 'Content-Type: application/octet-stream' --data-binary @"$WORK/contents" \
  "$BASE/api/v1/sessions/$sid/memory?offset=0" >/dev/null
api DELETE "/api/v1/sessions/$sid" >/dev/null

typed="curl -sf -o /dev/null '$BASE/api/v1/maps/$map/dump?format=typed'"
jdump="bpftool -j map dump pinned $PIN >/dev/null"
# Both sides print every element (the differential test, TypedBpftoolDifferentialTest, holds the values equal).
n=$(curl -sf "$BASE/api/v1/maps/$map/dump?format=typed" | jq '.values | length')
[ "$n" = "$ENTRIES" ] || die "the typed read has $n values, not $ENTRIES"
n=$(bpftool -j map dump pinned "$PIN" | jq 'length')
[ "$n" = "$ENTRIES" ] || die "bpftool dumped $n values, not $ENTRIES"

hyperfine --style basic --warmup 1 --runs "${RUNS:-3}" --export-json "$BENCH_OUT/typed-whole-map.json" \
  -n typed "$typed" -n "bpftool -j dump" "$jdump" \
  >"$BENCH_OUT/typed-whole-map.txt" 2>&1 || { cat "$BENCH_OUT/typed-whole-map.txt" >&2; die "hyperfine failed"; }
mean() { jq -r --arg n "$1" '.results[] | select(.command == $n) | .mean' "$BENCH_OUT/typed-whole-map.json"; }
log "means (s): typed $(mean typed), bpftool -j $(mean 'bpftool -j dump')"

result "whole map 1M×${value_size} B struct: typed JSON vs bpftool -j map dump" "$(div "$(mean 'bpftool -j dump')" "$(mean typed)")" "×" ">=" 5
