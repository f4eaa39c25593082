#!/usr/bin/env bash
# Stops the processes up.sh started (by their pid files) and removes the state directory.
# Usage: down.sh [--keep-state] [STATE_DIR]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
source "$LOCAL_CLUSTER_DIR/node.sh"

KEEP_STATE=false
if [[ "${1:-}" == --keep-state ]]; then KEEP_STATE=true; shift; fi
STATE_DIR="${1:-$WRC_CACHE/local-cluster/state}"
[[ -d "$STATE_DIR" ]] || { log "no state at $STATE_DIR"; exit 0; }
STATE_DIR="$(cd "$STATE_DIR" && pwd)"
RUN="$STATE_DIR/run"

# Only a pid whose command line names this state dir is ours: a recycled pid is left alone.
ours() { [[ -r /proc/$1/cmdline ]] && tr '\0' ' ' < "/proc/$1/cmdline" | grep -qF "$STATE_DIR"; }

stop() {
  local pidf="$RUN/$1.pid" pid
  [[ -f "$pidf" ]] || return 0
  pid=$(cat "$pidf")
  if ours "$pid"; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 50); do ours "$pid" || break; sleep 0.1; done
    if ours "$pid"; then log "$1 ($pid) ignored TERM, killing"; kill -KILL "$pid" 2>/dev/null || true; fi
  fi
  rm -f "$pidf"
}
# A real node first (its pods, processes, mounts, namespace, sysctls), while the API server still answers.
node_down "$STATE_DIR"
# Clients first, etcd last, so nothing logs storms of connection errors on the way down.
for name in kwok kube-scheduler kube-controller-manager kube-apiserver etcd; do stop "$name"; done
if ! $KEEP_STATE; then rm -rf "$STATE_DIR"; fi
log "local cluster in $STATE_DIR stopped"
