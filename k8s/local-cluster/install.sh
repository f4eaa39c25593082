#!/usr/bin/env bash
# Builds the local control plane (etcd, kube-apiserver, kube-controller-manager, kube-scheduler, kwok)
# from Go modules into ${WRC_CACHE:-$HOME/.cache/webrtc-cluster}/<component>/<version>/bin;
# with --node also the real node's kubelet, kube-proxy, Traefik and pause (node/<versions>/bin), CoreDNS with the
# Corefile's plugins only (coredns/<version>-<plugins>/bin) and the helm CLI (helm/<version>/bin).
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

# k8s_module DIR CMD...: a module in DIR that builds k8s.io/kubernetes/cmd/CMD... at KUBERNETES_VERSION.
# k8s.io/kubernetes requires its staging modules as v0.0.0 and replaces them with ./staging/...,
# which a dependency cannot use: map each one to its published release instead.
k8s_module() {
  local mod=$1 m c gomod; shift
  local staging="v0.${KUBERNETES_VERSION#v1.}"   # v1.37.2 -> v0.37.2
  new_module "$mod"
  gomod=$(cd "$mod" && go mod download -json "k8s.io/kubernetes@$KUBERNETES_VERSION" | sed -n 's/^\s*"GoMod": "\(.*\)",$/\1/p')
  for m in $(sed -n 's#^\s*\(k8s\.io/[^ ]*\) => \./staging/.*#\1#p' "$gomod"); do
    (cd "$mod" && go mod edit -replace "$m=$m@$staging")
  done
  local cmds=()
  for c in "$@"; do cmds+=("k8s.io/kubernetes/cmd/$c@$KUBERNETES_VERSION"); done
  (cd "$mod" && go get "k8s.io/kubernetes@$KUBERNETES_VERSION" && go get "${cmds[@]}") \
    2>&1 | { grep -v '^go: \(added\|upgraded\|downloading\) ' >&2 || true; }
}

