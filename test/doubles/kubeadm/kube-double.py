#!/usr/bin/env python3
# kubeadm / kubelet / kubectl TEST DOUBLE -- not Kubernetes. Tests only (test/doubles/kubeadm/):
# packaged as the .deb packages `kubeadm`, `kubelet` and `kubectl` of the tests' local apt
# repository (kube-debs.ts), because the real ones cannot be downloaded on the test machines.
# The same file is installed three times (/usr/lib/k3play-kube-double/<tool>.py, called by
# /usr/bin/<tool>); argv[1] says which tool it plays.
#
# Faithful to what k3play's kubeadm_* / kubectl_apply modules and playbooks touch:
# - the CLI: `kubeadm init --config F --upload-certs`, `kubeadm join [EP] --token T
#   --discovery-token-ca-cert-hash sha256:H [--control-plane --certificate-key K] | --config F`,
#   `kubeadm token create|list|generate`, `kubeadm certs certificate-key`, `kubeadm init phase
#   upload-certs --upload-certs [--config F | --certificate-key K]`, `kubeadm reset -f`,
#   `kubeadm version -o short`; `kubectl get nodes|node N|secret|--raw /healthz`, `kubectl
#   delete node N`, `kubectl drain`, `kubectl apply --server-side -f -`, `kubectl diff -f -`;
#   unknown flags and subcommands are errors, as in the real tools;
# - the config files: kubeadm.k8s.io/v1beta3 InitConfiguration / ClusterConfiguration /
#   JoinConfiguration and kubelet.config.k8s.io/v1beta1 KubeletConfiguration are validated
#   strictly (unknown fields, wrong kinds, bad CIDRs and versions are errors);
# - the files: /etc/kubernetes/{admin,kubelet}.conf, /etc/kubernetes/pki/ca.{crt,key} (a real
#   ECDSA CA made with openssl, so the discovery hash is the real sha256 of its DER
#   SubjectPublicKeyInfo), /etc/kubernetes/manifests/kube-apiserver.yaml on control planes,
#   /var/lib/kubelet/config.yaml;
# - time: bootstrap tokens expire (default ttl 24h) and uploaded certificates after 2 h, on a
#   SIMULATED clock: now = time.time() + the seconds in /etc/k3play-double/clock-offset.
#
# The "API server" is the kubelet double's: on a control plane (a kube-apiserver.yaml manifest
# present) `kubelet` serves plain HTTP on the manifest's advertise address and port (6443):
# /healthz, /cluster-info, /bootstrap (joins), /admin (kubeadm/kubectl operations with the admin
# token of admin.conf), /state and /replicate. Cluster state lives in
# /var/lib/k3play-kube-double/cluster.json on every control plane; each write is merged into
# every other control plane's copy (per-entry timestamps, tombstones), so losing any one control
# plane loses nothing.
#
# Records for the tests (never a token, a certificate key or admin credentials; only sha256
# prefixes and token ids): the state's "events" (init, joined, join_refused, token_create,
# upload_certs, node_deleted, apply) and, per host, /var/lib/k3play-kube-double/argv.jsonl (the
# argv of every invocation, so tests can assert that no secret was ever a process argument).
import base64
import difflib
import hashlib
import http.server
import ipaddress
import json
import os
import re
import secrets
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

import yaml

def _block_strings(dumper, data):
    """Multi-line strings as YAML block scalars, as kubectl prints objects (readable diffs)."""
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style="|" if "\n" in data else None)


yaml.SafeDumper.add_representer(str, _block_strings)

VERSION = "@@VERSION@@"  # e.g. 1.28.4 (the package version without the Debian revision)
K8S = "/etc/kubernetes"
PKI = K8S + "/pki"
MANIFEST = K8S + "/manifests/kube-apiserver.yaml"
ADMIN_CONF = K8S + "/admin.conf"
KUBELET_CONF = K8S + "/kubelet.conf"
KUBELET_CONFIG = "/var/lib/kubelet/config.yaml"
STATE_DIR = "/var/lib/k3play-kube-double"
STATE = STATE_DIR + "/cluster.json"
CLOCK = "/etc/k3play-double/clock-offset"
CERTS_TTL = 7200
TOKEN_RE = re.compile(r"^([a-z0-9]{6})\.([a-z0-9]{16})$")
HOST = socket.gethostname()


class Fail(Exception):
    """A CLI error: printed to stderr, exit code `code`."""

    def __init__(self, msg, code=1):
        super().__init__(msg)
        self.code = code


def now():
    try:
        with open(CLOCK) as f:
            return time.time() + float(f.read().strip() or 0)
    except (OSError, ValueError):
        return time.time()


def sha(s):
    return hashlib.sha256(s.encode()).hexdigest()


def write(path, content, mode=0o600):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    tmp = path + ".tmp"
    with open(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode), "w") as f:
        f.write(content)
    os.chmod(tmp, mode)
    os.replace(tmp, path)


def read(path, default=None):
    try:
        with open(path) as f:
            return f.read()
    except OSError:
        return default


def record_argv(tool, argv):
    if os.environ.get("K3PLAY_DOUBLE_NO_RECORD"):  # the double's own CLI tests, on the controller
        return
    try:
        os.makedirs(STATE_DIR, exist_ok=True)
        with open(STATE_DIR + "/argv.jsonl", "a") as f:
            f.write(json.dumps({"ts": time.time(), "host": HOST, "tool": tool, "argv": argv}) + "\n")
    except OSError:
        pass


def ca_hash(ca_pem):
    """sha256 of the DER SubjectPublicKeyInfo of the CA certificate (what kubeadm pins)."""
    pub = subprocess.run(["openssl", "x509", "-pubkey", "-noout"], input=ca_pem.encode(), capture_output=True, check=True).stdout
    der = subprocess.run(["openssl", "pkey", "-pubin", "-outform", "DER"], input=pub, capture_output=True, check=True).stdout
    return "sha256:" + hashlib.sha256(der).hexdigest()


def duration(s):
    """Go durations as kubeadm takes them: 24h0m0s, 2h, 90m, 0 (never expires)."""
    if s in ("0", "0s"):
        return 0
    m = re.fullmatch(r"(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?", s or "")
    if not s or not m:
        raise Fail(f'invalid duration "{s}"')
    h, mi, se = (int(x or 0) for x in m.groups())
    return h * 3600 + mi * 60 + se


