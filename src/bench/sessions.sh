#!/usr/bin/env bash
# Sessions over HTTP, on a 1M-entry u64 map:
#  - open+close pairs per second (wrk: POST /maps/{id}/sessions then DELETE /sessions/{sid}), and that
#    rate's requests against the trivial endpoint's in the same run;
#  - freeze latency with 1,000 open read-only sessions on the map vs with none: freeze must not scan
#    sessions one by one (ratio target <= 2x).
# Usage: sessions.sh [kernel|emulated]  (default: kernel when root with bpffs mounted, else emulated).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
need wrk:wrk curl:curl jq:jq ss:iproute2

backend=${1:-$(kernel_usable && echo kernel || echo emulated)}
BACKEND=$(echo "$backend" | tr a-z A-Z)
ENTRIES=$((1 << 20))
SESSIONS=${SESSIONS:-1000}
ROUNDS=${ROUNDS:-5}
WORK=$(mktemp -d /tmp/bpfmapd-bench.XXXXXX)
trap 'stop_server; rm -rf "$WORK"' EXIT

# One principal (open mode) holds all the sessions: lift the per-principal limits (default 256 sessions,
# 2GB mapped) above them; each maps the whole 8 MiB map.
start_server "$WORK" --bpfmapd.limits.max-sessions-per-principal=$((SESSIONS + 64)) \
  --bpfmapd.limits.max-sessions=$((SESSIONS + 4096)) \
  --bpfmapd.limits.max-mapped-bytes-per-principal=$(((SESSIONS + 64) * 8))MB \
  --bpfmapd.limits.max-total-mapped-bytes=$(((SESSIONS + 4096) * 8))MB
map=$(create_map "$BACKEND" "$ENTRIES")

# --- open+close pairs/s
pairs() { # NAME: sets RPS, P99_US
  local out="$BENCH_OUT/wrk-$1.txt"
  WRK_MAP=$map wrk -t1 -c"${WRK_CONNECTIONS:-16}" -d"${2:-${WRK_DURATION:-10s}}" --latency \
    -s "$BENCH_DIR/wrk/open-close.lua" "$BASE" >"$out" 2>&1 || { cat "$out" >&2; die "wrk failed"; }
  if grep -q 'Non-2xx or 3xx responses' "$out"; then cat "$out" >&2; die "$1: some responses were not 2xx"; fi
  RPS=$(awk '/^Requests\/sec:/ { print $2 }' "$out")
  log "$1: $RPS req/s ($(div "$RPS" 2) pairs/s)"
}
pairs sessions-warmup "${WARMUP_DURATION:-5s}"
wrk_get trivial-1 /actuator/info; t1=$RPS
pairs sessions; s_rps=$RPS
wrk_get trivial-2 /actuator/info; t2=$RPS
t_rps=$(awk -v a="$t1" -v b="$t2" 'BEGIN { print (a + b) / 2 }')

result "sessions: open+close pairs/s over HTTP ($backend)" "$(div "$s_rps" 2)" " pairs/s"
result "sessions: open/close requests vs trivial endpoint ($backend)" "$(div "$s_rps" "$t_rps")" "×"

# --- freeze latency: a fresh map per round (freeze is once per map), with and without sessions.
# Opens go through one curl process (a config of many requests) so that they reuse one connection.
open_many() { # MAP N
  local cfg="$WORK/open.cfg"
  : >"$cfg"
  for _ in $(seq 1 "$2"); do
    printf 'url = "%s/api/v1/maps/%s/sessions"\nrequest = "POST"\nheader = "Content-Type: application/json"\ndata = "{\\"access\\":\\"READ_ONLY\\",\\"ttlSeconds\\":3600}"\nwrite-out = "%%{http_code}\\n"\noutput = "/dev/null"\nnext\n' "$BASE" "$1" >>"$cfg"
  done
  sed -i '$d' "$cfg"   # no "next" after the last request: curl would want one more URL
  local codes; codes=$(curl -sS -K "$cfg" | sort | uniq -c)
  echo "$codes" | grep -q "^ *$2 201$" || die "opening $2 sessions: $codes"
}
close_all() { # MAP: closes every session on the map, over one connection
  local cfg="$WORK/close.cfg" sid
  : >"$cfg"
  for sid in $(api GET "/api/v1/sessions?mapId=$1" | jq -r '.[].id'); do
    printf 'url = "%s/api/v1/sessions/%s"\nrequest = "DELETE"\noutput = "/dev/null"\nnext\n' "$BASE" "$sid" >>"$cfg"
  done
  [ -s "$cfg" ] || return 0
  sed -i '$d' "$cfg"
  curl -sS -K "$cfg"
}
freeze_secs() { curl -sS --fail-with-body -o /dev/null -w '%{time_total}' -X POST "$BASE/api/v1/maps/$1/freeze"; }

close_all "$map"   # what the load's last opens left open

# Freeze is rare, so its path is still interpreted after start-up: warm it (and the map's create and
# delete) on throw-away maps first, or the first measured freezes would time the JIT, not the freeze.
for _ in $(seq 1 "${FREEZE_WARMUP:-200}"); do
  m=$(create_map "$BACKEND" 16); freeze_secs "$m" >/dev/null; api DELETE "/api/v1/maps/$m" >/dev/null
done

with=() without=()
for r in $(seq 1 "$ROUNDS"); do
  empty=$(create_map "$BACKEND" "$ENTRIES"); busy=$(create_map "$BACKEND" "$ENTRIES")
  open_many "$busy" "$SESSIONS"
  # Alternate which goes first, so that neither side always meets a cold path.
  if [ $((r % 2)) = 1 ]; then
    without+=("$(freeze_secs "$empty")"); with+=("$(freeze_secs "$busy")")
  else
    with+=("$(freeze_secs "$busy")"); without+=("$(freeze_secs "$empty")")
  fi
  log "round $r: freeze ${without[-1]} s without sessions, ${with[-1]} s with $SESSIONS read-only sessions"
  close_all "$busy"
  api DELETE "/api/v1/maps/$busy" >/dev/null; api DELETE "/api/v1/maps/$empty" >/dev/null
done
w=$(median "${with[@]}"); wo=$(median "${without[@]}")

result "freeze with $SESSIONS read-only sessions ($backend)" "$(awk -v s="$w" 'BEGIN { print s * 1000 }')" " ms"
result "freeze: $SESSIONS sessions vs none ($backend)" "$(div "$w" "$wo")" "×" "<=" 2
