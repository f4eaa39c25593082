#!/usr/bin/env bash
# Browser benchmarks with real headless Chromium on loopback (one command each):
#   bench/browser.sh first-frame [runs=3] [setups=20]   # join click → first decoded frame, mesh, two peers
#   bench/browser.sh topology [runs=3] [switches=10]    # live mesh↔SFU switches: duration, freeze, double audio
# Needs chromium, chromium-driver and redis-server (bin/install-deps installs them).
set -euo pipefail
cd "$(dirname "$0")/.."
which=${1:?usage: bench/browser.sh first-frame|topology [args]}
shift
case "$which" in
  first-frame) main=io.webrtccluster.signaling.bench.FirstFrameBench ;;
  topology) main=io.webrtccluster.signaling.it.TopologySwitchBench ;;
  *) echo "unknown benchmark: $which" >&2; exit 2 ;;
esac
mvn -B -q -pl signaling-service,sfu-worker -am install -DskipTests
mvn -B -q -pl signaling-service test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
cd signaling-service
exec java ${BENCH_JAVA_OPTS:-} -cp "target/test-classes:target/classes:$(cat target/bench.classpath)" "$main" "$@"
