#!/usr/bin/env bash
# The base image of the Java services: a jlink JRE from this machine's JDK plus the glibc libraries it
# loads, users root/nobody/nonroot, nothing else (no shell, no package manager). Built offline, cached by
# JDK version and by this script's content:
#   ${WRC_CACHE}/images/jre-<java.version>-<hash>/jre.docker.tar  (a `docker save` archive: Jib's tar:// base)
# Prints the archive's path. Idempotent; two builds at once are serialised with flock.
# Usage: jre-base.sh [--link PATH]   (--link: also make PATH a symlink to it; the Maven build's Jib reads that)
# The JDK is $JAVA_HOME, else the one `java` on PATH belongs to.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

LINK=""
if [[ "${1:-}" == --link ]]; then LINK=$2; fi
JAVA_HOME="${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}"
JAVA_VERSION=$("$JAVA_HOME/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.version = //p')
# What Quarkus services with the Kubernetes client, Vert.x, BouncyCastle and Micrometer use at run time.
MODULES=java.base,java.logging,java.management,java.naming,java.net.http,java.security.jgss,java.security.sasl,java.sql,java.xml,java.desktop,java.instrument,jdk.crypto.ec,jdk.crypto.cryptoki,jdk.unsupported,jdk.zipfs,jdk.management,jdk.naming.dns,jdk.jfr
HASH=$(cat "${BASH_SOURCE[0]}" "$IMAGES_DIR/lib.sh" "$IMAGES_DIR/mkoci.py" | sha256sum | cut -c1-12)
OUT_DIR="$WRC_CACHE/images/jre-$JAVA_VERSION-$HASH"
OUT="$OUT_DIR/jre.docker.tar"
finish() {
  if [[ -n "$LINK" ]]; then mkdir -p "$(dirname "$LINK")" && ln -sfn "$OUT" "$LINK"; fi
  echo "$OUT"; exit 0
}
[[ -f "$OUT" ]] && finish

mkdir -p "$OUT_DIR"
exec 9>"$OUT_DIR/.lock"; flock 9
[[ -f "$OUT" ]] && finish
t0=$(date +%s)
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
root="$work/rootfs"
base_files "$root"
mkdir -p "$root/opt"
# --generate-cds-archive: the JRE's default class-data-sharing archive, so the JVM maps the JDK classes
# instead of parsing them at every start.
"$JAVA_HOME/bin/jlink" --add-modules "$MODULES" --output "$root/opt/jre" --strip-debug --no-man-pages \
  --no-header-files --compress=2 --generate-cds-archive
# Debian links the trust store to /etc/ssl/certs/java/cacerts: keep the certificates themselves.
if [[ -L "$root/opt/jre/lib/security/cacerts" ]]; then
  cp --remove-destination -L "$JAVA_HOME/lib/security/cacerts" "$root/opt/jre/lib/security/cacerts"
fi
copy_with_libs "$root" $(find "$root/opt/jre" -name '*.so' -o -path '*/bin/*' -type f | sort)
# ldd resolved the JRE's own libraries through their absolute paths in rootfs: drop those copies.
rm -rf "${root:?}$root"
python3 "$IMAGES_DIR/mkoci.py" "$root" "localhost/webrtc-cluster/jre:$JAVA_VERSION" "$OUT" --docker \
  --user 65532:65532 --env JAVA_HOME=/opt/jre >/dev/null
log "base image $OUT ($(du -h "$OUT" | cut -f1)) in $(( $(date +%s) - t0 ))s"
finish
