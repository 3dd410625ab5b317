#!/usr/bin/env python3
# A local k3s release mirror serving the k3s TEST DOUBLE (k3s-double.py) in the layout of the
# real GitHub releases, for tests and the lab quick start (never for a real site):
#
#   <root>/k3s-io/k3s/releases/download/<version>/k3s              amd64 binary (the double)
#                                                 /k3s-arm64         arm64 binary (the double)
#                                                 /sha256sum-amd64.txt, sha256sum-arm64.txt
#                                                 /k3s-airgap-images-<arch>.tar(.gz)
#                                                 /k3s-images.txt
#
# so `mirror_url` = http://HOST:PORT/k3s-io/k3s/releases/download and a version's URL is
# .../v1.28.4%2Bk3s2/k3s exactly as on github.com. The checksum files have the real format
# ("<sha256>  <file name>", two spaces). A version given with --corrupt gets a binary that does
# not match its checksum file (to test that a wrong sha256 is refused).
#
#   mirror.py build ROOT --version v1.28.4+k3s2 [--version ...] [--corrupt VERSION]
#   mirror.py serve ROOT --bind 10.231.0.1 [--port 0]
# `serve` prints "serving http://ADDR:PORT" first, then one line per request ("GET /path 200"),
# and stops on SIGTERM.
import argparse
import gzip
import hashlib
import http.server
import io
import json
import os
import signal
import sys
import tarfile
import threading
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
PREFIX = "k3s-io/k3s/releases/download"
# Version -> (commit, go version) printed by `k3s --version` (v1.28.4+k3s2 as the real one).
BUILD_INFO = {
    "v1.28.4+k3s2": ("6ba6c1b6", "go1.20.11"),
    "v1.28.5+k3s1": ("5b2d1271", "go1.20.12"),
    "v1.29.0+k3s1": ("3190a5a6", "go1.21.5"),
}
ARCHES = {"amd64": "k3s", "arm64": "k3s-arm64"}
IMAGES = ["docker.io/rancher/klipper-helm:v0.8.2-build20230815", "docker.io/rancher/mirrored-coredns-coredns:1.10.1",
          "docker.io/rancher/mirrored-pause:3.6", "docker.io/rancher/local-path-provisioner:v0.0.24"]


def build(root, versions, corrupt):
    src = open(os.path.join(HERE, "k3s-double.py")).read()
    for v in versions:
        commit, go = BUILD_INFO.get(v, (hashlib.sha256(v.encode()).hexdigest()[:8], "go1.21.5"))
        d = os.path.join(root, PREFIX, v)
        os.makedirs(d, exist_ok=True)
        images_txt = "\n".join(IMAGES) + "\n"
        write(os.path.join(d, "k3s-images.txt"), images_txt.encode())
        for arch, binname in ARCHES.items():
            body = src.replace("@@VERSION@@", v).replace("@@COMMIT@@", commit).replace("@@GOVERSION@@", go).encode()
            tar_bytes = images_tar(arch, v)
            files = {binname: body, "k3s-airgap-images-%s.tar" % arch: tar_bytes,
                     "k3s-airgap-images-%s.tar.gz" % arch: gzip.compress(tar_bytes, mtime=0), "k3s-images.txt": images_txt.encode()}
            sums = "".join("%s  %s\n" % (hashlib.sha256(b).hexdigest(), n) for n, b in sorted(files.items()))
            for n, b in files.items():
                if n == binname and v == corrupt:
                    b = b + b"\n# corrupted by mirror.py --corrupt\n"
                write(os.path.join(d, n), b, 0o755 if n == binname else 0o644)
            write(os.path.join(d, "sha256sum-%s.txt" % arch), sums.encode())


def images_tar(arch, version):
    """A docker-save style archive naming the images (no layers: the double runs no containers)."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.USTAR_FORMAT) as t:
        manifest = json.dumps([{"Config": "", "RepoTags": [i], "Layers": []} for i in IMAGES], indent=1).encode()
        for name, data in (("manifest.json", manifest), ("k3s-double-note.txt", ("k3s test double %s %s: no real images\n" % (version, arch)).encode())):
            info = tarfile.TarInfo(name)
            info.size = len(data)
            info.mtime = 0
            t.addfile(info, io.BytesIO(data))
    return buf.getvalue()


def write(path, data, mode=0o644):
    tmp = path + ".tmp"
    with open(tmp, "wb") as fh:
        fh.write(data)
    os.chmod(tmp, mode)
    os.rename(tmp, path)


def serve(root, bind, port):
    class Handler(http.server.BaseHTTPRequestHandler):
        def log_message(self, *a):
            pass

        def do_GET(self):
            rel = urllib.parse.unquote(urllib.parse.urlparse(self.path).path).lstrip("/")
            path = os.path.realpath(os.path.join(root, rel))
            code = 200
            if not path.startswith(os.path.realpath(root) + os.sep) or not os.path.isfile(path):
                code = 404
                self.send_response(404)
                self.send_header("Content-Length", "9")
                self.end_headers()
                self.wfile.write(b"Not Found")
            else:
                data = open(path, "rb").read()
                self.send_response(200)
                self.send_header("Content-Length", str(len(data)))
                self.send_header("Content-Type", "application/octet-stream")
                self.end_headers()
                self.wfile.write(data)
            sys.stdout.write("GET %s %d\n" % (self.path, code))
            sys.stdout.flush()

    srv = http.server.ThreadingHTTPServer((bind, port), Handler)
    signal.signal(signal.SIGTERM, lambda *_: threading.Thread(target=srv.shutdown).start())
    sys.stdout.write("serving http://%s:%d\n" % (bind, srv.server_address[1]))
    sys.stdout.flush()
    srv.serve_forever()


def main():
    p = argparse.ArgumentParser(description="k3s release mirror serving the k3s test double")
    sub = p.add_subparsers(dest="cmd", required=True)
    b = sub.add_parser("build")
    b.add_argument("root")
    b.add_argument("--version", action="append", required=True)
    b.add_argument("--corrupt")
    s = sub.add_parser("serve")
    s.add_argument("root")
    s.add_argument("--bind", required=True)
    s.add_argument("--port", type=int, default=0)
    a = p.parse_args()
    if a.cmd == "build":
        build(a.root, a.version, a.corrupt)
    else:
        serve(a.root, a.bind, a.port)


if __name__ == "__main__":
    main()
