# The real node of `up.sh --node`: containerd, kubelet, kube-proxy and CoreDNS in a network namespace
# of their own, plus the pieces of the control plane that face it. Sourced by up.sh and down.sh.
#
#   host                                     netns $NODE_NETNS (no default route: nothing leaves)
#   wrc-node0 10.87.0.1/24  <── veth ──>     eth0 10.87.0.2/24: node IP, kubelet, NodePorts, CoreDNS
#   kube-apiserver on 10.87.0.1              pods 10.88.0.0/16 (CNI ptp: one routed veth per pod)
#   routes 10.88/16, 10.96/16 via 10.87.0.2  Services 10.96.0.0/16 (kube-proxy, iptables, in the netns)
#
# Everything the node writes lives under STATE_DIR/node (containerd root and state, kubelet root, CNI
# state, pod logs) except what the kubelet insists on (/var/lib/kubelet/device-plugins and
# /var/log/containers: removed by down.sh when up.sh created them). The kubelet changes a few global
# sysctls at start (vm.overcommit_memory, kernel.panic, ...): their values before are saved and restored.

NODE_NETNS="${WRC_NODE_NETNS:-wrc-node}"
NODE_HOST_IF=wrc-node0
NODE_HOST_IP=10.87.0.1
NODE_IP=10.87.0.2
POD_CIDR=10.88.0.0/16
SERVICE_CIDR=10.96.0.0/16
NODE_HOSTNAME="${WRC_NODE_NAME:-wrc-node-0}"
NODE_SYSCTLS=(vm.overcommit_memory vm.panic_on_oom kernel.panic kernel.panic_on_oops kernel.keys.root_maxkeys kernel.keys.root_maxbytes)
CGROUP_ROOT=/wrc-node
KUBELET_GLOBAL_DIRS=(/var/lib/kubelet /var/log/containers /var/log/pods)
# The sandbox image containerd runs for every pod (built from pause.c by install.sh --node).
export PAUSE_IMAGE="${PAUSE_IMAGE:-registry.k8s.io/pause:3.10}"

in_node() { nsenter --net="/run/netns/$NODE_NETNS" -- "$@"; }

# The network namespace, the veth to it and the host's routes into the cluster ranges.
node_net_up() {
  local dir=$1
  if ip netns list | grep -qw "$NODE_NETNS"; then log "netns $NODE_NETNS exists: another node is up (down.sh it first)"; return 1; fi
  mkdir -p "$dir/node"
  echo "$NODE_NETNS" > "$dir/node/netns"
  ip netns add "$NODE_NETNS"
  ip link add "$NODE_HOST_IF" type veth peer name eth0 netns "$NODE_NETNS"
  ip addr add "$NODE_HOST_IP/24" dev "$NODE_HOST_IF"
  ip link set "$NODE_HOST_IF" up
  in_node ip link set lo up
  in_node ip addr add "$NODE_IP/24" dev eth0
  in_node ip link set eth0 up
  # Forwarding only inside the node's namespace (pods <-> Services <-> host); the host's own stays as it was.
  in_node sysctl -qw net.ipv4.ip_forward=1
  ip route add "$POD_CIDR" via "$NODE_IP" dev "$NODE_HOST_IF"
  ip route add "$SERVICE_CIDR" via "$NODE_IP" dev "$NODE_HOST_IF"
}

node_net_down() {
  local dir=$1 ns
  ns=$(cat "$dir/node/netns" 2>/dev/null || true)
  [[ -n "$ns" ]] || return 0
  # Deleting the host end of the veth removes the peer and the routes through it.
  ip link show "$NODE_HOST_IF" >/dev/null 2>&1 && ip link del "$NODE_HOST_IF"
  ip netns list | grep -qw "$ns" && ip netns del "$ns"
  rm -f "$dir/node/netns"
}

