#!/usr/bin/env bash
# Builds bpfmapd-base:local, a minimal JRE 25 image, without any registry: a jlink-ed runtime from
# the machine's JDK, the host's shared libraries it links against (found with ldd), busybox-static
# for /bin/sh and the usual applets (wget for the HEALTHCHECK), and a minimal /etc. The layout
# mirrors eclipse-temurin:25-jre (JAVA_HOME=/opt/java/openjdk), so docker/Dockerfile builds on
# either with --build-arg BASE_IMAGE=bpfmapd-base:local.
#
# Idempotent and fast: the image carries a fingerprint of its inputs (this script, the JDK release,
# busybox) as a label; when the existing image has the same fingerprint nothing is rebuilt.
# Usage: docker/build-base-image.sh [image-name]     (JDK_HOME overrides the JDK to link from)
set -euo pipefail

IMAGE="${1:-bpfmapd-base:local}"
JDK_HOME="${JDK_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
BUSYBOX="$(command -v busybox || true)"

# Spring Boot 4 + Jetty + Micrometer + springdoc need these (jdeps --print-module-deps on the
# fat jar's dependencies finds java.base, java.desktop [java.beans], java.instrument, java.logging,
# java.management, java.naming, java.net.http, java.security.jgss, java.sql, java.xml,
# jdk.unsupported); the rest is a deliberate margin for operators: JFR, jcmd, JMX, DNS, crypto.
MODULES="java.base,java.compiler,java.desktop,java.instrument,java.logging,java.management,\
java.management.rmi,java.naming,java.net.http,java.prefs,java.rmi,java.scripting,java.security.jgss,\
java.security.sasl,java.sql,java.transaction.xa,java.xml,java.xml.crypto,jdk.attach,jdk.charsets,\
jdk.crypto.cryptoki,jdk.crypto.ec,jdk.jcmd,jdk.jfr,jdk.management,jdk.management.agent,\
jdk.management.jfr,jdk.naming.dns,jdk.net,jdk.security.auth,jdk.security.jgss,jdk.unsupported,jdk.zipfs"

die() { echo "build-base-image: $*" >&2; exit 1; }
[ -x "$JDK_HOME/bin/jlink" ] || die "no jlink under $JDK_HOME (set JDK_HOME to a JDK 25)"
[ -n "$BUSYBOX" ] || die "busybox not found (Debian: apt-get install busybox-static)"
# No `cmd | grep -q` or `| head` under pipefail: an early-exiting reader SIGPIPEs the writer (exit 141).
case "$(ldd "$BUSYBOX" 2>&1 || true)" in
  *"not a dynamic executable"*) ;;
  *) die "$BUSYBOX is not static (Debian: apt-get install busybox-static)" ;;
esac
docker info >/dev/null 2>&1 || die "no Docker engine answers (start dockerd)"

busybox_version="$("$BUSYBOX" 2>&1 | sed -n 1p || true)"
fingerprint="$( { cat "$0"; cat "$JDK_HOME/release"; echo "$busybox_version"; } | sha256sum | cut -c1-16)"
current="$(docker image inspect "$IMAGE" --format '{{ index .Config.Labels "io.bpfmapd.base.fingerprint" }}' 2>/dev/null || true)"
if [ "$current" = "$fingerprint" ]; then
  echo "build-base-image: $IMAGE is up to date ($fingerprint)"
  exit 0
fi

stage="$(mktemp -d /tmp/bpfmapd-base.XXXXXX)"
trap 'rm -rf "$stage"' EXIT
start=$SECONDS

# 1. The runtime. Temurin 25 ships no jmods/: jlink links from the run-time image (JEP 493).
# --generate-cds-archive keeps the default CDS archive that plain JDK images have.
mkdir -p "$stage/opt/java"
"$JDK_HOME/bin/jlink" --add-modules "$MODULES" --output "$stage/opt/java/openjdk" \
  --strip-debug --no-header-files --no-man-pages --generate-cds-archive

# 2. The host's shared libraries the runtime needs, at the same paths, plus the dynamic loader.
# libgcc_s is dlopen-ed by glibc for thread cancellation and unwinding, so ldd does not list it.
libs="$( { find "$stage/opt/java/openjdk" -type f \( -name '*.so' -o -perm -u+x \) -print0 \
          | xargs -0 ldd 2>/dev/null || true; } \
        | awk '/=> \// { print $3 } /^\t\/.*ld-linux/ { print $1 }' | sort -u)"
for extra in /lib/x86_64-linux-gnu/libgcc_s.so.1; do [ -e "$extra" ] && libs="$libs $extra"; done
for lib in $libs; do
  case "$lib" in "$stage"/*) continue ;; esac
  mkdir -p "$stage$(dirname "$lib")"
  cp -L "$lib" "$stage$lib"
done
# Debian is merged-/usr: keep /lib and /lib64 resolving like the host's.
for d in lib lib64; do
  if [ -L "/$d" ] && [ -d "$stage/usr/$d" ] && [ ! -e "$stage/$d" ]; then ln -s "usr/$d" "$stage/$d"; fi
done
[ -e "$stage/lib64/ld-linux-x86-64.so.2" ] || die "dynamic loader missing from the staged tree"

# 3. busybox as /bin/sh and its applets (wget for the HEALTHCHECK, chown/mkdir for Dockerfile RUNs).
mkdir -p "$stage/bin" "$stage/usr/bin" "$stage/sbin"
cp "$BUSYBOX" "$stage/bin/busybox"
for applet in $("$BUSYBOX" --list); do
  [ -e "$stage/bin/$applet" ] || ln -s busybox "$stage/bin/$applet"
done

# 4. A minimal /etc, /tmp and a home for root.
mkdir -p "$stage/etc" "$stage/tmp" "$stage/root" "$stage/proc" "$stage/sys" "$stage/dev"
chmod 1777 "$stage/tmp"
printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' > "$stage/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' > "$stage/etc/group"
printf 'passwd: files\ngroup: files\nhosts: files dns\n' > "$stage/etc/nsswitch.conf"

tar -C "$stage" -c . | docker import \
  --change 'ENV JAVA_HOME=/opt/java/openjdk' \
  --change 'ENV PATH=/opt/java/openjdk/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change 'ENV LANG=C.UTF-8' \
  --change "LABEL io.bpfmapd.base.fingerprint=$fingerprint" \
  --change 'CMD ["/bin/sh"]' \
  - "$IMAGE" >/dev/null
# Smoke test: the runtime starts in the image (glibc resolves java's $ORIGIN rpath through /proc,
# so a plain chroot cannot test this). A broken image is removed, so the next run rebuilds it.
if ! out="$(docker run --rm "$IMAGE" java -version 2>&1)"; then
  docker rmi -f "$IMAGE" >/dev/null 2>&1 || true
  die "the runtime does not start in $IMAGE: $out"
fi
echo "build-base-image: built $IMAGE ($fingerprint) in $((SECONDS - start)) s, $(docker image inspect "$IMAGE" --format '{{.Size}}' | awk '{printf "%d MB", $1/1000000}')"
