#!/usr/bin/env bash
# The real node's start-up timings, RUNS each, on a node of its own (up.sh --node, helm install, ..., down.sh):
#   - pod start: a replaced SFU pool pod, bound -> registered in Redis; a signaling pod, bound -> Ready (pod-start.py)
#   - kubectl apply of the example Room -> first decoded frame in a browser through the Ingress, split into its steps
#     (Deployment, pod bound, container running, JVM, registered, Room Ready, browsers, first frame): RoomFirstFrameBench
# Root; the images must be built (mvn -B package -Pimages -DskipTests). Run it alone (it times things):
#   flock /tmp/wrc-bench.lock flock /tmp/wrc-browser.lock k8s/local-cluster/bench/node-timings.sh [RUNS] [mvn -D... args]
#   e.g. node-timings.sh 3 -Dbench.parallel-browsers=true      SKIP_POD_START=1 to time only the Room
set -euo pipefail
cd "$(dirname "$0")/../../.."
source k8s/local-cluster/lib.sh
RUNS="${1:-3}"; shift || true
STATE=$(mktemp -d /tmp/wrc-node-timings-XXXXXX)
trap 'k8s/local-cluster/down.sh "$STATE" >/dev/null 2>&1 || true' EXIT
k8s/local-cluster/up.sh --node "$STATE" >/dev/null
export KUBECONFIG="$STATE/kubeconfig"
"$HELM" install rtc helm/webrtc-cluster -f k8s/local-cluster/values-local.yaml --wait --timeout 8m >/dev/null
kubectl rollout status daemonset/relays-coturn --timeout=180s >/dev/null
echo "node up, chart installed; load $(cut -d' ' -f1-3 /proc/loadavg)"
if [[ -z "${SKIP_POD_START:-}" ]]; then
  python3 k8s/local-cluster/bench/pod-start.py sfu "$RUNS"
  python3 k8s/local-cluster/bench/pod-start.py signaling "$RUNS"
fi
mvn -B -o -pl operator -am test-compile failsafe:integration-test -Dit.test=RoomFirstFrameBench -Dgroups= -DexcludedGroups= \
  -Dfailsafe.failIfNoSpecifiedTests=false -Dwrc.node.state="$STATE" -Dbench.runs="$RUNS" "$@" 2>&1 \
  | grep -E '^\[first-frame\]|ERROR|FAIL|Tests run'