def short_duration(secs):
    """k8s.io/apimachinery duration.ShortHumanDuration, as `kubeadm token list` prints TTL."""
    if secs < -1:
        return "<invalid>"
    if secs < 0:
        return "0s"
    if secs < 60:
        return f"{int(secs)}s"
    if secs < 3600:
        return f"{int(secs // 60)}m"
    if secs < 86400:
        return f"{int(secs // 3600)}h"
    return f"{int(secs // 86400)}d"


# ---------------------------------------------------------------------------------------------
# Config files (strict, as kubeadm v1.28 with v1beta3)
# ---------------------------------------------------------------------------------------------
KUBEADM_API = ("kubeadm.k8s.io/v1beta3", "kubeadm.k8s.io/v1beta4")
SHAPES = {
    "ClusterConfiguration": {
        "apiVersion": str, "kind": str, "kubernetesVersion": str, "controlPlaneEndpoint": str, "clusterName": str,
        "imageRepository": str, "certificatesDir": str,
        "networking": {"podSubnet": str, "serviceSubnet": str, "dnsDomain": str},
        "apiServer": {"certSANs": list, "extraArgs": dict, "timeoutForControlPlane": str},
        "controllerManager": {"extraArgs": dict}, "scheduler": {"extraArgs": dict}, "etcd": {"local": dict, "external": dict},
    },
    "InitConfiguration": {
        "apiVersion": str, "kind": str, "bootstrapTokens": list, "certificateKey": str, "skipPhases": list,
        "localAPIEndpoint": {"advertiseAddress": str, "bindPort": int},
        "nodeRegistration": {"name": str, "criSocket": str, "taints": list, "kubeletExtraArgs": dict, "ignorePreflightErrors": list, "imagePullPolicy": str},
    },
    "JoinConfiguration": {
        "apiVersion": str, "kind": str, "caCertPath": str, "skipPhases": list,
        "discovery": {"bootstrapToken": {"apiServerEndpoint": str, "token": str, "caCertHashes": list, "unsafeSkipCAVerification": bool}, "tlsBootstrapToken": str, "timeout": str},
        "nodeRegistration": {"name": str, "criSocket": str, "taints": list, "kubeletExtraArgs": dict, "ignorePreflightErrors": list, "imagePullPolicy": str},
        "controlPlane": {"localAPIEndpoint": {"advertiseAddress": str, "bindPort": int}, "certificateKey": str},
    },
    "KubeletConfiguration": {"apiVersion": str, "kind": str, "cgroupDriver": str, "failSwapOn": bool, "clusterDNS": list, "clusterDomain": str},
    "KubeProxyConfiguration": {"apiVersion": str, "kind": str, "mode": str, "clusterCIDR": str},
}


def check_shape(doc, shape, where, errors):
    for k, v in doc.items():
        if k not in shape:
            errors.append(f'strict decoding error: unknown field "{where}{k}"')
            continue
        want = shape[k]
        if isinstance(want, dict):
            if not isinstance(v, dict):
                errors.append(f'{where}{k}: expected an object')
            else:
                check_shape(v, want, f"{where}{k}.", errors)
        elif want is int and (not isinstance(v, int) or isinstance(v, bool)):
            errors.append(f"{where}{k}: expected an integer, got {type(v).__name__}")
        elif want is not int and not isinstance(v, want):
            errors.append(f"{where}{k}: expected {want.__name__}, got {type(v).__name__}")


def load_config(path, allowed):
    text = read(path)
    if text is None:
        raise Fail(f"unable to read config from \"{path}\" : open {path}: no such file or directory")
    try:
        docs = [d for d in yaml.safe_load_all(text) if d is not None]
    except yaml.YAMLError as e:
        raise Fail(f"error converting YAML to JSON: {e}")
    out, errors = {}, []
    for d in docs:
        kind = d.get("kind") if isinstance(d, dict) else None
        api = d.get("apiVersion") if isinstance(d, dict) else None
        if kind not in SHAPES:
            errors.append(f'no kind "{kind}" is registered for version "{api}"')
            continue
        if kind in ("KubeletConfiguration",):
            if api != "kubelet.config.k8s.io/v1beta1":
                errors.append(f'no kind "{kind}" is registered for version "{api}"')
        elif kind == "KubeProxyConfiguration":
            if api != "kubeproxy.config.k8s.io/v1alpha1":
                errors.append(f'no kind "{kind}" is registered for version "{api}"')
        elif api not in KUBEADM_API:
            errors.append(f'no kind "{kind}" is registered for version "{api}"')
        if kind not in allowed:
            errors.append(f"{path}: {kind} is not allowed here (expected one of {', '.join(allowed)})")
        if kind in out:
            errors.append(f"{path}: more than one {kind}")
        check_shape(d, SHAPES[kind], "", errors)
        out[kind] = d
    if errors:
        raise Fail("\n".join(errors))
    return out


def validate_cluster_config(cc):
    errors = []
    net = cc.get("networking", {})
    for k in ("podSubnet", "serviceSubnet"):
        if k in net:
            try:
                ipaddress.ip_network(net[k])
            except ValueError:
                errors.append(f"networking.{k}: Invalid value: \"{net[k]}\": couldn't parse subnet")
    kv = cc.get("kubernetesVersion")
    if kv is not None:
        m = re.fullmatch(r"v?(\d+)\.(\d+)\.(\d+)", kv)
        mine = tuple(int(x) for x in VERSION.split("."))
        if not m:
            errors.append(f'kubernetesVersion: Invalid value: "{kv}"')
        elif (int(m.group(1)), int(m.group(2))) > mine[:2]:
            errors.append(f"this version of kubeadm only supports deploying clusters with the control plane version >= {mine[0]}.{mine[1] - 1}.0. Current version: {kv} is newer than kubeadm v{VERSION}")
    ep = cc.get("controlPlaneEndpoint", "")
    if ep and not re.fullmatch(r"[A-Za-z0-9.\-]+(:\d+)?", ep):
        errors.append(f'controlPlaneEndpoint: Invalid value: "{ep}"')
    if errors:
        raise Fail("\n".join(errors))


# ---------------------------------------------------------------------------------------------
# Cluster state (control planes) and its merge
# ---------------------------------------------------------------------------------------------
def empty_state():
    return {"cluster": None, "ca": None, "admin_token_shas": [], "nodes": {}, "tokens": {}, "certs": None, "objects": {}, "events": {}}


