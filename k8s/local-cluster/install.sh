#!/usr/bin/env bash
# Builds the local control plane (etcd, kube-apiserver, kube-controller-manager, kube-scheduler, kwok)
# from Go modules into ${WRC_CACHE:-$HOME/.cache/webrtc-cluster}/<component>/<version>/bin.
# Idempotent: a binary that is already there is not rebuilt. Needs only Go and the Go module proxy.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

export GOTOOLCHAIN=local      # the pinned versions build with the machine's Go; fail loudly otherwise
export GOFLAGS="-mod=mod -buildvcs=false"
# Modules come from the module proxy only: no fallback to cloning repositories ("direct").
GOPROXY="$(go env GOPROXY 2>/dev/null || echo https://proxy.golang.org)"
export GOPROXY="${GOPROXY%,direct}"
export CGO_ENABLED=0          # static binaries, and no C compiler needed
# A private compile cache (~4 GiB for Kubernetes), deleted after a successful install so the cache
# keeps only the binaries. WRC_GOCACHE=<dir> uses (and keeps) another one, e.g. ~/.cache/go-build.
export GOCACHE="${WRC_GOCACHE:-$WRC_CACHE/go-build}"
BUILD_FLAGS=(-trimpath)
STRIP="-s -w"

elapsed() { echo "$(( $(date +%s) - $1 ))s"; }

# ticking WHAT COMMAND...: runs COMMAND and says every minute that it is still at it (CI logs stay alive).
ticking() {
  local what=$1 t0 ticker rc=0; shift
  t0=$(date +%s)
  ( while sleep 60; do log "still $what ($(elapsed "$t0"))"; done ) &
  ticker=$!
  "$@" || rc=$?
  kill "$ticker" 2>/dev/null || true
  wait "$ticker" 2>/dev/null || true
  return "$rc"
}

# A throwaway module per component; `go build` output goes to a temp name and is renamed at the end,
# so an interrupted build never leaves a binary that looks installed.
new_module() {
  local dir=$1
  rm -rf "$dir" && mkdir -p "$dir"
  (cd "$dir" && go mod init wrc.local/build >/dev/null 2>&1)
}

build_etcd() {
  [[ -x "$ETCD" ]] && { log "etcd $ETCD_VERSION present"; return; }
  local t0; t0=$(date +%s)
  local mod="$WRC_CACHE/etcd/$ETCD_VERSION/build"
  log "building etcd $ETCD_VERSION (go.etcd.io/etcd/server/v3)"
  new_module "$mod"
  (cd "$mod" && go get "go.etcd.io/etcd/server/v3@$ETCD_VERSION") 2>&1 | { grep -v '^go: \(added\|downloading\) ' >&2 || true; }
  (cd "$mod" && ticking "building etcd" go build "${BUILD_FLAGS[@]}" -ldflags="$STRIP" -o "$ETCD_BIN/etcd.tmp" go.etcd.io/etcd/server/v3)
  mv "$ETCD_BIN/etcd.tmp" "$ETCD"
  rm -rf "$mod"
  log "etcd built in $(elapsed "$t0")"
}

