#!/usr/bin/env python3
"""Pod start on the real node (up.sh --node, chart installed as `rtc`): delete a pod of the SFU pool or of
signaling and time its replacement from the moment it is bound to the node (the scheduler's work and any wait
for the old pod's hostPort excluded) to, for the SFU worker, its registration in Redis, and for signaling, Ready.
Also prints what Quarkus itself logs ("started in"). Usage: pod-start.py sfu|signaling [runs]"""
import json
import re
import subprocess
import sys
import threading
import time

KIND = sys.argv[1]
RUNS = int(sys.argv[2]) if len(sys.argv) > 2 else 3
LABEL = {"sfu": "app.kubernetes.io/name=sfu-pool", "signaling": "app.kubernetes.io/name=signaling"}[KIND]


def kubectl(*args):
    return subprocess.run(["kubectl", *args], check=True, capture_output=True, text=True).stdout.strip()


def pods(live_only=False):
    """The pods of the deployment; live_only: not already being deleted (a replaced pod may still be draining)."""
    items = json.loads(kubectl("get", "pods", "-l", LABEL, "-o", "json"))["items"]
    return {p["metadata"]["name"] for p in items if not (live_only and p["metadata"].get("deletionTimestamp"))}


redis_ip = kubectl("get", "service", "rtc-redis", "-o", "jsonpath={.spec.clusterIP}")


def registered(pod):
    out = subprocess.run(["redis-cli", "-h", redis_ip, "EXISTS", f"wrc:sfu:worker:{pod}"], capture_output=True, text=True).stdout
    return out.strip() == "1"


results = []
for run in range(RUNS):
    before = pods()
    old = sorted(pods(live_only=True))[0]
    events = []  # (time, name, nodeName, ready)
    watch = subprocess.Popen(["kubectl", "get", "pods", "-l", LABEL, "--watch-only", "-o",
                              "jsonpath={.metadata.name} {.spec.nodeName} {.status.containerStatuses[0].ready}{\"\\n\"}"],
                             stdout=subprocess.PIPE, text=True)
    threading.Thread(target=lambda: [events.append((time.monotonic(), *line.split())) for line in watch.stdout], daemon=True).start()
    time.sleep(1)  # the watch is established
    kubectl("delete", "pod", old, "--wait=false")
    new, bound, done = None, None, None
    deadline = time.monotonic() + 120
    while done is None and time.monotonic() < deadline:
        time.sleep(0.05)
        for t, name, *rest in list(events):
            if name in before:
                continue
            new = name
            if bound is None and rest and rest[0].startswith("wrc-node"):
                bound = t
            if KIND == "signaling" and bound is not None and rest[-1:] == ["true"]:
                done = t
        if KIND == "sfu" and bound is not None and registered(new):
            done = time.monotonic()
    watch.terminate()
    if done is None:
        sys.exit(f"run {run + 1}: {new} did not get there in time")
    log = kubectl("logs", new)
    started = re.search(r"started in ([0-9.]+)s", log)
    results.append(done - bound)
    print(f"run {run + 1}: {new} bound -> {'registered' if KIND == 'sfu' else 'Ready'} {done - bound:.2f} s;"
          f" Quarkus 'started in' {started.group(1) if started else '?'} s", flush=True)
    # the next run only once the deployment is whole again
    kubectl("rollout", "status", "deployment/" + ("rtc-sfu-pool" if KIND == "sfu" else "signaling"), "--timeout=120s")
    time.sleep(2)
results.sort()
print(f"{KIND}: median {results[len(results) // 2]:.2f} s, range {results[0]:.2f}-{results[-1]:.2f} s over {len(results)} runs")
