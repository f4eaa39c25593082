#!/usr/bin/env bash
# The Ingress controller's image for the local node: the Traefik binary install.sh --node built from its Go
# module (static, CGO_ENABLED=0) and nothing else, named like the official image (docker.io/library/traefik)
# so the manifest in k8s/local-cluster/ingress/ reads as it would on any cluster. Prints the archive's path.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
source "$IMAGES_DIR/../local-cluster/lib.sh"

[[ -x "$TRAEFIK" ]] || { log "needs $TRAEFIK (k8s/local-cluster/install.sh --node)"; exit 1; }
OUT="$NODE_BIN/../traefik.oci.tar"
if [[ ! -f "$OUT" ]]; then
  work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
  base_files "$work/rootfs"
  cp "$TRAEFIK" "$work/rootfs/traefik"
  python3 "$IMAGES_DIR/mkoci.py" "$work/rootfs" "docker.io/library/traefik:$TRAEFIK_VERSION" "$OUT" \
    --entrypoint /traefik --user 65532:65532 >/dev/null
fi
echo "$OUT"