# The -X flags that make Kubernetes binaries report their version (kubectl version, node info).
kube_version_flags() {
  local minor=${KUBERNETES_VERSION#v1.} pkg x=""; minor=${minor%%.*}
  for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    x+=" -X $pkg.gitVersion=$KUBERNETES_VERSION -X $pkg.gitMajor=1 -X $pkg.gitMinor=$minor -X $pkg.gitTreeState=clean"
  done
  echo "$x"
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
  log "resolving k8s.io/kubernetes $KUBERNETES_VERSION and sigs.k8s.io/kwok $KWOK_VERSION"
  k8s_module "$mod" kube-apiserver kube-controller-manager kube-scheduler
  (cd "$mod" && go get "sigs.k8s.io/kwok/cmd/kwok@$KWOK_VERSION") 2>&1 | { grep -v '^go: \(added\|upgraded\|downloading\) ' >&2 || true; }
  local kube_x; kube_x=$(kube_version_flags)
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

# The real node (up.sh --node): kubelet and kube-proxy, CoreDNS, Traefik (the Ingress controller) and the
# pause binary every pod sandbox runs. Container runtime and CNI plugins are Debian packages (install-deps).
build_node() {
  node_binaries_present && [[ -x "$HELM" ]] && { log "node binaries and helm present"; return; }
  mkdir -p "$NODE_BIN"
  local mod="$NODE_BIN/../build" t0 name
  if [[ ! -x "$KUBELET" || ! -x "$KUBE_PROXY" || ! -x "$PAUSE" ]]; then
    log "resolving k8s.io/kubernetes $KUBERNETES_VERSION for kubelet and kube-proxy"
    k8s_module "$mod" kubelet kube-proxy
    local kube_x; kube_x=$(kube_version_flags)
    for name in kubelet kube-proxy; do
      [[ -x "$NODE_BIN/$name" ]] && continue
      t0=$(date +%s); log "building $name"
      (cd "$mod" && ticking "building $name" go build "${BUILD_FLAGS[@]}" -ldflags="$STRIP$kube_x" -o "$NODE_BIN/$name.tmp" "k8s.io/kubernetes/cmd/$name")
      mv "$NODE_BIN/$name.tmp" "$NODE_BIN/$name"
      log "$name built in $(elapsed "$t0")"
    done
    # The pause container: the C file Kubernetes ships, linked statically so the image needs no libc.
    local src; src=$(cd "$mod" && go mod download -json "k8s.io/kubernetes@$KUBERNETES_VERSION" | sed -n 's/^\s*"Dir": "\(.*\)",$/\1/p')
    gcc -Os -static -DVERSION="$KUBERNETES_VERSION" -o "$PAUSE.tmp" "$src/build/pause/linux/pause.c" && strip "$PAUSE.tmp"
    mv "$PAUSE.tmp" "$PAUSE"
    rm -rf "$mod"
  fi
  if [[ ! -x "$COREDNS" ]]; then
    # Only the plugins the Corefile uses, the way CoreDNS selects them: its plugin.cfg, cut down to
    # COREDNS_PLUGINS and turned into core/plugin and core/dnsserver by `go generate`, in a writable copy of the
    # released module (from the module proxy). The other plugins' dependencies (cloud SDKs, etcd, gRPC, ...)
    # are then never compiled.
    t0=$(date +%s); log "building coredns $COREDNS_VERSION with plugins: $COREDNS_PLUGINS"
    local cmod="$WRC_CACHE/coredns/build" src p
    src=$(go mod download -json "github.com/coredns/coredns@$COREDNS_VERSION" | sed -n 's/^\s*"Dir": "\(.*\)",$/\1/p')
    rm -rf "$cmod" && mkdir -p "$(dirname "$cmod")" && cp -r "$src" "$cmod" && chmod -R u+w "$cmod"
    for p in $COREDNS_PLUGINS; do
      grep -q "^$p:" "$src/plugin.cfg" || { log "coredns $COREDNS_VERSION has no plugin '$p' (COREDNS_PLUGINS)"; return 1; }
    done
    awk -F: -v keep=" $COREDNS_PLUGINS " '!/^#/ && NF == 2 && index(keep, " " $1 " ")' "$src/plugin.cfg" > "$cmod/plugin.cfg"
    (cd "$cmod" && go generate coredns.go)
    mkdir -p "$(dirname "$COREDNS")"
    (cd "$cmod" && ticking "building coredns" go build "${BUILD_FLAGS[@]}" -ldflags="$STRIP" -o "$COREDNS.tmp" .)
    mv "$COREDNS.tmp" "$COREDNS"; rm -rf "$cmod"
    log "coredns built in $(elapsed "$t0")"
  fi
  if [[ ! -x "$TRAEFIK" ]]; then
    # Traefik's go.mod replaces three modules with forks, which only applies when it is the main module:
    # build inside a writable copy of the released module source.
    t0=$(date +%s); log "building traefik $TRAEFIK_VERSION"
    local dir; dir=$(go mod download -json "github.com/traefik/traefik/v3@$TRAEFIK_VERSION" | sed -n 's/^\s*"Dir": "\(.*\)",$/\1/p')
    rm -rf "$mod" && cp -r "$dir" "$mod" && chmod -R u+w "$mod"
    (cd "$mod" && ticking "building traefik" go build "${BUILD_FLAGS[@]}" \
       -ldflags="$STRIP -X github.com/traefik/traefik/v3/pkg/version.Version=$TRAEFIK_VERSION" -o "$TRAEFIK.tmp" ./cmd/traefik)
    mv "$TRAEFIK.tmp" "$TRAEFIK"; rm -rf "$mod"
    log "traefik built in $(elapsed "$t0")"
  fi
  if [[ ! -x "$HELM" ]]; then
    t0=$(date +%s); log "building helm $HELM_VERSION"
    new_module "$mod"
    (cd "$mod" && go get "helm.sh/helm/v3@$HELM_VERSION") 2>&1 | { grep -v '^go: \(added\|upgraded\|downloading\) ' >&2 || true; }
    mkdir -p "$(dirname "$HELM")"
    (cd "$mod" && ticking "building helm" go build "${BUILD_FLAGS[@]}" \
       -ldflags="$STRIP -X helm.sh/helm/v3/internal/version.version=$HELM_VERSION" -o "$HELM.tmp" helm.sh/helm/v3/cmd/helm)
    mv "$HELM.tmp" "$HELM"; rm -rf "$mod"
    log "helm built in $(elapsed "$t0")"
  fi
}

NODE=false
[[ "${1:-}" == --node ]] && NODE=true
command -v openssl >/dev/null || { log "openssl not found on PATH (up.sh needs it)"; exit 1; }
if binaries_present && { ! $NODE || { node_binaries_present && [[ -x "$HELM" ]]; }; }; then log "binaries present in $WRC_CACHE"; exit 0; fi
command -v go >/dev/null || { log "go not found on PATH"; exit 1; }
T0=$(date +%s)
mkdir -p "$K8S_BIN" "$ETCD_BIN" "$KWOK_BIN"
# Two test JVMs (or a person and a test) may install at once: one builds, the other waits.
exec 9>"$WRC_CACHE/install.lock"
flock 9 || { log "could not lock $WRC_CACHE/install.lock"; exit 1; }
build_etcd
build_control_plane
if $NODE; then build_node; fi
if [[ -z "${WRC_GOCACHE:-}" ]]; then rm -rf "$GOCACHE"; fi
log "all binaries ready in $(elapsed "$T0"): $ETCD $KUBE_APISERVER $KUBE_CONTROLLER_MANAGER $KUBE_SCHEDULER $KWOK"