def load_state():
    try:
        return json.loads(read(STATE) or "null") or empty_state()
    except ValueError:
        return empty_state()


def save_state(st):
    write(STATE, json.dumps(st, sort_keys=True))


def merge(a, b):
    """b into a: per entry the newer `updated` wins; events are a union."""
    for k in ("cluster", "ca"):
        if a.get(k) is None and b.get(k) is not None:
            a[k] = b[k]
    a["admin_token_shas"] = sorted(set(a.get("admin_token_shas") or []) | set(b.get("admin_token_shas") or []))
    for coll in ("nodes", "tokens", "objects"):
        for key, e in (b.get(coll) or {}).items():
            mine = a[coll].get(key)
            if mine is None or e.get("updated", 0) > mine.get("updated", 0):
                a[coll][key] = e
    if b.get("certs") and (not a.get("certs") or b["certs"]["updated"] > a["certs"]["updated"]):
        a["certs"] = b["certs"]
    a["events"].update(b.get("events") or {})
    return a


def control_planes(st):
    return {n: e["address"] for n, e in st["nodes"].items() if e.get("role") == "control-plane" and not e.get("deleted")}


def event(st, name, **kw):
    eid = secrets.token_hex(6)
    st["events"][eid] = {"id": eid, "ts": time.time(), "clock": now(), "event": name, "by": HOST, **kw}


def http_json(url, body=None, token=None, timeout=5.0, attempts=1):
    """One JSON request; `attempts` > 1 retries refused/reset connections (a load balancer
    still sending to a control plane that just went down), as kubeadm's clients retry."""
    for i in range(attempts):
        try:
            return http_json_once(url, body, token, timeout)
        except OSError:
            if i == attempts - 1:
                raise
            time.sleep(0.5)


def http_json_once(url, body, token, timeout):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url, data=data, method="POST" if body is not None else "GET")
    req.add_header("Content-Type", "application/json")
    if token:
        req.add_header("Authorization", "Bearer " + token)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status, json.loads(r.read() or b"null")
    except urllib.error.HTTPError as e:
        try:
            return e.code, json.loads(e.read() or b"null")
        except ValueError:
            return e.code, {"message": str(e)}


# ---------------------------------------------------------------------------------------------
# kubelet (and, on a control plane, the API server)
# ---------------------------------------------------------------------------------------------
class Api(http.server.BaseHTTPRequestHandler):
    lock = threading.Lock()
    port = 6443

    def log_message(self, fmt, *args):  # requests are not logged (no credentials in the journal)
        pass

    def reply(self, code, obj):
        body = json.dumps(obj).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def body(self):
        n = int(self.headers.get("Content-Length") or 0)
        return json.loads(self.rfile.read(n) or b"null") if n else None

    def do_GET(self):
        if self.path == "/healthz":
            body = b"ok"
            self.send_response(200)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(body)
            return
        with Api.lock:
            st = load_state()
        if self.path == "/cluster-info":
            if not st["cluster"]:
                return self.reply(404, {"message": 'configmaps "cluster-info" not found'})
            return self.reply(200, {"ca_crt": st["ca"]["crt"], "endpoint": st["cluster"]["endpoint"]})
        if self.path == "/state":
            return self.reply(200, st)
        self.reply(404, {"message": "not found"})

    def do_POST(self):
        b = self.body() or {}
        if self.path == "/replicate":
            with Api.lock:
                save_state(merge(load_state(), b))
            return self.reply(200, {})
        with Api.lock:
            st = load_state()
            if self.path == "/bootstrap":
                code, out = bootstrap(st, b, self.client_address[0])
            elif self.path == "/admin":
                auth = self.headers.get("Authorization", "")
                if sha(auth.removeprefix("Bearer ")) not in (st.get("admin_token_shas") or []):
                    return self.reply(401, {"message": "Unauthorized"})
                code, out = admin(st, b)
            else:
                return self.reply(404, {"message": "not found"})
            mutating = self.path == "/bootstrap" or b.get("op") in ("token_create", "upload_certs", "delete_node", "apply")
            if mutating and (code < 300 or out.get("save")):  # reads change nothing on disk
                save_state(st)
                replicate(st)
        out.pop("save", None)
        self.reply(code, out)


def replicate(st):
    for name, addr in control_planes(st).items():
        if name == HOST:
            continue
        try:
            http_json(f"http://{addr}:{Api.port}/replicate", st, timeout=1.5)
        except OSError:
            pass  # down: it pulls the state from its peers when it starts again


def token_ok(st, token):
    m = TOKEN_RE.match(token or "")
    if not m:
        return None, "the bootstrap token has the wrong format"
    t = st["tokens"].get(m.group(1))
    if not t or t.get("deleted") or t["secret_sha"] != sha(m.group(2)):
        return None, "the bootstrap token was not found (wrong token or deleted)"
    if t["expires"] and t["expires"] <= now():
        return None, f"the bootstrap token {m.group(1)} has expired"
    return m.group(1), None


def bootstrap(st, b, peer):
    node, role = b.get("node"), b.get("role")
    if not st["cluster"]:
        return 503, {"message": "no cluster"}
    tid, err = token_ok(st, b.get("token"))
    if err:
        event(st, "join_refused", node=node, role=role, reason=err)
        return 401, {"message": f"error execution phase kubelet-start: {err}", "save": True}
    out = {"node_token": secrets.token_hex(16)}
    if role == "control-plane":
        if not st["cluster"]["endpoint"]:
            return 400, {"message": "unable to add a new control plane instance to a cluster that doesn't have a stable controlPlaneEndpoint address"}
        c = st["certs"]
        key = b.get("certificate_key") or ""
        if not c or c["expires"] <= now():
            reason = "the kubeadm-certs Secret has expired (uploaded certificates live 2 h): run kubeadm init phase upload-certs --upload-certs"
            event(st, "join_refused", node=node, role=role, reason="certificates expired")
            return 401, {"message": f"error execution phase control-plane-prepare/download-certs: error downloading certs: {reason}", "save": True}
        if sha(key) != c["key_sha"]:
            event(st, "join_refused", node=node, role=role, reason="wrong certificate key")
            return 401, {"message": "error execution phase control-plane-prepare/download-certs: error decoding certificate key: cipher: message authentication failed", "save": True}
        out["ca_key"] = st["ca"]["key"]
        if b.get("admin_token_sha"):  # kubeadm signs the new control plane its own admin credential
            st["admin_token_shas"] = sorted(set(st["admin_token_shas"]) | {b["admin_token_sha"]})
    t = time.time()
    old = st["nodes"].get(node)
    st["nodes"][node] = {"role": role, "address": b.get("address") or peer, "joined": now(), "updated": t, "via": b.get("via"),
                         "token_id": tid, "ca_hash": b.get("ca_hash"), "cert_key_sha": sha(b.get("certificate_key") or "")[:12] if role == "control-plane" else None,
                         "served_by": HOST, "version": b.get("version"), "rejoined": bool(old)}
    event(st, "joined", node=node, role=role, via=b.get("via"), token_id=tid, ca_hash=b.get("ca_hash"),
          cert_key_sha=st["nodes"][node]["cert_key_sha"], served_by=HOST, clock_offset=round(now() - time.time()))
    out["state"] = st
    return 200, out


