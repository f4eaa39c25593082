#!/usr/bin/env bash
# Legitimate join latency on a signaling replica holding 2,000 hostile idle sockets (never joining, re-opened
# whenever the join timeout closes them, 50 per address from 127.0.0.2..41) vs an idle replica, same run,
# joins alternating between the two; prints p50/p99 per round and the median and spread of the p99 ratio.
#   bench/hostile.sh
# Knobs (BENCH_JAVA_OPTS): -Dbench.hostile-sockets=2000 -Dbench.joins=400 (per replica per round) -Dbench.rounds=5
set -euo pipefail
cd "$(dirname "$0")/.."
ulimit -n 1000000 2>/dev/null || ulimit -n "$(ulimit -Hn)"
echo "descriptor limit here: soft $(ulimit -n), hard $(ulimit -Hn)"
mvn -B -q -pl signaling-service -am install -DskipTests
mvn -B -q -pl signaling-service test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
cd signaling-service
exec java -Xmx1g ${BENCH_JAVA_OPTS:-} -cp "target/test-classes:target/classes:$(cat target/bench.classpath)" io.webrtccluster.signaling.bench.HostileBench "$@"
