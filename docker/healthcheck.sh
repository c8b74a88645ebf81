#!/bin/sh
# Docker HEALTHCHECK: succeeds when the readiness group answers 200. Works on both bases without
# curl: busybox wget on bpfmapd-base:local, and bash's /dev/tcp on eclipse-temurin (Ubuntu ships
# bash but neither wget nor curl). Override the URL with BPFMAPD_HEALTH_URL.
url="${BPFMAPD_HEALTH_URL:-http://127.0.0.1:${SERVER_PORT:-8080}/actuator/health/readiness}"
if command -v wget >/dev/null 2>&1; then
  # No -T: Debian's static busybox 1.35 wget crashes (SIGSEGV) with it; HEALTHCHECK --timeout bounds it.
  exec wget -q -O /dev/null "$url"
fi
if command -v curl >/dev/null 2>&1; then
  exec curl -fsS -m 3 -o /dev/null "$url"
fi
if command -v bash >/dev/null 2>&1; then
  # http://HOST:PORT/PATH only; the status line must say 200.
  exec bash -c '
    rest=${1#http://}; hostport=${rest%%/*}; path=/${rest#*/}
    host=${hostport%:*}; port=${hostport##*:}; [ "$port" = "$hostport" ] && port=80
    exec 3<>"/dev/tcp/$host/$port" || exit 1
    printf "GET %s HTTP/1.0\r\nHost: %s\r\n\r\n" "$path" "$hostport" >&3
    IFS=" " read -r -t 3 _ status _ <&3 && [ "$status" = 200 ]' healthcheck "$url"
fi
echo "healthcheck: neither wget, curl nor bash in this image" >&2
exit 1
