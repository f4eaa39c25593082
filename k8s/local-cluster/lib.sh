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

log() { printf '[local-cluster %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

binaries_present() {
  [[ -x "$KUBE_APISERVER" && -x "$KUBE_CONTROLLER_MANAGER" && -x "$KUBE_SCHEDULER" && -x "$ETCD" && -x "$KWOK" && -f "$KWOK_STAGES" ]]
}