def admin(st, b):
    op = b.get("op")
    t = time.time()
    if op == "token_create":
        tid = b["id"]
        st["tokens"][tid] = {"secret_sha": b["secret_sha"], "expires": now() + b["ttl"] if b["ttl"] else 0, "description": b.get("description") or "",
                             "usages": "authentication,signing", "groups": "system:bootstrappers:kubeadm:default-node-token", "updated": t}
        event(st, "token_create", token_id=tid, ttl=b["ttl"], description=b.get("description") or "")
        return 200, {}
    if op == "token_list":
        return 200, {"tokens": {k: v for k, v in st["tokens"].items() if not v.get("deleted") and (not v["expires"] or v["expires"] > now())}, "now": now()}
    if op == "upload_certs":
        proxy = secrets.token_hex(3)
        st["tokens"][proxy] = {"secret_sha": sha(secrets.token_hex(8)), "expires": now() + CERTS_TTL, "description": "Proxy for managing TTL for the kubeadm-certs secret",
                               "usages": "", "groups": "", "updated": t}
        st["certs"] = {"key_sha": sha(b["key"]), "uploaded": now(), "expires": now() + CERTS_TTL, "updated": t, "proxy": proxy}
        event(st, "upload_certs", cert_key_sha=sha(b["key"])[:12])
        return 200, {}
    if op == "certs":
        c = st["certs"]
        return 200, {"exists": bool(c and c["expires"] > now()), "created": c and c["uploaded"]}
    if op == "nodes":
        return 200, {"nodes": {k: v for k, v in st["nodes"].items() if not v.get("deleted")}}
    if op == "delete_node":
        n = st["nodes"].get(b["name"])
        if not n or n.get("deleted"):
            return 404, {"message": f'nodes "{b["name"]}" not found'}
        st["nodes"][b["name"]] = {**n, "deleted": True, "updated": t}
        event(st, "node_deleted", node=b["name"])
        return 200, {}
    if op == "objects":
        return 200, {"objects": {k: v["obj"] for k, v in st["objects"].items() if not v.get("deleted")}}
    if op == "apply":
        for key, obj in b["objects"].items():
            st["objects"][key] = {"obj": obj, "manager": b.get("manager"), "updated": t}
        event(st, "apply", objects=sorted(b["objects"]))
        return 200, {}
    return 400, {"message": f"unknown op {op}"}


def serve_api():
    manifest = yaml.safe_load(read(MANIFEST) or "{}") or {}
    addr = manifest.get("k3play-double", {}).get("advertiseAddress", "0.0.0.0")
    Api.port = int(manifest.get("k3play-double", {}).get("bindPort", 6443))
    # catch up with the other control planes (this one may have been down during writes)
    with Api.lock:
        st = load_state()
        for name, a in control_planes(st).items():
            if name != HOST:
                try:
                    code, other = http_json(f"http://{a}:{Api.port}/state", timeout=1.5)
                    if code == 200:
                        merge(st, other)
                except OSError:
                    pass
        save_state(st)
    http.server.ThreadingHTTPServer.allow_reuse_address = True
    srv = http.server.ThreadingHTTPServer(("0.0.0.0", Api.port), Api)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    print(f"kube-apiserver (double) serving on {addr}:{Api.port}", flush=True)
    return srv


def containerd_cgroup_driver():
    text = read("/etc/containerd/config.toml")
    if text is None:
        return None
    return "systemd" if re.search(r"^\s*SystemdCgroup\s*=\s*true", text, re.M) else "cgroupfs"


def kubelet(argv):
    if argv and argv[0] in ("--version", "version"):
        print(f"Kubernetes v{VERSION}")
        return 0
    print(f"kubelet (double) v{VERSION} starting", flush=True)
    while not os.path.exists(KUBELET_CONF):
        time.sleep(0.5)  # the real kubelet crash-loops until kubeadm writes its config
    cfg = yaml.safe_load(read(KUBELET_CONFIG) or "{}") or {}
    mine, runtime = cfg.get("cgroupDriver", "cgroupfs"), containerd_cgroup_driver()
    if runtime and mine != runtime:
        print(f'"Failed to run kubelet" err="failed to run Kubelet: misconfiguration: kubelet cgroup driver: \\"{mine}\\" is different from the container runtime cgroup driver: \\"{runtime}\\""', flush=True)
        return 1
    srv = serve_api() if os.path.exists(MANIFEST) else None
    print("kubelet (double) running" + (" with the kube-apiserver static pod" if srv else ""), flush=True)
    while os.path.exists(KUBELET_CONF) and (srv is None or os.path.exists(MANIFEST)):
        time.sleep(0.5)
    return 0


# ---------------------------------------------------------------------------------------------
# kubeadm
# ---------------------------------------------------------------------------------------------
def parse_flags(argv, spec, positional_max=0):
    """spec: name -> 'b' (bool) | 's' (string). Returns (flags, positionals); unknown flags fail."""
    flags, pos, i = {}, [], 0
    while i < len(argv):
        a = argv[i]
        if a.startswith("--") or (a.startswith("-") and len(a) == 2 and a != "-"):
            name, _, val = a.lstrip("-").partition("=")
            if name not in spec:
                raise Fail(f"unknown flag: {a.split('=')[0]}\nTo see the stack trace of this error execute with --v=5 or higher")
            if spec[name] == "b":
                flags[name] = val != "false"
            else:
                if not _:
                    i += 1
                    if i >= len(argv):
                        raise Fail(f"flag needs an argument: {a}")
                    val = argv[i]
                flags[name] = val
        else:
            pos.append(a)
        i += 1
    if len(pos) > positional_max:
        raise Fail(f'unknown command "{pos[positional_max]}"')
    return flags, pos