# PKI for the node's components (called by up.sh with its pki/sign helpers).
node_pki() {
  sign kubelet "/O=system:nodes/CN=system:node:$NODE_HOSTNAME" "$CLIENT_EXT"
  sign kube-proxy "/CN=system:kube-proxy" "$CLIENT_EXT"
  sign coredns "/CN=system:coredns" "$CLIENT_EXT"
  sign apiserver-kubelet-client "/O=system:masters/CN=kube-apiserver-kubelet-client" "$CLIENT_EXT"
  # The kubelet's serving certificate, so `kubectl logs` / `exec` verify it.
  sign kubelet-serving "/O=system:nodes/CN=system:node:$NODE_HOSTNAME" "$(printf '%s\n' 'basicConstraints=CA:FALSE' \
    'keyUsage=critical,digitalSignature,keyEncipherment' 'extendedKeyUsage=serverAuth' "subjectAltName=IP:$NODE_IP,DNS:$NODE_HOSTNAME")"
}

node_up() {
  local dir=$1 n="$1/node"
  node_binaries_present || { log "node binaries missing: run $LOCAL_CLUSTER_DIR/install.sh --node first"; return 1; }
  mkdir -p "$n"/{containerd,kubelet/root,kubelet/pod-logs,kubelet/volume-plugins,cni/net.d,cni/ipam,coredns,kube-proxy}

  local s
  for s in "${NODE_SYSCTLS[@]}"; do echo "$s=$(sysctl -n "$s")"; done > "$n/sysctl-before"
  local d; : > "$n/created-dirs"
  for d in "${KUBELET_GLOBAL_DIRS[@]}"; do [[ -e "$d" ]] || echo "$d" >> "$n/created-dirs"; done
  for d in /sys/fs/cgroup/*/; do mkdir -p "$d${CGROUP_ROOT#/}"; done
  cat /sys/fs/cgroup/cpuset/cpuset.cpus > "/sys/fs/cgroup/cpuset$CGROUP_ROOT/cpuset.cpus"
  cat /sys/fs/cgroup/cpuset/cpuset.mems > "/sys/fs/cgroup/cpuset$CGROUP_ROOT/cpuset.mems"

  # --- containerd (Debian) with runc -----------------------------------------------------------------
  cat > "$n/cni/net.d/10-wrc.conflist" <<EOF
{
  "cniVersion": "0.4.0",
  "name": "wrc-pods",
  "plugins": [
    {"type": "ptp", "ipMasq": false, "mtu": 1500,
     "ipam": {"type": "host-local", "dataDir": "$n/cni/ipam", "ranges": [[{"subnet": "$POD_CIDR"}]],
              "routes": [{"dst": "0.0.0.0/0"}]}},
    {"type": "portmap", "capabilities": {"portMappings": true}}
  ]
}
EOF
  cat > "$n/containerd/config.toml" <<EOF
version = 2
root = "$n/containerd/root"
state = "$n/containerd/state"
disabled_plugins = ["io.containerd.snapshotter.v1.aufs", "io.containerd.snapshotter.v1.btrfs", "io.containerd.snapshotter.v1.zfs", "io.containerd.snapshotter.v1.devmapper"]
[grpc]
  address = "$n/containerd/containerd.sock"
[plugins."io.containerd.internal.v1.opt"]
  path = "$n/containerd/opt"
[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "$PAUSE_IMAGE"
  stream_server_address = "$NODE_IP"
  stream_server_port = "0"
  enable_unprivileged_ports = true
  enable_unprivileged_icmp = true
  netns_mounts_under_state_dir = true
  # Root here lacks CAP_SYS_RESOURCE: runc cannot lower oom_score_adj, and every sandbox fails without this.
  restrict_oom_score_adj = true
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        SystemdCgroup = false
        BinaryName = "$(command -v runc)"
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "/usr/lib/cni"
    conf_dir = "$n/cni/net.d"
EOF
  start containerd nsenter --net="/run/netns/$NODE_NETNS" -- containerd --config "$n/containerd/config.toml"
  wait_for containerd ctr -a "$n/containerd/containerd.sock" version
  log "containerd up ($(ms))"
  node_import_images "$dir"

  # --- kubelet ------------------------------------------------------------------------------------------
  printf 'nameserver %s\n' "$NODE_IP" > "$n/kubelet/resolv.conf"
  cat > "$n/kubelet/config.yaml" <<EOF
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
# This host has hybrid cgroups (v1 controllers): opt out of the v1.35+ refusal; cgroupfs, no systemd here.
failCgroupV1: false
cgroupDriver: cgroupfs
cgroupRoot: $CGROUP_ROOT
failSwapOn: false
containerRuntimeEndpoint: unix://$n/containerd/containerd.sock
podLogsDir: $n/kubelet/pod-logs
volumePluginDir: $n/kubelet/volume-plugins
resolvConf: $n/kubelet/resolv.conf
clusterDNS: [$NODE_IP]
clusterDomain: cluster.local
address: $NODE_IP
port: 10250
readOnlyPort: 0
healthzBindAddress: 127.0.0.1
healthzPort: 10248
tlsCertFile: $PKI/kubelet-serving.crt
tlsPrivateKeyFile: $PKI/kubelet-serving.key
authentication:
  anonymous: {enabled: false}
  webhook: {enabled: false}
  x509: {clientCAFile: $PKI/ca.crt}
authorization: {mode: AlwaysAllow}
registerNode: true
serializeImagePulls: false
imageGCHighThresholdPercent: 100
imageGCLowThresholdPercent: 99
evictionHard: {memory.available: "100Mi", nodefs.available: "1%", imagefs.available: "1%"}
nodeStatusReportFrequency: 10s
syncFrequency: 10s
fileCheckFrequency: 10s
staticPodPath: ""
maxPods: 110
EOF
  kubeconfig kubelet.kubeconfig kubelet
  start kubelet nsenter --net="/run/netns/$NODE_NETNS" -- "$KUBELET" --config="$n/kubelet/config.yaml" \
    --kubeconfig="$dir/kubelet.kubeconfig" --root-dir="$n/kubelet/root" --cert-dir="$n/kubelet/pki" \
    --hostname-override="$NODE_HOSTNAME" --node-ip="$NODE_IP" --v=1

  # --- kube-proxy (iptables, in the node's namespace) -----------------------------------------------
  kubeconfig kube-proxy.kubeconfig kube-proxy
  kubectl create clusterrolebinding wrc-kube-proxy --clusterrole=system:node-proxier --user=system:kube-proxy >/dev/null
  cat > "$n/kube-proxy/config.yaml" <<EOF
apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
clientConnection: {kubeconfig: $dir/kube-proxy.kubeconfig}
mode: iptables
clusterCIDR: $POD_CIDR
hostnameOverride: $NODE_HOSTNAME
bindAddress: $NODE_IP
healthzBindAddress: 127.0.0.1:10256
metricsBindAddress: 127.0.0.1:10249
nodePortAddresses: ["$NODE_IP/32"]
conntrack: {maxPerCore: 0, min: 0, tcpEstablishedTimeout: 0s, tcpCloseWaitTimeout: 0s}
EOF
  start kube-proxy nsenter --net="/run/netns/$NODE_NETNS" -- "$KUBE_PROXY" --config="$n/kube-proxy/config.yaml" --v=1

  # --- CoreDNS: cluster names only, no forwarding (nothing outside cluster.local is answered) ---------
  kubeconfig coredns.kubeconfig coredns
  kubectl apply -f - >/dev/null <<EOF
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: "system:coredns"}
rules:
- {apiGroups: [""], resources: [endpoints, services, pods, namespaces], verbs: [list, watch]}
- {apiGroups: [discovery.k8s.io], resources: [endpointslices], verbs: [list, watch]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: "system:coredns"}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: "system:coredns"}
subjects: [{apiGroup: rbac.authorization.k8s.io, kind: User, name: "system:coredns"}]
EOF
  # Every directive used here must be compiled in: COREDNS_PLUGINS in versions.env.
  cat > "$n/coredns/Corefile" <<EOF
cluster.local:53 in-addr.arpa:53 {
    bind $NODE_IP
    errors
    kubernetes cluster.local in-addr.arpa {
        kubeconfig $dir/coredns.kubeconfig local
        pods insecure
    }
    cache 5
}
EOF
  start coredns nsenter --net="/run/netns/$NODE_NETNS" -- "$COREDNS" -conf "$n/coredns/Corefile"

  node_ready() { [[ "$(kubectl get node "$NODE_HOSTNAME" -o 'jsonpath={.status.conditions[?(@.type=="Ready")].status}')" == True ]]; }
  wait_for "node $NODE_HOSTNAME Ready" node_ready
  log "node $NODE_HOSTNAME Ready ($(ms))"

  # --- the Ingress controller: Traefik on the node's port 80 --------------------------------------------
  sed "s/TRAEFIK_VERSION/$TRAEFIK_VERSION/" "$LOCAL_CLUSTER_DIR/ingress/traefik.yaml" | kubectl apply -f - >/dev/null
  wait_for "Traefik ready" kubectl -n ingress-traefik wait --for=condition=Available deployment/traefik --timeout=2s
  log "Ingress controller Traefik $TRAEFIK_VERSION on http://$NODE_IP/ ($(ms))"
}

# Imports the images a node here cannot pull: pause, the chart's third-party stand-ins, Traefik, and the
# project's images when they were built (mvn package -Pimages). WRC_NODE_IMAGES adds more OCI archives.
node_import_images() {
  local dir=$1 n="$1/node" f
  local ctr=(ctr -a "$n/containerd/containerd.sock" -n k8s.io)
  local files=()
  mapfile -t files < <("$LOCAL_CLUSTER_DIR/../images/third-party.sh")
  files+=("$("$LOCAL_CLUSTER_DIR/../images/traefik.sh")")
  for f in "$LOCAL_CLUSTER_DIR"/../../{operator,signaling-service,sfu-worker}/target/image/*.oci.tar ${WRC_NODE_IMAGES:-}; do
    [[ -f "$f" ]] && files+=("$f")
  done
  for f in "${files[@]}"; do
    "${ctr[@]}" images import --snapshotter overlayfs "$f" >/dev/null || { log "import of $f failed"; return 1; }
  done
  log "images imported: $("${ctr[@]}" images ls -q | grep -v '^sha256:' | tr '\n' ' ') ($(ms))"
}

node_down() {
  local dir=$1 n="$1/node"
  [[ -d "$n" ]] || return 0
  # 1. Pods first, so the kubelet tears their sandboxes down through CNI.
  if [[ -f "$RUN/kubelet.pid" ]] && ours "$(cat "$RUN/kubelet.pid")" && [[ -f "$dir/kubeconfig" ]]; then
    KUBECONFIG="$dir/kubeconfig" kubectl delete pods --all -A --grace-period=2 --wait=true --timeout=60s >/dev/null 2>&1 || true
  fi
  local name
  for name in coredns kube-proxy kubelet; do stop "$name"; done
  # 2. Whatever containers are left, then containerd and the shims it started.
  local sock="$n/containerd/containerd.sock" c
  if [[ -S "$sock" ]]; then
    local ctr=(ctr -a "$sock" -n k8s.io)
    for c in $("${ctr[@]}" tasks ls -q 2>/dev/null); do "${ctr[@]}" tasks kill -s KILL "$c" >/dev/null 2>&1 || true; done
    sleep 0.5
    for c in $("${ctr[@]}" containers ls -q 2>/dev/null); do
      "${ctr[@]}" tasks rm -f "$c" >/dev/null 2>&1 || true
      "${ctr[@]}" containers rm "$c" >/dev/null 2>&1 || true
    done
  fi
  stop containerd
  local pid
  for pid in $(pgrep -f "containerd-shim-runc-v2 .*$n/containerd" || true); do ours "$pid" && kill -KILL "$pid" 2>/dev/null || true; done
  # 3. Mounts under the node's state (overlay rootfs, pod volumes, netns files), deepest first.
  local m
  awk '{print $2}' /proc/self/mounts | grep "^$n/" | sort -r | while read -r m; do umount "$m" 2>/dev/null || umount -l "$m"; done
  # 4. cgroups, network, global sysctls, the kubelet's global directories.
  local h
  for h in /sys/fs/cgroup/*"$CGROUP_ROOT"; do [[ -d "$h" ]] && find "$h" -depth -type d -exec rmdir {} \; 2>/dev/null; done
  node_net_down "$dir"
  if [[ -f "$n/sysctl-before" ]]; then
    local kv; while read -r kv; do sysctl -qw "$kv" || log "could not restore $kv"; done < "$n/sysctl-before"
  fi
  if [[ -f "$n/created-dirs" ]]; then
    while read -r d; do [[ -n "$d" ]] && rm -rf "$d"; done < "$n/created-dirs"
  fi
}
