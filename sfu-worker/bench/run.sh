#!/bin/sh
# Forwarding capacity of the sfu-worker pinned to one core, measured with real WebRTC peers (Pion:
# BENCH_PUBLISHERS ~500 kbps VP8 publishers, subscriber PeerConnections added in steps, each receiving
# every publisher, so consumers = publishers x subscribers), then the same shape through a trivial UDP
# relay (no ICE/DTLS/SRTP, no rewriting) as the floor. Loopback only. Not part of the test suite.
# Usage: sfu-worker/bench/run.sh [consumer steps, default 500,1000,1500,2000,2500]
# Env: BENCH_SECONDS (window per step, 10), BENCH_PUBLISHERS (10), BENCH_DECRYPT_EVERY (16),
#      BENCH_SKIP_RELAY=1 (SFU only). Wrap it in `flock /tmp/wrc-bench.lock` on a shared machine.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
steps=${1:-500,1000,1500,2000,2500}
seconds=${BENCH_SECONDS:-10}
pubs=${BENCH_PUBLISHERS:-10}
every=${BENCH_DECRYPT_EVERY:-16}
cache=${WRC_CACHE:-$HOME/.cache/webrtc-cluster}
key=$(cat "$here/loadclient/main.go" "$here/loadclient/go.mod" "$here/loadclient/go.sum" | sha256sum | cut -c1-12)
bin="$cache/sfu-bench-$key"
if [ ! -x "$bin" ]; then
  echo "building the Pion load client into $bin"
  (cd "$here/loadclient" && GOPATH="$cache/go" GOFLAGS=-mod=mod go build -o "$bin" .)
fi
jar="$repo/sfu-worker/target/quarkus-app/quarkus-run.jar"
[ -f "$jar" ] || (cd "$repo" && mvn -B -o -q -pl sfu-worker package -DskipTests)

http=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
udp=$(python3 -c 'import socket; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
relay=$(python3 -c 'import socket; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
log=$(mktemp /tmp/sfu-bench-worker.XXXXXX)

taskset -c 1 java -Xmx1g ${BENCH_WORKER_JVM:-} -Dquarkus.http.port="$http" -Dquarkus.http.host=127.0.0.1 -Dwrc.sfu.udp-port="$udp" \
  -Dwrc.sfu.bind-address=127.0.0.1 -Dwrc.sfu.announced-address=127.0.0.1 -Dwrc.sfu.drain-timeout=1s -Dquarkus.log.level=WARN \
  -jar "$jar" >"$log" 2>&1 &
worker=$!
trap 'kill $worker 2>/dev/null || true; [ -n "${relaypid:-}" ] && kill $relaypid 2>/dev/null || true' EXIT
until curl -sf "http://127.0.0.1:$http/q/health/ready" >/dev/null; do sleep 0.3; done
echo "sfu-worker pid $worker on core 1 (log $log); load client on core 0"
taskset -c 0 "$bin" -mode sfu -control "http://127.0.0.1:$http" -worker-pid "$worker" -worker-port "$udp" \
  -publishers "$pubs" -decrypt-every "$every" -consumers "$steps" -seconds "$seconds"
curl -s "http://127.0.0.1:$http/q/metrics" | grep -E '^wrc_sfu_(rtp_packets|consumers|producers|participants|datagrams_dropped_total)' | grep -v ' 0.0$' || true
grep -cE 'WARN|ERROR' "$log" | sed 's/^/worker log WARN|ERROR lines: /' || true
kill $worker; wait $worker 2>/dev/null || true
[ "${BENCH_SKIP_RELAY:-0}" = 1 ] && exit 0

taskset -c 1 "$bin" -mode relay-server -relay "127.0.0.1:$relay" &
relaypid=$!
sleep 0.5
taskset -c 0 "$bin" -mode relay -relay "127.0.0.1:$relay" -worker-pid "$relaypid" -worker-port "$relay" \
  -publishers "$pubs" -decrypt-every "$every" -consumers "$steps" -seconds "$seconds"