def kubeconfig(server, ca_pem, user, token):
    return yaml.safe_dump({
        "apiVersion": "v1", "kind": "Config",
        "clusters": [{"name": "kubernetes", "cluster": {"server": f"https://{server}", "certificate-authority-data": base64.b64encode(ca_pem.encode()).decode()}}],
        "contexts": [{"name": f"{user}@kubernetes", "context": {"cluster": "kubernetes", "user": user}}],
        "current-context": f"{user}@kubernetes",
        "users": [{"name": user, "user": {"token": token}}],
    }, sort_keys=False)


def admin_client(conf=ADMIN_CONF):
    text = read(conf)
    if text is None:
        raise Fail(f"failed to load admin kubeconfig: open {conf}: no such file or directory")
    k = yaml.safe_load(text)
    server = k["clusters"][0]["cluster"]["server"].split("://", 1)[-1]
    return server, k["users"][0]["user"]["token"]


def call_admin(body, conf=ADMIN_CONF, server=None):
    srv, tok = admin_client(conf)
    try:
        code, out = http_json(f"http://{server or srv}/admin", body, token=tok, attempts=10)
    except OSError as e:
        raise Fail(f"The connection to the server {server or srv} was refused - did you specify the right host or port? ({e})")
    if code >= 300:
        raise Fail(f"Error from server: {(out or {}).get('message', code)}")
    return out


def wait_healthy(addr, port, secs=20):
    deadline = time.time() + secs
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(f"http://{addr}:{port}/healthz", timeout=1) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise Fail(f"[kubelet-check] the API server at {addr}:{port} did not become healthy within {secs}s")


def write_cp_files(addr, port, ca_crt, ca_key):
    write(PKI + "/ca.crt", ca_crt, 0o644)
    write(PKI + "/ca.key", ca_key, 0o600)
    write(MANIFEST, yaml.safe_dump({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "kube-apiserver", "namespace": "kube-system"},
                                    "k3play-double": {"advertiseAddress": addr, "bindPort": port}}), 0o600)


def write_kubelet_config(kc):
    doc = {"apiVersion": "kubelet.config.k8s.io/v1beta1", "kind": "KubeletConfiguration", "cgroupDriver": "systemd", **(kc or {})}
    write(KUBELET_CONFIG, yaml.safe_dump(doc), 0o644)


def preflight(files):
    errs = [f"\t[ERROR FileAvailable-{p.replace('/', '-')}]: {p} already exists" for p in files if os.path.exists(p)]
    if errs:
        raise Fail("error execution phase preflight: [preflight] Some fatal errors occurred:\n" + "\n".join(errs) +
                   "\n[preflight] If you know what you are doing, you can make a check non-fatal with `--ignore-preflight-errors=...`")


def new_token():
    alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
    return "".join(secrets.choice(alphabet) for _ in range(6)) + "." + "".join(secrets.choice(alphabet) for _ in range(16))


def kubeadm_init(argv):
    if argv[:2] == ["phase", "upload-certs"]:
        return upload_certs(argv[2:])
    f, _ = parse_flags(argv, {"config": "s", "upload-certs": "b", "skip-phases": "s", "v": "s", "ignore-preflight-errors": "s"})
    if "config" not in f:
        raise Fail("k3play double: this double needs --config")
    cfg = load_config(f["config"], ("InitConfiguration", "ClusterConfiguration", "KubeletConfiguration", "KubeProxyConfiguration"))
    cc, ic = cfg.get("ClusterConfiguration", {}), cfg.get("InitConfiguration", {})
    validate_cluster_config(cc)
    preflight([MANIFEST, ADMIN_CONF, KUBELET_CONF])
    ep = ic.get("localAPIEndpoint", {})
    addr, port = ep.get("advertiseAddress") or socket.gethostbyname(HOST), int(ep.get("bindPort", 6443))
    name = ic.get("nodeRegistration", {}).get("name", HOST)
    endpoint = cc.get("controlPlaneEndpoint") or f"{addr}:{port}"
    os.makedirs(PKI, exist_ok=True)
    key_path, crt_path = PKI + "/ca.key.tmp", PKI + "/ca.crt.tmp"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "3650",
                    "-subj", "/CN=kubernetes", "-keyout", key_path, "-out", crt_path], check=True, capture_output=True)
    ca_crt, ca_key = read(crt_path), read(key_path)
    os.remove(crt_path)
    os.remove(key_path)
    admin_token = secrets.token_hex(24)
    st = empty_state()
    t = time.time()
    st["cluster"] = {"name": cc.get("clusterName", "kubernetes"), "endpoint": cc.get("controlPlaneEndpoint", ""), "pod_subnet": cc.get("networking", {}).get("podSubnet"),
                     "service_subnet": cc.get("networking", {}).get("serviceSubnet", "10.96.0.0/12"), "kubernetes_version": cc.get("kubernetesVersion", "v" + VERSION),
                     "ca_hash": ca_hash(ca_crt)}
    st["ca"] = {"crt": ca_crt, "key": ca_key}
    st["admin_token_shas"] = [sha(admin_token)]
    tokens = ic.get("bootstrapTokens") or [{"token": new_token()}]
    shown = None
    for bt in tokens:
        m = TOKEN_RE.match(bt.get("token", ""))
        if not m:
            raise Fail(f'bootstrapTokens[0].token: Invalid value: "{"*" * 6}": the bootstrap token must be of the form "[a-z0-9]{{6}}.[a-z0-9]{{16}}"')
        ttl = duration(bt.get("ttl", "24h0m0s"))
        st["tokens"][m.group(1)] = {"secret_sha": sha(m.group(2)), "expires": now() + ttl if ttl else 0, "description": bt.get("description", ""),
                                    "usages": "authentication,signing", "groups": "system:bootstrappers:kubeadm:default-node-token", "updated": t}
        shown = shown or bt["token"]
    key = None
    if f.get("upload-certs"):
        key = ic.get("certificateKey") or secrets.token_hex(32)
        if not re.fullmatch(r"[0-9a-f]{64}", key):
            raise Fail("certificateKey: Invalid value: the certificate key must be a hex-encoded 32 byte key")
        proxy = secrets.token_hex(3)
        st["tokens"][proxy] = {"secret_sha": sha(secrets.token_hex(8)), "expires": now() + CERTS_TTL, "description": "Proxy for managing TTL for the kubeadm-certs secret", "usages": "", "groups": "", "updated": t}
        st["certs"] = {"key_sha": sha(key), "uploaded": now(), "expires": now() + CERTS_TTL, "updated": t, "proxy": proxy}
    st["nodes"][name] = {"role": "control-plane", "address": addr, "joined": now(), "updated": t, "via": None, "token_id": None, "ca_hash": st["cluster"]["ca_hash"],
                         "served_by": HOST, "version": VERSION, "rejoined": False}
    event(st, "init", node=name, endpoint=endpoint, pod_subnet=st["cluster"]["pod_subnet"], upload_certs=bool(key), cert_key_sha=sha(key)[:12] if key else None,
          cgroup_driver=(cfg.get("KubeletConfiguration") or {}).get("cgroupDriver"), kubernetes_version=st["cluster"]["kubernetes_version"])
    save_state(st)
    write_cp_files(addr, port, ca_crt, ca_key)
    write_kubelet_config(cfg.get("KubeletConfiguration"))
    write(ADMIN_CONF, kubeconfig(endpoint, ca_crt, "kubernetes-admin", admin_token))
    write(KUBELET_CONF, kubeconfig(endpoint, ca_crt, f"system:node:{name}", secrets.token_hex(16)))
    subprocess.run(["systemctl", "restart", "kubelet"], check=True)
    wait_healthy(addr, port)
    print(f"[init] Using Kubernetes version: {st['cluster']['kubernetes_version']}\n[certs] Generating \"ca\" certificate and key\n[kubelet-start] Starting the kubelet")
    print("\nYour Kubernetes control-plane has initialized successfully!\n")
    if key:
        print(f"  kubeadm join {endpoint} --token {shown} \\\n\t--discovery-token-ca-cert-hash {st['cluster']['ca_hash']} \\\n\t--control-plane --certificate-key {key}\n")
    print(f"  kubeadm join {endpoint} --token {shown} \\\n\t--discovery-token-ca-cert-hash {st['cluster']['ca_hash']}")
    return 0


