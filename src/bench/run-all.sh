#!/usr/bin/env bash
# Runs every benchmark and prints one ratio table (Markdown), also kept in target/bench/results.md:
# the JMH element benchmarks (./mvnw -Pjmh verify), then the HTTP, whole-map, session and start-up
# scripts. Builds the jar first if it is missing. A script that fails is reported and the rest go on.
# Usage: src/bench/run-all.sh [--no-jmh]   (JMH_ARGS passes options to JMH, e.g. "-f 1 -i 3")
set -uo pipefail
cd "$(dirname "$0")/../.."
source src/bench/lib.sh
need wrk:wrk hyperfine:hyperfine bpftool:bpftool curl:curl jq:jq ss:iproute2

: >"$BENCH_RESULTS"
export BENCH_RESULTS
failed=()
log "machine: $(nproc) cores, $(uname -r), load $(cut -d' ' -f1-3 /proc/loadavg)"

if [ "${1:-}" != "--no-jmh" ]; then
  log "JMH (./mvnw -Pjmh verify)"
  ./mvnw -q -Pjmh verify -Djmh.args="${JMH_ARGS:-}" -Djmh.tsv="$BENCH_RESULTS" >"$BENCH_OUT/jmh.txt" 2>&1 \
    || failed+=("jmh (see $BENCH_OUT/jmh.txt)")
fi
ls target/bpfmapd-*.jar >/dev/null 2>&1 || ./mvnw -q -DskipTests package >"$BENCH_OUT/package.txt" 2>&1 \
  || { cat "$BENCH_OUT/package.txt"; die "the jar did not build"; }

backend=$(kernel_usable && echo kernel || echo emulated)
run() { log "$*"; "$@" || failed+=("$*"); }
run src/bench/http-one-element.sh "$backend"
[ "$backend" = kernel ] && run src/bench/http-one-element.sh emulated
if [ "$backend" = kernel ]; then run src/bench/whole-map.sh; else failed+=("whole-map.sh (needs root and bpffs)"); fi
if [ "$backend" = kernel ]; then run src/bench/typed-dump.sh; else failed+=("typed-dump.sh (needs root and bpffs)"); fi
run src/bench/sessions.sh "$backend"
run src/bench/streams.sh "$backend"
run src/bench/startup.sh

{
  echo "| measurement | measured | target | verdict |"
  echo "|---|---:|---:|---|"
  awk -F'\t' '{ printf "| %s | %s | %s | %s |\n", $1, $2, $3, $4 }' "$BENCH_RESULTS"
  echo
  echo "$(nproc) cores, Linux $(uname -r), $("$(find_java)" -version 2>&1 | head -1), load $(cut -d' ' -f1-3 /proc/loadavg) at the end"
} | tee "$BENCH_OUT/results.md"
if [ ${#failed[@]} -gt 0 ]; then
  printf 'not measured: %s\n' "${failed[@]}" >&2
  exit 1
fi
