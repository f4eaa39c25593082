#!/usr/bin/env python3
"""mkoci.py ROOTFS IMAGE_REF OUT.tar [--docker] [--entrypoint a,b] [--cmd a,b] [--user UID:GID] [--env K=V]

One-layer image archive from a directory, with no daemon and no registry:
  default   OCI image layout, for `ctr -n k8s.io images import` (containerd keeps IMAGE_REF as its name)
  --docker  `docker save` layout, what Jib reads as a `tar://` base image
Reproducible: entries sorted, owned by root, mtime 0, gzip without a timestamp, so the same rootfs gives
the same digest."""
import argparse, gzip, hashlib, io, json, os, tarfile

ap = argparse.ArgumentParser()
ap.add_argument("rootfs"); ap.add_argument("ref"); ap.add_argument("out")
ap.add_argument("--docker", action="store_true")
ap.add_argument("--entrypoint", default=""); ap.add_argument("--cmd", default="")
ap.add_argument("--user", default=""); ap.add_argument("--env", action="append", default=[])
a = ap.parse_args()


def digest(data):
    return "sha256:" + hashlib.sha256(data).hexdigest()


layer_tar = io.BytesIO()
with tarfile.open(fileobj=layer_tar, mode="w", format=tarfile.PAX_FORMAT) as t:
    for dirpath, dirnames, filenames in os.walk(a.rootfs):
        dirnames.sort()
        for name in sorted(dirnames) + sorted(filenames):
            full = os.path.join(dirpath, name)
            info = t.gettarinfo(full, arcname=os.path.relpath(full, a.rootfs))
            info.uid = info.gid = 0
            info.uname = info.gname = "root"
            info.mtime = 0
            if info.isfile():
                with open(full, "rb") as f:
                    t.addfile(info, f)
            else:
                t.addfile(info)
layer_raw = layer_tar.getvalue()
gz = io.BytesIO()
with gzip.GzipFile(fileobj=gz, mode="wb", mtime=0) as g:
    g.write(layer_raw)
layer = gz.getvalue()

config = {"Env": ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"] + a.env}
if a.entrypoint: config["Entrypoint"] = a.entrypoint.split(",")
if a.cmd: config["Cmd"] = a.cmd.split(",")
if a.user: config["User"] = a.user
image_config = json.dumps({"architecture": "amd64", "os": "linux", "config": config,
                           "rootfs": {"type": "layers", "diff_ids": [digest(layer_raw)]},
                           "history": [{"created": "1970-01-01T00:00:00Z", "created_by": "k8s/images/mkoci.py"}]},
                          sort_keys=True).encode()


def write(entries):
    with tarfile.open(a.out + ".tmp", "w", format=tarfile.PAX_FORMAT) as t:
        for name, data in entries:
            info = tarfile.TarInfo(name)
            info.size, info.mtime = len(data), 0
            t.addfile(info, io.BytesIO(data))
    os.replace(a.out + ".tmp", a.out)


if a.docker:
    layer_name = digest(layer).split(":")[1] + "/layer.tar.gz"
    config_name = digest(image_config).split(":")[1] + ".json"
    manifest = [{"Config": config_name, "RepoTags": [a.ref], "Layers": [layer_name]}]
    write([(layer_name, layer), (config_name, image_config), ("manifest.json", json.dumps(manifest).encode())])
else:
    manifest = json.dumps({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
                           "config": {"mediaType": "application/vnd.oci.image.config.v1+json",
                                      "digest": digest(image_config), "size": len(image_config)},
                           "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip",
                                       "digest": digest(layer), "size": len(layer)}]}, sort_keys=True).encode()
    tag = a.ref.rsplit(":", 1)[1] if ":" in a.ref.rsplit("/", 1)[-1] else "latest"
    index = {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json",
             "manifests": [{"mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": digest(manifest),
                            "size": len(manifest), "annotations": {"io.containerd.image.name": a.ref,
                                                                   "org.opencontainers.image.ref.name": tag}}]}
    write([("oci-layout", b'{"imageLayoutVersion":"1.0.0"}'), ("index.json", json.dumps(index).encode())]
          + [("blobs/sha256/" + digest(b).split(":")[1], b) for b in (layer, image_config, manifest)])
print(a.out, a.ref)
