#!/usr/bin/env bash
# Starts a local control plane on loopback: etcd, kube-apiserver, kube-controller-manager, kube-scheduler
# and kwok with one fake node. Usage: up.sh [--node] [STATE_DIR]  (default ${WRC_CACHE}/local-cluster/state)
# --node: a real node instead of kwok (containerd, kubelet, kube-proxy, CoreDNS in a network namespace,
# see node.sh; root only); the API server then listens on the host end of the node's veth, not loopback.
# Writes STATE_DIR/kubeconfig (admin), STATE_DIR/env (ports, URLs), pid files and logs. Stop with down.sh.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
source "$LOCAL_CLUSTER_DIR/node.sh"

NODE=false
if [[ "${1:-}" == --node ]]; then NODE=true; shift; fi

STATE_DIR="${1:-$WRC_CACHE/local-cluster/state}"
mkdir -p "$STATE_DIR"
STATE_DIR="$(cd "$STATE_DIR" && pwd)"
PKI="$STATE_DIR/pki"
LOGS="$STATE_DIR/logs"
RUN="$STATE_DIR/run"
NODE_NAME="${WRC_KWOK_NODE:-kwok-node-0}"
STARTUP_TIMEOUT="${WRC_CLUSTER_TIMEOUT:-90}"
T0=$(date +%s%N)
ms() { echo "$(( ($(date +%s%N) - T0) / 1000000 ))ms"; }

binaries_present || { log "binaries missing: run $LOCAL_CLUSTER_DIR/install.sh first"; exit 1; }
if $NODE; then
  node_binaries_present || { log "node binaries missing: run $LOCAL_CLUSTER_DIR/install.sh --node first"; exit 1; }
  [[ $(id -u) == 0 ]] || { log "--node needs root (network namespace, containerd, kubelet)"; exit 1; }
fi

if [[ -f "$RUN/kube-apiserver.pid" ]] && kill -0 "$(cat "$RUN/kube-apiserver.pid")" 2>/dev/null; then
  log "already running in $STATE_DIR"
  echo "export KUBECONFIG=$STATE_DIR/kubeconfig"
  exit 0
fi
rm -rf "$PKI" "$LOGS" "$RUN" "$STATE_DIR/etcd-data"
mkdir -p "$PKI" "$LOGS" "$RUN"

# Any failure from here on stops what was already started, so a broken start leaks no process.
trap 'rc=$?; if (( rc != 0 )); then log "start failed (rc=$rc), logs in $LOGS"; "$LOCAL_CLUSTER_DIR/down.sh" --keep-state "$STATE_DIR" >&2 || true; fi' EXIT

# --- free loopback ports ------------------------------------------------------------------------
declare -A TAKEN=()
while read -r p; do TAKEN[$p]=1; done < <(ss -Htan | awk '{n=split($4,a,":"); print a[n]}')
free_port() {
  local p
  while :; do
    # Below Linux's ephemeral range (32768+), where the OS hands out ports to clients and to FreePort.
    p=$(( 20000 + RANDOM % 12000 ))
    [[ -z "${TAKEN[$p]:-}" ]] && { TAKEN[$p]=1; echo "$p"; return; }
  done
}
ETCD_PORT=$(free_port); ETCD_PEER_PORT=$(free_port); ETCD_METRICS_PORT=$(free_port)
API_PORT=$(free_port); KCM_PORT=$(free_port); SCHED_PORT=$(free_port); KWOK_PORT=$(free_port)
API_ADDR=127.0.0.1
if $NODE; then API_ADDR=$NODE_HOST_IP; fi
API_URL="https://$API_ADDR:$API_PORT"

