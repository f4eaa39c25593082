#!/usr/bin/env bash
# Stand-ins for the chart's third-party images, assembled from this machine's Debian packages (the chart
# keeps the official images as its defaults; a real cluster pulls those). Each image holds the binary and
# the libraries it loads, nothing else, and is named exactly as the chart's values name the official one,
# so the node finds it locally (imagePullPolicy IfNotPresent) and never pulls:
#   redis   <- redis-server (Debian redis-server)      values.yaml redis.image
#   coturn  <- turnserver + dash as /bin/sh (Debian coturn; the operator starts it with `sh -c`)
#   python  <- python3 and its standard library (Debian python3-minimal)  values.yaml tests.image (helm test)
#   pause   <- the static pause binary install.sh --node built (the sandbox image containerd runs)
# Writes OCI archives to ${WRC_CACHE}/images/third-party-<hash>/ and prints their paths. Idempotent.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
source "$IMAGES_DIR/../local-cluster/lib.sh"

VALUES="$IMAGES_DIR/../../helm/webrtc-cluster/values.yaml"
value() { sed -n "s/^  $1: *//p" "$VALUES" | head -1; }
# containerd's CRI resolves short names the way Docker does.
normalize() {
  local ref=$1
  [[ $ref == */* ]] || ref="library/$ref"
  [[ ${ref%%/*} == *.* || ${ref%%/*} == localhost ]] || ref="docker.io/$ref"
  echo "$ref"
}
REDIS_REF=$(normalize "$(value image | head -1)")
COTURN_REF=$(normalize "$(value coturnImage)")
PYTHON_REF=$(normalize "$(sed -n 's/^  image: *//p' "$VALUES" | tail -1)")
PAUSE_REF=${PAUSE_IMAGE:-registry.k8s.io/pause:3.10}
PYTHON=$(readlink -f /usr/bin/python3)
PYTHON_LIB=/usr/lib/$(basename "$PYTHON")

HASH=$( { cat "${BASH_SOURCE[0]}" "$IMAGES_DIR/lib.sh" "$IMAGES_DIR/mkoci.py"; echo "$REDIS_REF $COTURN_REF $PYTHON_REF $PAUSE_REF";
          sha256sum /usr/bin/redis-server /usr/bin/turnserver "$PYTHON" "$PAUSE"; } | sha256sum | cut -c1-12)
OUT="$WRC_CACHE/images/third-party-$HASH"
if [[ ! -f "$OUT/done" ]]; then
  command -v redis-server >/dev/null && command -v turnserver >/dev/null || { log "needs redis-server and coturn (bin/install-deps)"; exit 1; }
  [[ -x "$PAUSE" ]] || { log "needs $PAUSE (k8s/local-cluster/install.sh --node)"; exit 1; }
  mkdir -p "$OUT"
  work=$(mktemp -d); trap 'rm -rf "$work"' EXIT

  base_files "$work/redis"
  copy_with_libs "$work/redis" /usr/bin/redis-server
  mkdir -p "$work/redis/data"; chmod 0777 "$work/redis/data"
  python3 "$IMAGES_DIR/mkoci.py" "$work/redis" "$REDIS_REF" "$OUT/redis.oci.tar" \
    --entrypoint /usr/bin/redis-server --user 65532:65532 >/dev/null

  base_files "$work/coturn"
  copy_with_libs "$work/coturn" /usr/bin/turnserver /usr/bin/dash
  mkdir -p "$work/coturn/bin" && ln -s /usr/bin/dash "$work/coturn/bin/sh"
  python3 "$IMAGES_DIR/mkoci.py" "$work/coturn" "$COTURN_REF" "$OUT/coturn.oci.tar" \
    --entrypoint /usr/bin/turnserver --user 65534:65534 >/dev/null

  base_files "$work/python"
  copy_with_libs "$work/python" "$PYTHON"
  ln -s "$PYTHON" "$work/python/usr/bin/python3"
  mkdir -p "$work/python$PYTHON_LIB"
  (cd "$PYTHON_LIB" && tar --exclude=test --exclude=__pycache__ --exclude=idlelib --exclude=tkinter --exclude=ensurepip \
     --exclude=lib2to3 --exclude=site-packages --exclude=dist-packages -cf - .) | tar -xf - -C "$work/python$PYTHON_LIB"
  copy_with_libs "$work/python" $(find "$PYTHON_LIB/lib-dynload" -name '*.so')
  python3 "$IMAGES_DIR/mkoci.py" "$work/python" "$PYTHON_REF" "$OUT/python.oci.tar" \
    --entrypoint /usr/bin/python3 --user 65532:65532 --env PYTHONDONTWRITEBYTECODE=1 >/dev/null

  mkdir -p "$work/pause" && cp "$PAUSE" "$work/pause/pause"
  python3 "$IMAGES_DIR/mkoci.py" "$work/pause" "$PAUSE_REF" "$OUT/pause.oci.tar" --entrypoint /pause --user 65535:65535 >/dev/null
  touch "$OUT/done"
  log "third-party images in $OUT: $REDIS_REF $COTURN_REF $PYTHON_REF $PAUSE_REF"
fi
ls "$OUT"/*.oci.tar