# kube-apiserver, kube-controller-manager, kube-scheduler and kwok from one module graph: kwok then links
# the same k8s.io libraries as the control plane (v0.37 instead of its own v0.36), which lets it reuse
# their compiled packages: ~1 min instead of ~5 min cold for a separate kwok build.
build_control_plane() {
  [[ -x "$KUBE_APISERVER" && -x "$KUBE_CONTROLLER_MANAGER" && -x "$KUBE_SCHEDULER" && -x "$KWOK" && -f "$KWOK_STAGES" ]] \
    && { log "kubernetes $KUBERNETES_VERSION and kwok $KWOK_VERSION present"; return; }
  local mod="$WRC_CACHE/k8s/$KUBERNETES_VERSION/build"
  local staging="v0.${KUBERNETES_VERSION#v1.}"   # v1.37.2 -> v0.37.2
  log "resolving k8s.io/kubernetes $KUBERNETES_VERSION (staging modules at $staging) and sigs.k8s.io/kwok $KWOK_VERSION"
  new_module "$mod"
  local gomod
  gomod=$(cd "$mod" && go mod download -json "k8s.io/kubernetes@$KUBERNETES_VERSION" | sed -n 's/^\s*"GoMod": "\(.*\)",$/\1/p')
  # k8s.io/kubernetes requires its staging modules as v0.0.0 and replaces them with ./staging/...,
  # which a dependency cannot use: map each one to its published release instead.
  local m
  for m in $(sed -n 's#^\s*\(k8s\.io/[^ ]*\) => \./staging/.*#\1#p' "$gomod"); do
    (cd "$mod" && go mod edit -replace "$m=$m@$staging")
  done
  (cd "$mod" && go get "k8s.io/kubernetes@$KUBERNETES_VERSION" \
      && go get "k8s.io/kubernetes/cmd/kube-apiserver@$KUBERNETES_VERSION" "k8s.io/kubernetes/cmd/kube-controller-manager@$KUBERNETES_VERSION" \
                "k8s.io/kubernetes/cmd/kube-scheduler@$KUBERNETES_VERSION" "sigs.k8s.io/kwok/cmd/kwok@$KWOK_VERSION") \
    2>&1 | { grep -v '^go: \(added\|upgraded\|downloading\) ' >&2 || true; }
  local minor=${KUBERNETES_VERSION#v1.}; minor=${minor%%.*}
  local kube_x="" pkg
  for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    kube_x+=" -X $pkg.gitVersion=$KUBERNETES_VERSION -X $pkg.gitMajor=1 -X $pkg.gitMinor=$minor -X $pkg.gitTreeState=clean"
  done
  local target name pkg out x
  for target in "kube-apiserver k8s.io/kubernetes/cmd/kube-apiserver $KUBE_APISERVER" \
                "kube-controller-manager k8s.io/kubernetes/cmd/kube-controller-manager $KUBE_CONTROLLER_MANAGER" \
                "kube-scheduler k8s.io/kubernetes/cmd/kube-scheduler $KUBE_SCHEDULER" \
                "kwok sigs.k8s.io/kwok/cmd/kwok $KWOK"; do
    read -r name pkg out <<<"$target"
    [[ -x "$out" ]] && continue
    x=$kube_x
    [[ $name == kwok ]] && x=" -X sigs.k8s.io/kwok/pkg/consts.Version=$KWOK_VERSION"
    local t0; t0=$(date +%s)
    log "building $name (the first one compiles most of Kubernetes: several minutes on 2 cores)"
    mkdir -p "$(dirname "$out")"
    (cd "$mod" && ticking "building $name" go build "${BUILD_FLAGS[@]}" -ldflags="$STRIP$x" -o "$out.tmp" "$pkg")
    mv "$out.tmp" "$out"
    log "$name built in $(elapsed "$t0")"
  done
  # The kwok binary runs no stage unless given some: take the ones kwokctl uses by default
  # (fast node init, lease heartbeat, fast pod lifecycle) from the same module release.
  local src f
  src=$(cd "$mod" && go mod download -json "sigs.k8s.io/kwok@$KWOK_VERSION" | sed -n 's/^\s*"Dir": "\(.*\)",$/\1/p')
  for f in node/fast/node-initialize node/heartbeat-with-lease/node-heartbeat-with-lease \
           pod/fast/pod-ready pod/fast/pod-complete pod/fast/pod-delete; do
    printf -- '---\n'; cat "$src/kustomize/stage/$f.yaml"
  done > "$KWOK_STAGES.tmp"
  mv "$KWOK_STAGES.tmp" "$KWOK_STAGES"
  rm -rf "$mod"
}

command -v openssl >/dev/null || { log "openssl not found on PATH (up.sh needs it)"; exit 1; }
binaries_present && { log "binaries present in $WRC_CACHE"; exit 0; }
command -v go >/dev/null || { log "go not found on PATH"; exit 1; }
T0=$(date +%s)
mkdir -p "$K8S_BIN" "$ETCD_BIN" "$KWOK_BIN"
# Two test JVMs (or a person and a test) may install at once: one builds, the other waits.
exec 9>"$WRC_CACHE/install.lock"
flock 9 || { log "could not lock $WRC_CACHE/install.lock"; exit 1; }
build_etcd
build_control_plane
if [[ -z "${WRC_GOCACHE:-}" ]]; then rm -rf "$GOCACHE"; fi
log "all binaries ready in $(elapsed "$T0"): $ETCD $KUBE_APISERVER $KUBE_CONTROLLER_MANAGER $KUBE_SCHEDULER $KWOK"