# --- PKI (ECDSA P-256: key generation is instant) -----------------------------------------------
pki() { openssl "$@" 2>>"$LOGS/openssl.log"; }
newkey() { pki genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$PKI/$1.key"; }
# sign NAME SUBJECT EXTENSIONS: a leaf cert signed by the cluster CA.
sign() {
  newkey "$1"
  pki req -new -key "$PKI/$1.key" -subj "$2" -out "$PKI/$1.csr"
  printf '%s\n' "$3" > "$PKI/$1.ext"
  pki x509 -req -in "$PKI/$1.csr" -CA "$PKI/ca.crt" -CAkey "$PKI/ca.key" -CAcreateserial \
    -days 365 -sha256 -extfile "$PKI/$1.ext" -out "$PKI/$1.crt"
  rm -f "$PKI/$1.csr" "$PKI/$1.ext"
}
newkey ca
pki req -x509 -new -key "$PKI/ca.key" -subj "/CN=webrtc-cluster-local-ca" -days 365 -sha256 -out "$PKI/ca.crt" \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign,digitalSignature"
CLIENT_EXT=$'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=clientAuth'
sign apiserver "/CN=kube-apiserver" "$(printf '%s\n' 'basicConstraints=CA:FALSE' \
  'keyUsage=critical,digitalSignature,keyEncipherment' 'extendedKeyUsage=serverAuth' \
  'subjectAltName=IP:127.0.0.1,IP:'$API_ADDR',DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local,IP:10.96.0.1')"
sign admin "/O=system:masters/CN=kubernetes-admin" "$CLIENT_EXT"
sign controller-manager "/CN=system:kube-controller-manager" "$CLIENT_EXT"
sign scheduler "/CN=system:kube-scheduler" "$CLIENT_EXT"
# kwok writes status of nodes and pods for every fake node: the Node authorizer would confine it to one.
sign kwok "/O=system:masters/CN=kwok-controller" "$CLIENT_EXT"
# Front proxy: lets the aggregation layer authenticate, and keeps controllers from logging a missing CA.
newkey front-proxy-ca
pki req -x509 -new -key "$PKI/front-proxy-ca.key" -subj "/CN=webrtc-cluster-front-proxy-ca" -days 365 -sha256 \
  -out "$PKI/front-proxy-ca.crt" -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign,digitalSignature"
newkey front-proxy-client
pki req -new -key "$PKI/front-proxy-client.key" -subj "/CN=front-proxy-client" -out "$PKI/front-proxy-client.csr"
printf '%s\n' "$CLIENT_EXT" > "$PKI/front-proxy-client.ext"
pki x509 -req -in "$PKI/front-proxy-client.csr" -CA "$PKI/front-proxy-ca.crt" -CAkey "$PKI/front-proxy-ca.key" \
  -CAcreateserial -days 365 -sha256 -extfile "$PKI/front-proxy-client.ext" -out "$PKI/front-proxy-client.crt"
rm -f "$PKI/front-proxy-client.csr" "$PKI/front-proxy-client.ext"
if $NODE; then node_pki; fi
newkey service-account
pki pkey -in "$PKI/service-account.key" -pubout -out "$PKI/service-account.pub"
log "pki ready ($(ms))"

b64() { base64 -w0 < "$1"; }
kubeconfig() { # NAME USER
  cat > "$STATE_DIR/$1" <<EOF
apiVersion: v1
kind: Config
clusters:
- name: local
  cluster:
    server: $API_URL
    certificate-authority-data: $(b64 "$PKI/ca.crt")
users:
- name: $2
  user:
    client-certificate-data: $(b64 "$PKI/$2.crt")
    client-key-data: $(b64 "$PKI/$2.key")
contexts:
- name: local
  context: {cluster: local, user: $2, namespace: default}
current-context: local
EOF
  chmod 600 "$STATE_DIR/$1"
}
kubeconfig kubeconfig admin
kubeconfig controller-manager.kubeconfig controller-manager
kubeconfig scheduler.kubeconfig scheduler
kubeconfig kwok.kubeconfig kwok

# start NAME COMMAND...: a detached process (own session, no inherited stdio) with a pid file.
start() {
  local name=$1; shift
  setsid "$@" </dev/null >"$LOGS/$name.log" 2>&1 &
  echo $! > "$RUN/$name.pid"
}
wait_for() { # DESCRIPTION COMMAND...
  local what=$1; shift
  local deadline=$(( $(date +%s) + STARTUP_TIMEOUT ))
  until "$@" >/dev/null 2>&1; do
    (( $(date +%s) < deadline )) || { log "timed out waiting for $what"; return 1; }
    for pidf in "$RUN"/*.pid; do
      kill -0 "$(cat "$pidf")" 2>/dev/null || { log "$(basename "$pidf" .pid) exited; tail of its log:"; tail -20 "$LOGS/$(basename "$pidf" .pid).log" >&2; return 1; }
    done
    sleep 0.2
  done
}

if $NODE; then node_net_up "$STATE_DIR"; log "node network namespace $NODE_NETNS ($(ms))"; fi

# --- etcd ---------------------------------------------------------------------------------------
# --unsafe-no-fsync: a throwaway test cluster needs no durability, and fsync dominates write latency.
start etcd "$ETCD" --name local --data-dir "$STATE_DIR/etcd-data" \
  --listen-client-urls "http://127.0.0.1:$ETCD_PORT" --advertise-client-urls "http://127.0.0.1:$ETCD_PORT" \
  --listen-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" --initial-advertise-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" \
  --initial-cluster "local=http://127.0.0.1:$ETCD_PEER_PORT" --listen-metrics-urls "http://127.0.0.1:$ETCD_METRICS_PORT" \
  --unsafe-no-fsync --quota-backend-bytes=$((2 * 1024 * 1024 * 1024)) --log-level=warn
wait_for etcd curl -fsS "http://127.0.0.1:$ETCD_PORT/health"
log "etcd up on 127.0.0.1:$ETCD_PORT ($(ms))"

# --- kube-apiserver -----------------------------------------------------------------------------
start kube-apiserver "$KUBE_APISERVER" \
  --etcd-servers="http://127.0.0.1:$ETCD_PORT" \
  --bind-address="$API_ADDR" --advertise-address="$API_ADDR" --secure-port="$API_PORT" \
  $( [[ $API_ADDR == 127.0.0.1 ]] && echo --endpoint-reconciler-type=none ) \
  $( $NODE && echo --kubelet-client-certificate="$PKI/apiserver-kubelet-client.crt" --kubelet-client-key="$PKI/apiserver-kubelet-client.key" \
       --kubelet-certificate-authority="$PKI/ca.crt" --kubelet-preferred-address-types=InternalIP ) \
  --tls-cert-file="$PKI/apiserver.crt" --tls-private-key-file="$PKI/apiserver.key" \
  --client-ca-file="$PKI/ca.crt" \
  --requestheader-client-ca-file="$PKI/front-proxy-ca.crt" --requestheader-allowed-names=front-proxy-client \
  --requestheader-username-headers=X-Remote-User --requestheader-group-headers=X-Remote-Group \
  --requestheader-extra-headers-prefix=X-Remote-Extra- \
  --proxy-client-cert-file="$PKI/front-proxy-client.crt" --proxy-client-key-file="$PKI/front-proxy-client.key" \
  --authorization-mode=Node,RBAC \
  --service-account-issuer=https://kubernetes.default.svc.cluster.local \
  --service-account-key-file="$PKI/service-account.pub" \
  --service-account-signing-key-file="$PKI/service-account.key" \
  --service-cluster-ip-range=10.96.0.0/16 \
  --allow-privileged=true --profiling=false --v=1
ready() { curl -fsS --cacert "$PKI/ca.crt" --cert "$PKI/admin.crt" --key "$PKI/admin.key" "$API_URL/readyz"; }
wait_for "kube-apiserver /readyz" ready
log "kube-apiserver ready at $API_URL ($(ms))"

# --- controllers, scheduler, kwok ---------------------------------------------------------------
start kube-controller-manager "$KUBE_CONTROLLER_MANAGER" \
  --kubeconfig="$STATE_DIR/controller-manager.kubeconfig" \
  --authentication-kubeconfig="$STATE_DIR/controller-manager.kubeconfig" \
  --authorization-kubeconfig="$STATE_DIR/controller-manager.kubeconfig" \
  --bind-address=127.0.0.1 --secure-port="$KCM_PORT" \
  --use-service-account-credentials=true \
  --service-account-private-key-file="$PKI/service-account.key" --root-ca-file="$PKI/ca.crt" \
  --cluster-signing-cert-file="$PKI/ca.crt" --cluster-signing-key-file="$PKI/ca.key" \
  --leader-elect=false --profiling=false --v=1
start kube-scheduler "$KUBE_SCHEDULER" \
  --kubeconfig="$STATE_DIR/scheduler.kubeconfig" \
  --authentication-kubeconfig="$STATE_DIR/scheduler.kubeconfig" \
  --authorization-kubeconfig="$STATE_DIR/scheduler.kubeconfig" \
  --bind-address=127.0.0.1 --secure-port="$SCHED_PORT" --leader-elect=false --profiling=false --v=1
export KUBECONFIG="$STATE_DIR/kubeconfig"
if $NODE; then
  # Pods can be admitted only once the serviceaccount controller made the namespace's default account.
  wait_for "default ServiceAccount" kubectl get serviceaccount default -n default
  node_up "$STATE_DIR"
  NODE_NAME=$NODE_HOSTNAME
else
  # Fake pods get loopback IPs: anything that ever dials a pod IP stays on this machine.
  start kwok "$KWOK" --kubeconfig="$STATE_DIR/kwok.kubeconfig" --config="$KWOK_STAGES" \
    --manage-all-nodes=true --cidr=127.1.0.0/16 --node-ip=127.0.0.1 \
    --server-address="127.0.0.1:$KWOK_PORT" --node-lease-duration-seconds=40

  kubectl apply -f - >/dev/null <<EOF
apiVersion: v1
kind: Node
metadata:
  name: $NODE_NAME
  annotations:
    node.alpha.kubernetes.io/ttl: "0"
    kwok.x-k8s.io/node: fake
  labels:
    kubernetes.io/hostname: $NODE_NAME
    kubernetes.io/os: linux
    kubernetes.io/arch: amd64
    type: kwok
status:
  allocatable: {cpu: "32", memory: 256Gi, pods: "110"}
  capacity: {cpu: "32", memory: 256Gi, pods: "110"}
EOF
  node_ready() { [[ "$(kubectl get node "$NODE_NAME" -o 'jsonpath={.status.conditions[?(@.type=="Ready")].status}')" == True ]]; }
  wait_for "node $NODE_NAME Ready" node_ready
  # Pods can be admitted only once the serviceaccount controller made the namespace's default account.
  wait_for "default ServiceAccount" kubectl get serviceaccount default -n default
  log "node $NODE_NAME Ready ($(ms))"
fi

cat > "$STATE_DIR/env" <<EOF
KUBECONFIG=$STATE_DIR/kubeconfig
API_SERVER_URL=$API_URL
ETCD_URL=http://127.0.0.1:$ETCD_PORT
NODE_NAME=$NODE_NAME
NODE_IP=$( $NODE && echo "$NODE_IP" )
EOF
trap - EXIT
log "local cluster up in $(ms); stop with: $LOCAL_CLUSTER_DIR/down.sh $STATE_DIR"
echo "export KUBECONFIG=$STATE_DIR/kubeconfig"
