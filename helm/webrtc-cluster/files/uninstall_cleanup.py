"""helm uninstall's pre-delete hook: delete the release namespace's Rooms and TurnPools and wait until the
operator, still running at this point, has finalized them (Redis records removed, workloads garbage-collected).
Without this they would outlive the operator, stuck on finalizers nobody handles. Standard library only."""
import json
import os
import ssl
import sys
import time
import urllib.request

SA = "/var/run/secrets/kubernetes.io/serviceaccount"
GROUP = "/apis/webrtc-cluster.io/v1alpha1"
KINDS = ["rooms", "turnpools"]  # Rooms first: they name a TurnPool in their policy

namespace = open(f"{SA}/namespace").read().strip()
token = open(f"{SA}/token").read().strip()
api = "https://{}:{}".format(os.environ.get("KUBERNETES_SERVICE_HOST", "kubernetes.default.svc"),
                             os.environ.get("KUBERNETES_SERVICE_PORT", "443"))
tls = ssl.create_default_context(cafile=f"{SA}/ca.crt")
deadline = time.monotonic() + float(os.environ.get("TIMEOUT_SECONDS", "180"))


def call(method, path):
    req = urllib.request.Request(api + path, method=method, headers={"Authorization": "Bearer " + token})
    with urllib.request.urlopen(req, context=tls, timeout=10) as r:
        return json.load(r)


def names(kind):
    return [i["metadata"]["name"] for i in call("GET", f"{GROUP}/namespaces/{namespace}/{kind}")["items"]]


for kind in KINDS:
    left = names(kind)
    if left:
        print(f"deleting {kind} in {namespace}: {', '.join(left)}", flush=True)
        call("DELETE", f"{GROUP}/namespaces/{namespace}/{kind}")
    while left:
        if time.monotonic() > deadline:
            sys.exit(f"{kind} not finalized in time: {', '.join(left)} (is the operator running?)")
        time.sleep(1)
        left = names(kind)
    print(f"{kind}: none left", flush=True)
