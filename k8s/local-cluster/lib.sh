# Shared paths for install.sh / up.sh / down.sh. Sourced, not executed.
LOCAL_CLUSTER_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=versions.env
source "$LOCAL_CLUSTER_DIR/versions.env"
WRC_CACHE="${WRC_CACHE:-$HOME/.cache/webrtc-cluster}"
K8S_BIN="$WRC_CACHE/k8s/$KUBERNETES_VERSION/bin"
ETCD_BIN="$WRC_CACHE/etcd/$ETCD_VERSION/bin"
KWOK_BIN="$WRC_CACHE/kwok/$KWOK_VERSION/bin"
KUBE_APISERVER="$K8S_BIN/kube-apiserver"
KUBE_CONTROLLER_MANAGER="$K8S_BIN/kube-controller-manager"
KUBE_SCHEDULER="$K8S_BIN/kube-scheduler"
ETCD="$ETCD_BIN/etcd"
KWOK="$KWOK_BIN/kwok"
KWOK_STAGES="$WRC_CACHE/kwok/$KWOK_VERSION/stages.yaml"
# The real node: kubelet and kube-proxy (same Kubernetes version), CoreDNS, Traefik, a static pause binary;
# and the helm CLI for people (the tests use Helm embedded through helm-java).
# (NODE_BIN's name still carries the CoreDNS version it used to hold, so the binaries built there stay valid.)
NODE_BIN="$WRC_CACHE/node/$KUBERNETES_VERSION-coredns-$COREDNS_VERSION-traefik-$TRAEFIK_VERSION/bin"
# CoreDNS with only COREDNS_PLUGINS compiled in, keyed by version and that list.
COREDNS_KEY="$COREDNS_VERSION-${COREDNS_PLUGINS// /+}"
HELM="$WRC_CACHE/helm/$HELM_VERSION/bin/helm"
KUBELET="$NODE_BIN/kubelet"
KUBE_PROXY="$NODE_BIN/kube-proxy"
COREDNS="$WRC_CACHE/coredns/$COREDNS_KEY/bin/coredns"
TRAEFIK="$NODE_BIN/traefik"
PAUSE="$NODE_BIN/pause"

log() { printf '[local-cluster %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

binaries_present() {
  [[ -x "$KUBE_APISERVER" && -x "$KUBE_CONTROLLER_MANAGER" && -x "$KUBE_SCHEDULER" && -x "$ETCD" && -x "$KWOK" && -f "$KWOK_STAGES" ]]
}

node_binaries_present() {
  [[ -x "$KUBELET" && -x "$KUBE_PROXY" && -x "$COREDNS" && -x "$TRAEFIK" && -x "$PAUSE" ]]
}