def upload_certs(argv):
    f, _ = parse_flags(argv, {"upload-certs": "b", "config": "s", "certificate-key": "s", "kubeconfig": "s", "v": "s"})
    if not f.get("upload-certs"):
        raise Fail("[upload-certs] Skipping phase. Please see --upload-certs")
    key = f.get("certificate-key")
    if "config" in f:
        cfg = load_config(f["config"], ("InitConfiguration", "ClusterConfiguration", "KubeletConfiguration", "KubeProxyConfiguration"))
        key = key or cfg.get("InitConfiguration", {}).get("certificateKey")
    key = key or secrets.token_hex(32)
    if not re.fullmatch(r"[0-9a-f]{64}", key):
        raise Fail("the certificate key must be a hex-encoded 32 byte key")
    call_admin({"op": "upload_certs", "key": key}, f.get("kubeconfig", ADMIN_CONF))
    print("[upload-certs] Storing the certificates in Secret \"kubeadm-certs\" in the \"kube-system\" Namespace\n[upload-certs] Using certificate key:\n" + key)
    return 0


def kubeadm_join(argv):
    f, pos = parse_flags(argv, {"config": "s", "token": "s", "discovery-token-ca-cert-hash": "s", "control-plane": "b", "certificate-key": "s",
                                "apiserver-advertise-address": "s", "apiserver-bind-port": "s", "node-name": "s", "v": "s", "ignore-preflight-errors": "s",
                                "discovery-token-unsafe-skip-ca-verification": "b"}, 1)
    if "config" in f:
        extra = [k for k in f if k not in ("config", "v", "ignore-preflight-errors")]
        if extra or pos:
            raise Fail(f"can not mix '--config' with arguments [{' '.join(sorted(extra))}]")
        jc = load_config(f["config"], ("JoinConfiguration", "KubeletConfiguration")).get("JoinConfiguration")
        if not jc:
            raise Fail(f"{f['config']}: no JoinConfiguration")
        bt = jc.get("discovery", {}).get("bootstrapToken", {})
        endpoint, token, hashes = bt.get("apiServerEndpoint", ""), bt.get("token", ""), bt.get("caCertHashes", [])
        skip_ca = bt.get("unsafeSkipCAVerification", False)
        cp = jc.get("controlPlane")
        is_cp, key = cp is not None, (cp or {}).get("certificateKey", "")
        lep = (cp or {}).get("localAPIEndpoint", {})
        addr, port = lep.get("advertiseAddress"), int(lep.get("bindPort", 6443))
        name = jc.get("nodeRegistration", {}).get("name", HOST)
    else:
        endpoint, token = (pos[0] if pos else ""), f.get("token", "")
        hashes = [f["discovery-token-ca-cert-hash"]] if "discovery-token-ca-cert-hash" in f else []
        skip_ca = f.get("discovery-token-unsafe-skip-ca-verification", False)
        is_cp, key = f.get("control-plane", False), f.get("certificate-key", "")
        addr, port = f.get("apiserver-advertise-address"), int(f.get("apiserver-bind-port", 6443))
        name = f.get("node-name", HOST)
    if not endpoint:
        raise Fail("discovery: Invalid value: \"\": bootstrapToken or file must be set")
    if not hashes and not skip_ca:
        raise Fail("discovery.bootstrapToken: Invalid value: \"\": using token-based discovery without caCertHashes can be unsafe. Set unsafeSkipCAVerification as true in your kubeadm config file or pass --discovery-token-unsafe-skip-ca-verification flag to continue")
    preflight([KUBELET_CONF, PKI + "/ca.crt"] + ([MANIFEST] if is_cp else []))
    addr = addr or socket.gethostbyname(HOST)
    try:
        code, info = http_json(f"http://{endpoint}/cluster-info", timeout=5, attempts=10)
    except OSError as e:
        raise Fail(f"error execution phase preflight: couldn't validate the identity of the API Server: Get \"https://{endpoint}/api/v1/namespaces/kube-public/configmaps/cluster-info?timeout=10s\": {e}")
    if code != 200:
        raise Fail(f"error execution phase preflight: couldn't validate the identity of the API Server: {info.get('message')}")
    actual = ca_hash(info["ca_crt"])
    if not skip_ca and actual not in hashes:
        raise Fail(f'error execution phase preflight: couldn\'t validate the identity of the API Server: cluster CA found in cluster-info ConfigMap is invalid: none of the public keys "{actual}" are pinned')
    role = "control-plane" if is_cp else "worker"
    admin_token = secrets.token_hex(24)
    code, out = http_json(f"http://{endpoint}/bootstrap", {"node": name, "role": role, "token": token, "certificate_key": key if is_cp else None,
                                                            "admin_token_sha": sha(admin_token) if is_cp else None,
                                                            "address": addr, "via": endpoint, "ca_hash": hashes[0] if hashes else None, "version": VERSION}, timeout=10, attempts=5)
    if code != 200:
        raise Fail((out or {}).get("message", f"HTTP {code}"))
    write(PKI + "/ca.crt", info["ca_crt"], 0o644)
    write_kubelet_config(None)
    if is_cp:
        st = out["state"]
        write_cp_files(addr, port, info["ca_crt"], out["ca_key"])
        save_state(st)
        write(ADMIN_CONF, kubeconfig(st["cluster"]["endpoint"], info["ca_crt"], "kubernetes-admin", admin_token))
    write(KUBELET_CONF, kubeconfig(endpoint, info["ca_crt"], f"system:node:{name}", out["node_token"]))
    subprocess.run(["systemctl", "restart", "kubelet"], check=True)
    if is_cp:
        wait_healthy(addr, port)
    print("[preflight] Running pre-flight checks\n[kubelet-start] Starting the kubelet\n\nThis node has joined the cluster" + (" and a new control plane instance was created" if is_cp else "") + ".")
    return 0


