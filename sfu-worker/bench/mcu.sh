#!/bin/sh
# MCU audio against SFU audio, one command: K = 3 speakers (Chromium's captured Opus) and 10 / 100 / 1,000
# listeners per room; CPU per 20 ms, rooms and listeners per core, kbit/s per listener, 3 runs each (median
# [min..max]); then the delay the mixer adds (p50/p99) on the real 20 ms clock at ~half a core. The JVM is
# pinned to one core (BENCH_CORE, default 1). Loopback only. Wrap it in `flock /tmp/wrc-bench.lock` on a
# shared machine. Env: BENCH_RUNS (3), BENCH_TICKS (500 = 10 s of audio per run).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
cd "$repo"
exec taskset -c "${BENCH_CORE:-1}" mvn -B -o -q -pl sfu-worker -am test -Dtest=McuBench -Dsurefire.failIfNoSpecifiedTests=false \
  -Dmcu.bench=true -Dmcu.runs="${BENCH_RUNS:-3}" -Dmcu.ticks="${BENCH_TICKS:-500}" -DtrimStackTrace=false
