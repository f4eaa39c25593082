#!/usr/bin/env bash
# Signaling benchmarks, one command: cross-replica relay latency vs raw Redis pub/sub, joins/s, and
# idle sessions per replica with RSS. Starts its own redis-server and two replicas on loopback.
#   bench/signaling.sh            # 19,000 idle sessions (see below)
#   bench/signaling.sh 5000       # fewer
# Knobs (BENCH_JAVA_OPTS): -Dbench.replica-jvm=-Xmx512m_-XX:+UseSerialGC (replica JVM flags, "_" for spaces),
#   -Dbench.replica-config=quarkus.vertx.event-loops-pool-size=4,... (replica config overrides),
#   -Dbench.warmup-seconds=5 (unmeasured traffic first, default 20), -Dbench.same-replica=true (receivers on
#   replica 1 too), -Dbench.relay-only=true (stop after the latency part)
# Each socket is a file descriptor in both the replica and this client; where the hard limit
# (ulimit -Hn) is 20,000 and cannot be raised (no CAP_SYS_RESOURCE), one process holds < 20,000.
set -euo pipefail
cd "$(dirname "$0")/.."
ulimit -n 1000000 2>/dev/null || ulimit -n "$(ulimit -Hn)"
mvn -B -q -pl signaling-service -am install -DskipTests
mvn -B -q -pl signaling-service test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
cd signaling-service
exec java -Xmx2g ${BENCH_JAVA_OPTS:-} -cp "target/test-classes:target/classes:$(cat target/bench.classpath)" io.webrtccluster.signaling.bench.SignalingBench "$@"
