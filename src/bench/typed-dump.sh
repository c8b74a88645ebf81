#!/usr/bin/env bash
# Typed JSON of a whole 1M-element struct array (GET /maps/{id}/dump?format=typed) against
# `bpftool -j map dump` of the same pinned map, in one run (hyperfine); target >= 5x faster (issue 13).
# The value is struct flow { u64 packets; u32 pid; char comm[16]; u16 port; enum proto : u8 proto; },
# 32 bytes, random contents but for comm (a string) and proto (named), so both sides print every kind.
# Needs root and bpffs (kernel backend). RUNS (default 5) sets hyperfine's runs per command.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
need hyperfine:hyperfine bpftool:bpftool curl:curl jq:jq python3:python3
kernel_usable || die "typed-dump.sh needs the kernel backend: run as root with bpffs mounted (mount -t bpf bpf /sys/fs/bpf)"

ENTRIES=$((1 << 20))
NAME=bpfmapd_typed
WORK=$(mktemp -d /tmp/bpfmapd-bench.XXXXXX)
PIN=/sys/fs/bpf/bpfmapd-typed-bench-$$
trap 'stop_server; rm -f "$PIN"; rm -rf "$WORK"' EXIT

start_server "$WORK" --bpfmapd.limits.max-request-bytes=64MB
type='{"kind":"struct","name":"flow","fields":[{"name":"packets","type":{"kind":"u64"}},
 {"name":"pid","type":{"kind":"u32"}},{"name":"comm","type":{"kind":"char","length":16}},
 {"name":"port","type":{"kind":"u16"}},{"name":"proto","type":{"kind":"enum","name":"proto","size":1,
 "values":[{"name":"TCP","value":6},{"name":"UDP","value":17}]}}]}'
map=$(api POST /api/v1/maps "{\"name\":\"$NAME\",\"type\":\"ARRAY\",\"maxEntries\":$ENTRIES,\"flags\":[\"MMAPABLE\"],\"backend\":\"KERNEL\",\"valueType\":$type}" | jq -r .id)
size=$(api GET "/api/v1/maps/$map" | jq -r .valueSize)
[ "$size" = 32 ] || die "struct flow is $size bytes, not 32"

# Random packets, pid and port; comm a short string; proto TCP or UDP; written through a session.
python3 - "$ENTRIES" "$WORK/contents" <<'PY'
import os, random, struct, sys
n, out = int(sys.argv[1]), sys.argv[2]
random.seed(1)
with open(out, "wb") as f:
    for i in range(n):
        f.write(struct.pack("<QI16sHBx", random.getrandbits(64), random.getrandbits(32),
                            b"proc%d" % (i % 100000), random.getrandbits(16), random.choice((6, 17))))
PY
sid=$(open_session "$map" READ_WRITE)
curl -sS --fail-with-body -X PUT -H 'Content-Type: application/octet-stream' --data-binary @"$WORK/contents" \
  "$BASE/api/v1/sessions/$sid/memory?offset=0" >/dev/null
api DELETE "/api/v1/sessions/$sid" >/dev/null

kid=$(api GET "/api/v1/maps/$map" | jq -r .kernelId)
bpftool map pin id "$kid" "$PIN"
log "service map $map = kernel map $kid, pinned at $PIN"

# Both print the same values: element 12345 as typed JSON and as bpftool's formatted JSON (but for the
# u64, a decimal string here and a number there, which jq would round).
ours=$(curl -sf "$BASE/api/v1/maps/$map/values/12345?format=typed" | jq -c '.typed | del(.packets)')
theirs=$(bpftool -j map lookup pinned "$PIN" key 0x39 0x30 0 0 | jq -c '.formatted.value | del(.packets)')
[ "$ours" = "$theirs" ] || die "element 12345 differs: service $ours, bpftool $theirs"

typed="curl -sf -o /dev/null '$BASE/api/v1/maps/$map/dump?format=typed'"
jdump="bpftool -j map dump pinned $PIN >/dev/null"
hyperfine --style basic --warmup 1 --runs "${RUNS:-5}" --export-json "$BENCH_OUT/typed-dump.json" \
  -n typed "$typed" -n "bpftool -j dump" "$jdump" \
  >"$BENCH_OUT/typed-dump.txt" 2>&1 || { cat "$BENCH_OUT/typed-dump.txt" >&2; die "hyperfine failed"; }
mean() { jq -r --arg n "$1" '.results[] | select(.command == $n) | .mean' "$BENCH_OUT/typed-dump.json"; }
log "means (s): typed $(mean typed), bpftool -j $(mean 'bpftool -j dump')"
result "typed JSON of 1M×32 B structs vs bpftool -j map dump" "$(div "$(mean 'bpftool -j dump')" "$(mean typed)")" "×" ">=" 5
