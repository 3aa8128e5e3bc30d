#!/usr/bin/env python3
"""Windows image fixtures and checks made with Python's own tarfile, independent of the product's tar writer.

  windows_images.py base LAYOUT TAG
      Writes an OCI image layout whose index TAG names a linux/amd64 image and two windows/amd64 images
      (os.version 10.0.17763.5458 with os.features win32k, and 10.0.20348.2340), each Windows image with one
      Windows-style base layer: every entry under Files/ or Hives/, with MSWINDOWS.fileattr, MSWINDOWS.rawsd and
      LIBARCHIVE.creationtime PAX records, as Windows' own exported layers have them. The 20348 config leaves
      os.version out, so only the index says it.

  windows_images.py layer FILE
      Prints, as JSON, every member of a layer (gzip, zstd-less tar+gzip or plain tar) in order: name, type, size,
      mode, mtime, uid, gid, uname, gname, its PAX records and the sha256 of its content.

  windows_images.py sd BASE64
      Prints the SDDL of a self-relative security descriptor, read with Samba's NDR parser (python3-samba).
"""
import base64
import gzip
import hashlib
import io
import json
import os
import struct
import sys
import tarfile

MTIME = 1262304000  # 2010-01-01, anything fixed


def sid(authority, *subs):
    return struct.pack("<BB", 1, len(subs)) + authority.to_bytes(6, "big") + b"".join(struct.pack("<I", s) for s in subs)


def base_descriptor():
    # Owner and group SYSTEM, no DACL: a descriptor of another shape than the product's, so the two cannot be confused.
    system = sid(5, 18)
    header = struct.pack("<BBHIIII", 1, 0, 0x8000, 20, 20 + len(system), 0, 0)
    return base64.b64encode(header + system + system).decode()


def blob(layout, data):
    digest = hashlib.sha256(data).hexdigest()
    path = os.path.join(layout, "blobs", "sha256", digest)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)
    return {"digest": "sha256:" + digest, "size": len(data)}


def windows_layer(version):
    sd = base_descriptor()
    entries = [
        ("Files", None), ("Files/Program Files", None), ("Files/Program Files/dotnet", None),
        ("Files/Program Files/dotnet/dotnet.exe", b"dotnet host for " + version.encode()),
        ("Files/Windows", None), ("Files/Windows/System32", None),
        ("Files/Windows/System32/cmd.exe", b"cmd of " + version.encode()),
        ("Hives", None), ("Hives/DefaultUser_Delta", b"hive delta " + version.encode()),
    ]
    return tar_bytes(entries, lambda directory: {
        "MSWINDOWS.fileattr": "16" if directory else "32",
        "MSWINDOWS.rawsd": sd,
        "LIBARCHIVE.creationtime": str(MTIME),
    })


def linux_layer():
    return tar_bytes([("etc", None), ("etc/os-release", b"ID=fixture\n")], lambda directory: {})


def tar_bytes(entries, records):
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for name, content in entries:
            info = tarfile.TarInfo(name)
            info.mtime = MTIME
            info.pax_headers = records(content is None)
            if content is None:
                info.type = tarfile.DIRTYPE
                info.mode = 0o755
                tar.addfile(info)
            else:
                info.size = len(content)
                info.mode = 0o644
                tar.addfile(info, io.BytesIO(content))
    return out.getvalue()


def image(layout, platform, config_platform, layer, config_extra):
    compressed = gzip.compress(layer, mtime=0)
    layer_desc = dict(blob(layout, compressed), mediaType="application/vnd.oci.image.layer.v1.tar+gzip")
    config = dict(config_platform)
    config.update({
        "config": config_extra,
        "rootfs": {"type": "layers", "diff_ids": ["sha256:" + hashlib.sha256(layer).hexdigest()]},
        "history": [{"created_by": "fixture base layer"}],
    })
    config_desc = dict(blob(layout, json.dumps(config, sort_keys=True).encode()), mediaType="application/vnd.oci.image.config.v1+json")
    manifest = {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json", "config": config_desc, "layers": [layer_desc]}
    desc = dict(blob(layout, json.dumps(manifest, sort_keys=True).encode()), mediaType="application/vnd.oci.image.manifest.v1+json")
    desc["platform"] = platform
    return desc


def make_base(layout, tag):
    os.makedirs(layout, exist_ok=True)
    with open(os.path.join(layout, "oci-layout"), "w") as f:
        json.dump({"imageLayoutVersion": "1.0.0"}, f)
    windows_env = {"Env": ["PATH=C:\\Windows\\system32;C:\\Windows;C:\\Program Files\\dotnet"], "User": "ContainerAdministrator"}
    manifests = [
        image(layout, {"architecture": "amd64", "os": "linux"}, {"architecture": "amd64", "os": "linux"}, linux_layer(),
              {"Env": ["PATH=/usr/bin", "APP_UID=1654"]}),
        image(layout, {"architecture": "amd64", "os": "windows", "os.version": "10.0.17763.5458", "os.features": ["win32k"]},
              {"architecture": "amd64", "os": "windows", "os.version": "10.0.17763.5458"}, windows_layer("10.0.17763.5458"), windows_env),
        image(layout, {"architecture": "amd64", "os": "windows", "os.version": "10.0.20348.2340"},
              {"architecture": "amd64", "os": "windows"}, windows_layer("10.0.20348.2340"), windows_env),
    ]
    index = {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json", "manifests": manifests}
    index_desc = dict(blob(layout, json.dumps(index, sort_keys=True).encode()), mediaType="application/vnd.oci.image.index.v1+json")
    index_desc["annotations"] = {"org.opencontainers.image.ref.name": tag}
    with open(os.path.join(layout, "index.json"), "w") as f:
        json.dump({"schemaVersion": 2, "manifests": [index_desc]}, f)


def list_layer(path):
    members = []
    with tarfile.open(path, mode="r:*") as tar:
        for member in tar:
            content = tar.extractfile(member).read() if member.isfile() else b""
            members.append({
                "name": member.name,
                "type": "dir" if member.isdir() else "file" if member.isfile() else "symlink" if member.issym() else "other",
                "size": member.size, "mode": member.mode, "mtime": int(member.mtime), "uid": member.uid, "gid": member.gid,
                "uname": member.uname, "gname": member.gname,
                "pax": dict(member.pax_headers),
                "sha256": hashlib.sha256(content).hexdigest(),
            })
    json.dump(members, sys.stdout)


def sddl(text):
    from samba.dcerpc import security
    from samba.ndr import ndr_unpack
    print(ndr_unpack(security.descriptor, base64.b64decode(text)).as_sddl())


if __name__ == "__main__":
    command = sys.argv[1]
    if command == "base":
        make_base(sys.argv[2], sys.argv[3])
    elif command == "layer":
        list_layer(sys.argv[2])
    elif command == "sd":
        sddl(sys.argv[2])
    else:
        sys.exit("unknown command " + command)