def kubeadm_token(argv):
    sub, rest = (argv[0], argv[1:]) if argv else ("", [])
    if sub == "generate":
        print(new_token())
        return 0
    if sub == "create":
        f, pos = parse_flags(rest, {"ttl": "s", "description": "s", "print-join-command": "b", "kubeconfig": "s", "certificate-key": "s", "usages": "s", "groups": "s", "v": "s"}, 1)
        tok = pos[0] if pos else new_token()
        m = TOKEN_RE.match(tok)
        if not m:
            raise Fail('the bootstrap token must be of the form "[a-z0-9]{6}.[a-z0-9]{16}"')
        conf = f.get("kubeconfig", ADMIN_CONF)
        call_admin({"op": "token_create", "id": m.group(1), "secret_sha": sha(m.group(2)), "ttl": duration(f.get("ttl", "24h0m0s")), "description": f.get("description", "")}, conf)
        if f.get("print-join-command"):
            srv, _ = admin_client(conf)
            h = ca_hash(read(PKI + "/ca.crt"))
            print(f"kubeadm join {srv} --token {tok} --discovery-token-ca-cert-hash {h} ")
        else:
            print(tok)
        return 0
    if sub == "list":
        f, _ = parse_flags(rest, {"kubeconfig": "s", "o": "s", "output": "s", "v": "s"})
        out = call_admin({"op": "token_list"}, f.get("kubeconfig", ADMIN_CONF))
        rows = [("TOKEN", "TTL", "EXPIRES", "USAGES", "DESCRIPTION", "EXTRA GROUPS")]
        for tid, t in sorted(out["tokens"].items()):
            exp = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t["expires"])) if t["expires"] else "<never>"
            ttl = short_duration(t["expires"] - out["now"]) if t["expires"] else "<forever>"
            # the real list prints the whole token; the double prints the id and a fixed stand-in
            rows.append((f"{tid}.{'x' * 16}", ttl, exp, t["usages"] or "<none>", t["description"] or "<none>", t["groups"] or "<none>"))
        w = [max(len(r[i]) for r in rows) for i in range(6)]
        for r in rows:
            print("   ".join(c.ljust(w[i]) for i, c in enumerate(r)).rstrip())
        return 0
    raise Fail(f'unknown command "{sub}" for "kubeadm token"')


def kubeadm_reset(argv):
    f, _ = parse_flags(argv, {"force": "b", "f": "b", "cri-socket": "s", "v": "s", "cleanup-tmp-dir": "b", "ignore-preflight-errors": "s"})
    if not (f.get("force") or f.get("f")):
        if not sys.stdin.isatty():
            raise Fail("[reset] Are you sure you want to proceed? [y/N]: aborted (use -f)")
        if input("[reset] Are you sure you want to proceed? [y/N]: ").strip().lower() != "y":
            raise Fail("aborted reset operation")
    was_cp = os.path.exists(MANIFEST)
    subprocess.run(["systemctl", "stop", "kubelet"], check=False)
    for p in (ADMIN_CONF, KUBELET_CONF, K8S + "/super-admin.conf", K8S + "/controller-manager.conf", K8S + "/scheduler.conf", MANIFEST, STATE, KUBELET_CONFIG):
        if os.path.exists(p):
            os.remove(p)
    subprocess.run(["rm", "-rf", PKI, "/var/lib/etcd"], check=False)
    print("[reset] Stopping the kubelet service\n[reset] Deleting contents of directories: [/etc/kubernetes/manifests /var/lib/kubelet /etc/kubernetes/pki]" +
          ("\n[reset] Removing member from the etcd cluster" if was_cp else "") +
          "\n\nThe reset process does not clean CNI configuration. To do so, you must remove /etc/cni/net.d\n")
    return 0


def kubeadm(argv):
    if not argv:
        raise Fail("kubeadm: easily bootstrap a secure Kubernetes cluster (double)")
    sub, rest = argv[0], argv[1:]
    if sub == "version":
        f, _ = parse_flags(rest, {"o": "s", "output": "s"})
        print(f"v{VERSION}" if (f.get("o") or f.get("output")) == "short" else f'kubeadm version: &version.Info{{GitVersion:"v{VERSION}"}}')
        return 0
    if sub == "init":
        return kubeadm_init(rest)
    if sub == "join":
        return kubeadm_join(rest)
    if sub == "token":
        return kubeadm_token(rest)
    if sub == "reset":
        return kubeadm_reset(rest)
    if sub == "certs" and rest[:1] == ["certificate-key"]:
        print(secrets.token_hex(32))
        return 0
    raise Fail(f'unknown command "{sub}" for "kubeadm"')


