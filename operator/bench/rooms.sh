#!/usr/bin/env bash
# Benchmark: N Rooms (default 200) to Ready vs the floor of N Deployments applied with kubectl, same cluster,
# same run; prints times and API requests per object (apiserver_request_total). Not part of the test suite.
#   operator/bench/rooms.sh [N]
set -euo pipefail
cd "$(dirname "$0")/../.."
N="${1:-200}"
mvn -B -q -o -pl operator package -DskipTests
mvn -B -o -pl operator failsafe:integration-test -Dit.test=RoomsBench -Dgroups= -Dbench.rooms="$N" \
  -Dfailsafe.failIfNoSpecifiedTests=false 2>&1 | sed -n '/=== RoomsBench/,/^idle/p;/ERROR/p;/FAIL/p'
