#!/bin/sh
# Relay overhead through coturn vs direct, measured in one run inside the NAT lab (needs root: network namespaces).
# Prints round-trip latency direct vs relayed and coturn CPU per relayed stream. Not part of any test tier.
set -e
cd "$(dirname "$0")/../.."
# The browser half needs signaling's fast-jar (mvn -B -o -q -pl signaling-service package -DskipTests).
mvn -B -o -q -pl natlab verify -Dgroups=natlab-bench -DexcludedGroups= -Dit.test=RelayOverheadBenchIT "$@"