# ---------------------------------------------------------------------------------------------
# kubectl
# ---------------------------------------------------------------------------------------------
KUBECTL_FLAGS = {"kubeconfig": "s", "n": "s", "namespace": "s", "o": "s", "output": "s", "server-side": "b", "field-manager": "s", "force-conflicts": "b",
                 "f": "s", "filename": "s", "ignore-not-found": "b", "ignore-daemonsets": "b", "delete-emptydir-data": "b", "force": "b", "timeout": "s",
                 "raw": "s", "server": "s", "request-timeout": "s", "A": "b", "all-namespaces": "b", "wait": "b"}


def object_key(o):
    md = o.get("metadata") or {}
    return f"{o.get('apiVersion')}/{o.get('kind')}/{md.get('namespace', '')}/{md.get('name')}"


def read_manifest(f):
    src = f.get("f") or f.get("filename")
    if not src:
        raise Fail("error: must specify one of -f and -k")
    text = sys.stdin.read() if src == "-" else read(src)
    if text is None:
        raise Fail(f'error: the path "{src}" does not exist')
    try:
        docs = [d for d in yaml.safe_load_all(text) if d]
    except yaml.YAMLError as e:
        raise Fail(f"error: error parsing {src}: {e}")
    objs = {}
    for d in docs:
        if not isinstance(d, dict) or not d.get("kind") or not d.get("apiVersion") or not (d.get("metadata") or {}).get("name"):
            raise Fail(f"error: error validating \"{src}\": error validating data: [apiVersion not set, kind not set or metadata.name not set]")
        objs[object_key(d)] = d
    return objs


def kubectl(argv):
    if not argv:
        raise Fail("kubectl controls the Kubernetes cluster manager (double)")
    f, pos = parse_flags(argv, KUBECTL_FLAGS, 4)  # global flags may come before the verb
    if not pos:
        raise Fail("kubectl controls the Kubernetes cluster manager (double): no command given")
    verb, pos = pos[0], pos[1:]
    conf = f.get("kubeconfig") or os.environ.get("KUBECONFIG") or ADMIN_CONF
    server = (f.get("server") or "").split("://", 1)[-1] or None
    if verb == "version":
        print(f"Client Version: v{VERSION}")
        return 0
    if verb == "get" and f.get("raw"):
        srv = server or admin_client(conf)[0]
        try:
            with urllib.request.urlopen(f"http://{srv}{f['raw']}", timeout=3) as r:
                print(r.read().decode())
            return 0
        except OSError as e:
            raise Fail(f"The connection to the server {srv} was refused - did you specify the right host or port? ({e})")
    if verb == "get" and pos[:1] in (["nodes"], ["node"], ["no"]):
        nodes = call_admin({"op": "nodes"}, conf, server)["nodes"]
        if len(pos) > 1:
            if pos[1] not in nodes:
                raise Fail(f'Error from server (NotFound): nodes "{pos[1]}" not found')
            nodes = {pos[1]: nodes[pos[1]]}
        out = f.get("o") or f.get("output")
        if out == "name":
            print("\n".join(f"node/{n}" for n in sorted(nodes)))
        elif out == "json":
            print(json.dumps({"items": [{"metadata": {"name": n}, "role": e["role"], "address": e["address"]} for n, e in sorted(nodes.items())]}))
        else:
            print("NAME   STATUS   ROLES           VERSION")
            for n, e in sorted(nodes.items()):
                print(f"{n}   Ready    {'control-plane' if e['role'] == 'control-plane' else '<none>'}   v{e.get('version') or VERSION}")
        return 0
    if verb == "get" and pos[:2] == ["secret", "kubeadm-certs"]:
        c = call_admin({"op": "certs"}, conf, server)
        if not c["exists"]:
            raise Fail('Error from server (NotFound): secrets "kubeadm-certs" not found')
        print("NAME            TYPE     DATA")
        print("kubeadm-certs   Opaque   8")
        return 0
    if verb == "delete" and pos[:1] in (["node"], ["nodes"]) and len(pos) == 2:
        try:
            call_admin({"op": "delete_node", "name": pos[1]}, conf, server)
        except Fail as e:
            if "not found" in str(e) and f.get("ignore-not-found"):
                return 0
            raise
        print(f'node "{pos[1]}" deleted')
        return 0
    if verb == "drain" and len(pos) == 1:
        nodes = call_admin({"op": "nodes"}, conf, server)["nodes"]
        if pos[0] not in nodes:
            raise Fail(f'Error from server (NotFound): nodes "{pos[0]}" not found')
        print(f"node/{pos[0]} cordoned\nnode/{pos[0]} drained")
        return 0
    if verb in ("apply", "diff"):
        objs = read_manifest(f)
        live = call_admin({"op": "objects"}, conf, server)["objects"]
        if verb == "apply":
            if not f.get("server-side"):
                raise Fail("k3play double: only server-side apply (--server-side) is implemented")
            changed = {k: o for k, o in objs.items() if live.get(k) != o}
            if changed:
                call_admin({"op": "apply", "objects": changed, "manager": f.get("field-manager", "kubectl")}, conf, server)
            for k, o in objs.items():
                print(f"{o['kind'].lower()}/{o['metadata']['name']} serverside-applied")
            return 0
        code = 0
        for k, o in objs.items():
            before = yaml.safe_dump(live[k], sort_keys=True).splitlines(True) if k in live else []
            after = yaml.safe_dump(o, sort_keys=True).splitlines(True)
            if before != after:
                code = 1
                name = k.replace("/", ".").strip(".")
                sys.stdout.write(f"diff -u -N /tmp/LIVE-0/{name} /tmp/MERGED-0/{name}\n")
                sys.stdout.writelines(difflib.unified_diff(before, after, f"/tmp/LIVE-0/{name}", f"/tmp/MERGED-0/{name}"))
        return code
    raise Fail(f'error: the server doesn\'t have a resource type "{" ".join([verb] + pos)}" (k3play double)')


def main():
    tool, argv = sys.argv[1], sys.argv[2:]
    record_argv(tool, argv)
    try:
        return {"kubeadm": kubeadm, "kubectl": kubectl, "kubelet": kubelet}[tool](argv)
    except Fail as e:
        print(("error: " if tool == "kubectl" and not str(e).startswith(("error", "Error")) else "") + str(e), file=sys.stderr)
        return e.code


if __name__ == "__main__":
    sys.exit(main())
