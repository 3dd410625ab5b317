#!/usr/bin/env python3
# k3s TEST DOUBLE -- not k3s. Tests only (test/doubles/k3s/), served by the tests' local release
# mirror in place of the real k3s binary, which cannot be downloaded on the test machines.
#
# What it is faithful to (what k3play's k3s_install module and playbooks touch):
# - the CLI: `k3s server|agent|kubectl|crictl|ctr|check-config`, `--version`, the real flag
#   names and aliases of k3s v1.28 (urfave/cli rules: unknown flags are fatal, "flag provided
#   but not defined: -foo"), K3S_* environment variables, /etc/rancher/k3s/config.yaml and
#   config.yaml.d/*.yaml (keys = long flag names; unknown keys are skipped with k3s's warning);
# - the files: /var/lib/rancher/k3s/server/{token,node-token,agent-token} in the
#   K10<sha256 of the server CA>::server:<secret> format (0600), server/tls/ (cluster CAs,
#   the serving certificate with the tls-san entries, etcd CAs and client certificates at the
#   real paths), /etc/rancher/k3s/k3s.yaml (write-kubeconfig-mode);
# - the processes: `server` and `agent` run until SIGTERM under the install script's systemd
#   units (Type=notify: READY=1 is sent once serving), a TLS endpoint on https-listen-port
#   (6443) with the supervisor paths k3s serves there (/cacerts, /ping,
#   /v1-k3s/server-bootstrap, /db/info) and a tiny node API for `k3s kubectl get nodes`;
# - the cluster: embedded etcd is Debian's REAL etcd (a child process with TLS for clients and
#   peers, data in server/db/etcd): the first server with --cluster-init bootstraps it, a
#   joiner fetches the bootstrap data from the --server it joins (basic auth server:<secret>,
#   401 for a wrong token, CA-hash check for K10 tokens) and adds itself as a learner through
#   that cluster's etcd, then promotes itself; external datastores: mysql:// (MariaDB/MySQL,
#   spoken over the real wire protocol, the kine table) and etcd (https:// with the
#   datastore TLS files); agents register through the --server (registration) address with the
#   node password and keep a heartbeat to it.
#
# What it records, for the tests (never the token itself, only its sha256):
#   /var/lib/k3s-double/events.jsonl, one JSON object a line: start, ready, stop, fatal,
#   etcd_bootstrap, etcd_join, etcd_promoted, joined, join_refused, node_registered, datastore.
#
# Placeholders replaced by the mirror builder: @@VERSION@@ @@COMMIT@@ @@GOVERSION@@.
import base64
import hashlib
import http.server
import json
import os
import re
import secrets
import signal
import socket
import ssl
import struct
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

VERSION = "@@VERSION@@"
COMMIT = "@@COMMIT@@"
GO_VERSION = "@@GOVERSION@@"

RECORD_DIR = "/var/lib/k3s-double"
DEFAULT_DATA_DIR = "/var/lib/rancher/k3s"
DEFAULT_CONFIG = "/etc/rancher/k3s/config.yaml"

# ---------------------------------------------------------------------------------------------
# Flags (k3s v1.28, pkg/cli/cmds): "name,alias", kind, env var. Kinds: s string, b bool,
# bt bool defaulting to true, i int, l string slice, d duration.
# ---------------------------------------------------------------------------------------------
COMMON_FLAGS = [
    ("config,c", "s", "K3S_CONFIG_FILE"), ("debug", "b", "K3S_DEBUG"), ("v", "i", None),
    ("vmodule", "s", None), ("log,l", "s", None), ("alsologtostderr", "b", None),
]
NODE_FLAGS = [
    ("node-name", "s", "K3S_NODE_NAME"), ("with-node-id", "b", None), ("node-label", "l", None),
    ("node-taint", "l", None), ("image-credential-provider-bin-dir", "s", None),
    ("image-credential-provider-config", "s", None), ("docker", "b", None),
    ("container-runtime-endpoint", "s", None), ("default-runtime", "s", None),
    ("image-service-endpoint", "s", None), ("disable-default-registry-endpoint", "b", None),
    ("pause-image", "s", None), ("snapshotter", "s", None), ("private-registry", "s", None),
    ("airgap-extra-registry", "l", None), ("node-ip,i", "l", None), ("node-external-ip", "l", None),
    ("resolv-conf", "s", "K3S_RESOLV_CONF"), ("flannel-iface", "s", None), ("flannel-conf", "s", None),
    ("flannel-cni-conf", "s", None), ("vpn-auth", "s", "K3S_VPN_AUTH"), ("vpn-auth-file", "s", "K3S_VPN_AUTH_FILE"),
    ("kubelet-arg", "l", None), ("kube-proxy-arg", "l", None), ("protect-kernel-defaults", "b", None),
    ("rootless", "b", None), ("prefer-bundled-bin", "b", None), ("selinux", "b", "K3S_SELINUX"),
    ("lb-server-port", "i", "K3S_LB_SERVER_PORT"),
]
SERVER_FLAGS = COMMON_FLAGS + [
    ("bind-address", "s", None), ("https-listen-port", "i", None), ("advertise-address", "s", None),
    ("advertise-port", "i", None), ("tls-san", "l", None), ("tls-san-security", "bt", None),
    ("data-dir,d", "s", None), ("cluster-cidr", "l", None), ("service-cidr", "l", None),
    ("service-node-port-range", "s", None), ("cluster-dns", "l", None), ("cluster-domain", "s", None),
    ("flannel-backend", "s", None), ("flannel-ipv6-masq", "b", None), ("flannel-external-ip", "b", None),
    ("egress-selector-mode", "s", None), ("servicelb-namespace", "s", None),
    ("write-kubeconfig,o", "s", "K3S_KUBECONFIG_OUTPUT"), ("write-kubeconfig-mode", "s", "K3S_KUBECONFIG_MODE"),
    ("write-kubeconfig-group", "s", "K3S_KUBECONFIG_GROUP"), ("helm-job-image", "s", None),
    ("token,t", "s", "K3S_TOKEN"), ("token-file", "s", "K3S_TOKEN_FILE"), ("agent-token", "s", "K3S_AGENT_TOKEN"),
    ("agent-token-file", "s", "K3S_AGENT_TOKEN_FILE"), ("server,s", "s", "K3S_URL"),
    ("cluster-init", "b", "K3S_CLUSTER_INIT"), ("cluster-reset", "b", "K3S_CLUSTER_RESET"),
    ("cluster-reset-restore-path", "s", None), ("kube-apiserver-arg", "l", None), ("etcd-arg", "l", None),
    ("kube-controller-manager-arg", "l", None), ("kube-scheduler-arg", "l", None),
    ("kube-cloud-controller-manager-arg", "l", None), ("datastore-endpoint", "s", "K3S_DATASTORE_ENDPOINT"),
    ("datastore-cafile", "s", "K3S_DATASTORE_CAFILE"), ("datastore-certfile", "s", "K3S_DATASTORE_CERTFILE"),
    ("datastore-keyfile", "s", "K3S_DATASTORE_KEYFILE"), ("etcd-expose-metrics", "b", None),
    ("etcd-disable-snapshots", "b", None), ("etcd-snapshot-name", "s", None), ("etcd-snapshot-schedule-cron", "s", None),
    ("etcd-snapshot-retention", "i", None), ("etcd-snapshot-dir", "s", None), ("etcd-snapshot-compress", "b", None),
    ("etcd-s3", "b", None), ("etcd-s3-endpoint", "s", None), ("etcd-s3-endpoint-ca", "s", None),
    ("etcd-s3-skip-ssl-verify", "b", None), ("etcd-s3-access-key", "s", "AWS_ACCESS_KEY_ID"),
    ("etcd-s3-secret-key", "s", "AWS_SECRET_ACCESS_KEY"), ("etcd-s3-bucket", "s", None), ("etcd-s3-region", "s", None),
    ("etcd-s3-folder", "s", None), ("etcd-s3-insecure", "b", None), ("etcd-s3-timeout", "d", None),
    ("default-local-storage-path", "s", None), ("disable", "l", None), ("disable-scheduler", "b", None),
    ("disable-cloud-controller", "b", None), ("disable-kube-proxy", "b", None), ("disable-network-policy", "b", None),
    ("disable-helm-controller", "b", None), ("disable-apiserver", "b", None), ("disable-controller-manager", "b", None),
    ("disable-etcd", "b", None), ("embedded-registry", "b", None),
    ("system-default-registry", "s", "K3S_SYSTEM_DEFAULT_REGISTRY"), ("secrets-encryption", "b", None),
    ("enable-pprof", "b", None), ("disable-agent", "b", None), ("kube-controller-arg", "l", None),
    ("kube-cloud-controller-arg", "l", None),
] + NODE_FLAGS
AGENT_FLAGS = COMMON_FLAGS + [
    ("token,t", "s", "K3S_TOKEN"), ("token-file", "s", "K3S_TOKEN_FILE"), ("server,s", "s", "K3S_URL"),
    ("data-dir,d", "s", None), ("disable-selinux", "bt", None), ("no-flannel", "b", None),
    ("cluster-secret", "s", "K3S_CLUSTER_SECRET"),
] + NODE_FLAGS
DEFAULTS = {
    "config": DEFAULT_CONFIG, "https-listen-port": 6443, "data-dir": DEFAULT_DATA_DIR, "cluster-domain": "cluster.local",
    "flannel-backend": "vxlan", "write-kubeconfig-mode": "0600", "lb-server-port": 6444, "tls-san-security": True,
}
DISABLE_ITEMS = {"coredns", "servicelb", "traefik", "local-storage", "metrics-server", "runtimes"}
FLANNEL_BACKENDS = {"none", "vxlan", "host-gw", "wireguard-native", "ipsec", "wireguard"}


class Flags:
    def __init__(self, table):
        self.kinds = {}
        self.alias = {}
        self.env = {}
        for names, kind, env in table:
            parts = names.split(",")
            for p in parts:
                self.alias[p] = parts[0]
            self.kinds[parts[0]] = kind
            if env:
                self.env[parts[0]] = env


# ---------------------------------------------------------------------------------------------
# Logging, in logrus's text format (what journald shows for the real k3s).
# ---------------------------------------------------------------------------------------------
LOG_LOCK = threading.Lock()


def log(level, msg):
    with LOG_LOCK:
        if sys.stderr.isatty():
            tag = {"info": "INFO", "warning": "WARN", "error": "ERRO", "fatal": "FATA"}[level]
            sys.stderr.write("%s[0000] %s\n" % (tag, msg))
        else:
            now = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
            sys.stderr.write('time="%s" level=%s msg=%s\n' % (now, level, json.dumps(msg)))
        sys.stderr.flush()


def info(msg):
    log("info", msg)


def warn(msg):
    log("warning", msg)


def error(msg):
    log("error", msg)


class Fatal(Exception):
    pass


def fatal(msg):
    raise Fatal(msg)


def record(event, **fields):
    """Append one event to the double's record (survives uninstall: outside the k3s dirs)."""
    try:
        os.makedirs(RECORD_DIR, exist_ok=True)
        line = json.dumps(dict(ts=time.time(), host=socket.gethostname(), pid=os.getpid(), event=event, **fields), sort_keys=True)
        fd = os.open(os.path.join(RECORD_DIR, "events.jsonl"), os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            os.write(fd, (line + "\n").encode())
        finally:
            os.close(fd)
    except OSError:
        pass


def sha256_hex(data):
    if isinstance(data, str):
        data = data.encode()
    return hashlib.sha256(data).hexdigest()


# ---------------------------------------------------------------------------------------------
# CLI parsing with urfave/cli v1 rules (Go's flag package underneath).
# ---------------------------------------------------------------------------------------------
class UsageError(Exception):
    pass


def parse_bool(text, name):
    t = text.lower()
    if t in ("1", "t", "true"):
        return True
    if t in ("0", "f", "false"):
        return False
    raise UsageError('invalid boolean value "%s" for -%s: parse error' % (text, name))


def parse_args(args, flags):
    """args -> (values by canonical name, set of names given, positional args)."""
    values = {}
    given = set()
    rest = []
    i = 0
    while i < len(args):
        a = args[i]
        if a == "--":
            rest.extend(args[i + 1:])
            break
        if not a.startswith("-") or a == "-":
            rest.extend(args[i:])
            break
        body = a[2:] if a.startswith("--") else a[1:]
        name, eq, inline = body.partition("=")
        if name in ("help", "h"):
            raise UsageError("help")
        canon = flags.alias.get(name)
        if canon is None:
            raise UsageError("flag provided but not defined: -%s" % name)
        kind = flags.kinds[canon]
        if kind in ("b", "bt"):
            value = parse_bool(inline, name) if eq else True
        else:
            if eq:
                text = inline
            else:
                i += 1
                if i >= len(args):
                    raise UsageError("flag needs an argument: -%s" % name)
                text = args[i]
            value = convert(kind, text, name)
        if kind == "l":
            values.setdefault(canon, []).append(value)
        else:
            values[canon] = value
        given.add(canon)
        i += 1
    return values, given, rest


def convert(kind, text, name):
    if kind == "i":
        if not re.fullmatch(r"[-+]?\d+", text):
            raise UsageError('invalid value "%s" for flag -%s: parse error' % (text, name))
        return int(text)
    if kind == "d":
        if not re.fullmatch(r"(\d+(\.\d+)?(ns|us|ms|s|m|h))+", text):
            raise UsageError('invalid value "%s" for flag -%s: parse error' % (text, name))
    return text


def apply_env(values, given, flags):
    for canon, env in flags.env.items():
        if canon in given or env not in os.environ:
            continue
        text = os.environ[env]
        kind = flags.kinds[canon]
        if kind in ("b", "bt"):
            values[canon] = parse_bool(text, canon)
        elif kind == "l":
            values[canon] = [text]
        else:
            values[canon] = convert(kind, text, canon)
        given.add(canon)


def split_list(values):
    out = []
    for v in values or []:
        out.extend(x.strip() for x in v.split(",") if x.strip())
    return out


# ---------------------------------------------------------------------------------------------
# Config file: /etc/rancher/k3s/config.yaml (+ config.yaml.d/*.yaml), a flat YAML mapping whose
# keys are long flag names. Only the YAML k3s configs use is understood: scalars (plain,
# 'single', "double"), flow lists [a, b] and block lists ("- item").
# ---------------------------------------------------------------------------------------------
def yaml_scalar(text, where):
    t = text.strip()
    if t == "" or t == "~" or t == "null":
        return ""
    if t.startswith('"'):
        try:
            return json.loads(t)
        except ValueError:
            raise Fatal("yaml: %s: invalid double-quoted string %s" % (where, t))
    if t.startswith("'"):
        if not t.endswith("'") or len(t) < 2:
            raise Fatal("yaml: %s: unterminated single-quoted string" % where)
        return t[1:-1].replace("''", "'")
    t = re.sub(r"\s+#.*$", "", t)
    if t in ("true", "True", "yes", "on"):
        return "true"
    if t in ("false", "False", "no", "off"):
        return "false"
    return t


def parse_config_text(text, path):
    items = []
    current = None
    for n, raw in enumerate(text.splitlines(), 1):
        where = "%s line %d" % (path, n)
        if raw.strip() == "" or raw.lstrip().startswith("#") or raw.strip() == "---":
            continue
        m = re.match(r"^\s+-\s*(.*)$", raw)
        if m and current is not None:
            current[1].append(yaml_scalar(m.group(1), where))
            continue
        if raw[0].isspace():
            raise Fatal("yaml: %s: mapping values are not allowed in this context (k3s config files are flat)" % where)
        m = re.match(r"^([A-Za-z0-9_+.-]+|\"[^\"]+\"|'[^']+')\s*:(?:\s+(.*))?$", raw)
        if not m:
            raise Fatal("yaml: %s: could not find expected ':'" % where)
        key = m.group(1).strip("\"'")
        rest = (m.group(2) or "").strip()
        if rest == "":
            current = (key, [])
            items.append(current)
        elif rest.startswith("["):
            if not rest.endswith("]"):
                raise Fatal("yaml: %s: did not find expected ',' or ']'" % where)
            inner = rest[1:-1].strip()
            parts = [yaml_scalar(p, where) for p in split_flow(inner)] if inner else []
            items.append((key, parts))
            current = None
        else:
            items.append((key, yaml_scalar(rest, where)))
            current = None
    return items


def split_flow(text):
    out, buf, quote = [], "", None
    for ch in text:
        if quote:
            buf += ch
            if ch == quote:
                quote = None
        elif ch in "\"'":
            quote = ch
            buf += ch
        elif ch == ",":
            out.append(buf)
            buf = ""
        else:
            buf += ch
    out.append(buf)
    return out


def config_files(path):
    files = []
    if os.path.exists(path):
        files.append(path)
    d = path + ".d"
    if os.path.isdir(d):
        files.extend(os.path.join(d, f) for f in sorted(os.listdir(d)) if f.endswith((".yaml", ".yml")))
    return files


def config_args(flags, path, explicit):
    """Config values as `--key=value` args (k3s inserts them before the command line's)."""
    if not os.path.exists(path) and not explicit:
        return [], [], []
    if not os.path.exists(path) and explicit:
        fatal("open %s: no such file or directory" % path)
    args, unknown, files = [], [], config_files(path)
    for f in files:
        with open(f) as fh:
            for key, value in parse_config_text(fh.read(), f):
                base = key[:-1] if key.endswith("+") else key
                if base not in flags.alias:
                    warn("Unknown flag --%s found in config.yaml, skipping" % base)
                    unknown.append(base)
                    continue
                prefix = "-" if len(base) == 1 else "--"
                for v in value if isinstance(value, list) else [value]:
                    args.append("%s%s=%s" % (prefix, base, v))
    return args, unknown, files


# ---------------------------------------------------------------------------------------------
# PKI with the openssl CLI (ECDSA P-256, as k3s's certificates are).
# ---------------------------------------------------------------------------------------------
def openssl(*args, stdin=None):
    r = subprocess.run(["openssl", *args], input=stdin, capture_output=True)
    if r.returncode != 0:
        fatal("openssl %s failed: %s" % (args[0], r.stderr.decode(errors="replace").strip()))
    return r.stdout


def write_private(path, data, mode=0o600):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    tmp = "%s.tmp-%d" % (path, os.getpid())
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    try:
        os.write(fd, data if isinstance(data, bytes) else data.encode())
    finally:
        os.close(fd)
    os.chmod(tmp, mode)
    os.rename(tmp, path)


def make_ca(crt, key, cn):
    os.makedirs(os.path.dirname(crt), exist_ok=True)
    openssl("req", "-x509", "-new", "-nodes", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
            "-keyout", key, "-out", crt, "-days", "3650", "-subj", "/CN=%s@%d" % (cn, int(time.time())),
            "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign,digitalSignature")
    os.chmod(key, 0o600)


def make_leaf(crt, key, ca_crt, ca_key, cn, org=None, dns=(), ips=(), usage="serverAuth,clientAuth"):
    os.makedirs(os.path.dirname(crt), exist_ok=True)
    subj = "/CN=%s" % cn + ("/O=%s" % org if org else "")
    csr = openssl("req", "-new", "-nodes", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                  "-keyout", key, "-subj", subj)
    os.chmod(key, 0o600)
    ext = "basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=%s\n" % usage
    sans = ["DNS:%s" % d for d in dns] + ["IP:%s" % i for i in ips]
    if sans:
        ext += "subjectAltName=%s\n" % ",".join(sans)
    extfile = crt + ".ext"
    with open(extfile, "w") as fh:
        fh.write(ext)
    try:
        pem = openssl("x509", "-req", "-CA", ca_crt, "-CAkey", ca_key, "-CAcreateserial", "-days", "365",
                      "-extfile", extfile, stdin=csr)
    finally:
        os.unlink(extfile)
        srl = os.path.splitext(ca_crt)[0] + ".srl"
        if os.path.exists(srl):
            os.unlink(srl)
    with open(crt, "wb") as fh:
        fh.write(pem)


CA_FILES = ["server-ca.crt", "server-ca.key", "client-ca.crt", "client-ca.key", "request-header-ca.crt",
            "request-header-ca.key", "etcd/server-ca.crt", "etcd/server-ca.key", "etcd/peer-ca.crt", "etcd/peer-ca.key"]


def ensure_cas(tls):
    made = False
    for name, cn in [("server-ca", "k3s-server-ca"), ("client-ca", "k3s-client-ca"), ("request-header-ca", "k3s-request-header-ca"),
                     ("etcd/server-ca", "etcd-server-ca"), ("etcd/peer-ca", "etcd-peer-ca")]:
        crt, key = os.path.join(tls, name + ".crt"), os.path.join(tls, name + ".key")
        if not os.path.exists(crt):
            make_ca(crt, key, cn)
            made = True
    return made


def ensure_leaf(crt, key, ca, cn, org=None, dns=(), ips=(), usage="serverAuth,clientAuth"):
    """(Re)issue a leaf certificate when missing or when its SANs changed (k3s does so on start)."""
    want = json.dumps([cn, org, sorted(dns), sorted(ips), usage])
    stamp = crt + ".k3s-double-sans"
    if os.path.exists(crt) and os.path.exists(stamp) and open(stamp).read() == want:
        return
    make_leaf(crt, key, ca + ".crt", ca + ".key", cn, org, dns, ips, usage)
    with open(stamp, "w") as fh:
        fh.write(want)


# ---------------------------------------------------------------------------------------------
# Tokens: K10<sha256 of the server CA bundle>::server:<secret>. A plain token is the secret.
# ---------------------------------------------------------------------------------------------
def parse_token(token):
    m = re.fullmatch(r"K10([0-9a-f]{64})::([^:]+):(.+)", token or "")
    if m:
        return m.group(1), m.group(3)
    return None, token


def full_token(ca_pem, secret, user="server"):
    return "K10%s::%s:%s" % (sha256_hex(ca_pem), user, secret)


# ---------------------------------------------------------------------------------------------
# HTTP(S) clients: the supervisor (basic auth, unverified TLS as k3s does before the CA is
# known), etcd's JSON gateway (client certificates).
# ---------------------------------------------------------------------------------------------
def insecure_ctx():
    ctx = ssl.create_default_context()
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    return ctx


def http_call(url, method="GET", body=None, user=None, password=None, ctx=None, timeout=5):
    req = urllib.request.Request(url, method=method, data=None if body is None else json.dumps(body).encode())
    if user is not None:
        req.add_header("Authorization", "Basic " + base64.b64encode(("%s:%s" % (user, password)).encode()).decode())
    if body is not None:
        req.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(req, timeout=timeout, context=ctx or insecure_ctx()) as resp:
        return resp.read()


class EtcdClient:
    """etcd v3 through its JSON gateway (etcd 3.4+: /v3/...), over TLS with a client certificate."""

    def __init__(self, endpoints, ca, cert, key):
        self.endpoints = endpoints
        self.ctx = ssl.create_default_context(cafile=ca)
        self.ctx.load_cert_chain(cert, key)

    def call(self, path, body, endpoints=None, timeout=5):
        last = None
        for ep in endpoints or self.endpoints:
            try:
                return json.loads(http_call(ep.rstrip("/") + path, "POST", body, ctx=self.ctx, timeout=timeout) or b"{}")
            except urllib.error.HTTPError as e:
                last = "%s: %s %s" % (ep, e.code, e.read().decode(errors="replace").strip())
            except (OSError, ValueError) as e:
                last = "%s: %s" % (ep, e)
        raise OSError(last or "no endpoints")

    def health(self, endpoint):
        try:
            req = urllib.request.Request(endpoint.rstrip("/") + "/health")
            with urllib.request.urlopen(req, timeout=3, context=self.ctx) as resp:
                return json.loads(resp.read()).get("health") == "true"
        except (OSError, ValueError):
            return False

    def members(self, endpoints=None):
        return self.call("/v3/cluster/member/list", {}, endpoints).get("members", [])

    def put(self, key, value):
        self.call("/v3/kv/put", {"key": b64(key), "value": b64(value)})

    def delete(self, key):
        self.call("/v3/kv/deleterange", {"key": b64(key)})

    def range_prefix(self, prefix):
        end = prefix[:-1] + chr(ord(prefix[-1]) + 1)
        r = self.call("/v3/kv/range", {"key": b64(prefix), "range_end": b64(end)})
        return [(unb64(kv["key"]), unb64(kv.get("value", ""))) for kv in r.get("kvs", [])]


def b64(s):
    return base64.b64encode(s.encode() if isinstance(s, str) else s).decode()


def unb64(s):
    return base64.b64decode(s).decode()


# ---------------------------------------------------------------------------------------------
# MySQL/MariaDB: the client side of the wire protocol (mysql_native_password), enough for the
# kine table: connect, run a statement, read a text result set.
# ---------------------------------------------------------------------------------------------
class MysqlError(Exception):
    pass


class Mysql:
    def __init__(self, host, port, user, password, db):
        self.sock = socket.create_connection((host, port), timeout=10)
        self.seq = 0
        self.local_ip = self.sock.getsockname()[0]
        greeting = self.read()
        if greeting[0] == 0xFF:
            raise MysqlError(self.err_text(greeting))
        pos = 1
        pos = greeting.index(b"\0", pos) + 1
        pos += 4
        salt = greeting[pos:pos + 8]
        pos += 9
        pos += 2 + 1 + 2 + 2
        salt_len = greeting[pos]
        pos += 1 + 10
        salt += greeting[pos:pos + max(13, salt_len - 8) - 1]
        caps = 0x00000001 | 0x00000200 | 0x00008000 | 0x00080000 | 0x00000008 | 0x00002000 | 0x00020000
        resp = native_scramble(password, salt)
        payload = struct.pack("<IIB23x", caps, 1 << 24, 45) + user.encode() + b"\0" + bytes([len(resp)]) + resp
        payload += db.encode() + b"\0" + b"mysql_native_password\0"
        self.write(payload)
        r = self.read()
        if r[0] == 0xFE:
            plugin, _, data = r[1:].partition(b"\0")
            if plugin != b"mysql_native_password":
                raise MysqlError("authentication plugin %s is not supported by the k3s test double" % plugin.decode())
            self.write(native_scramble(password, data.rstrip(b"\0")))
            r = self.read()
        if r[0] == 0xFF:
            raise MysqlError(self.err_text(r))

    def read(self):
        head = self.recv(4)
        length = head[0] | head[1] << 8 | head[2] << 16
        self.seq = head[3] + 1
        return self.recv(length)

    def recv(self, n):
        buf = b""
        while len(buf) < n:
            chunk = self.sock.recv(n - len(buf))
            if not chunk:
                raise MysqlError("connection closed by the server")
            buf += chunk
        return buf

    def write(self, payload):
        self.sock.sendall(struct.pack("<I", len(payload))[:3] + bytes([self.seq & 0xFF]) + payload)
        self.seq += 1

    @staticmethod
    def err_text(pkt):
        code = struct.unpack("<H", pkt[1:3])[0]
        state = pkt[4:9].decode() if pkt[3:4] == b"#" else "HY000"
        msg = pkt[9:].decode(errors="replace") if pkt[3:4] == b"#" else pkt[3:].decode(errors="replace")
        return "Error %d (%s): %s" % (code, state, msg)

    def query(self, sql):
        self.seq = 0
        self.write(b"\x03" + sql.encode())
        r = self.read()
        if r[0] == 0xFF:
            raise MysqlError(self.err_text(r))
        if r[0] == 0x00:
            return []
        ncols, _ = lenenc(r, 0)
        for _ in range(ncols):
            self.read()
        eof = self.read()
        assert eof[0] == 0xFE
        rows = []
        while True:
            p = self.read()
            if p[0] == 0xFE and len(p) < 9:
                return rows
            if p[0] == 0xFF:
                raise MysqlError(self.err_text(p))
            pos, row = 0, []
            for _ in range(ncols):
                if p[pos] == 0xFB:
                    row.append(None)
                    pos += 1
                    continue
                n, pos = lenenc(p, pos)
                row.append(p[pos:pos + n].decode())
                pos += n
            rows.append(row)

    def close(self):
        try:
            self.seq = 0
            self.write(b"\x01")
        except OSError:
            pass
        self.sock.close()


def lenenc(buf, pos):
    b = buf[pos]
    if b < 0xFB:
        return b, pos + 1
    if b == 0xFC:
        return struct.unpack("<H", buf[pos + 1:pos + 3])[0], pos + 3
    if b == 0xFD:
        return int.from_bytes(buf[pos + 1:pos + 4], "little"), pos + 4
    return struct.unpack("<Q", buf[pos + 1:pos + 9])[0], pos + 9


def native_scramble(password, salt):
    if not password:
        return b""
    h1 = hashlib.sha1(password.encode()).digest()
    h2 = hashlib.sha1(h1).digest()
    h3 = hashlib.sha1(salt + h2).digest()
    return bytes(a ^ b for a, b in zip(h1, h3))


def sql_quote(s):
    return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'"


# ---------------------------------------------------------------------------------------------
# Datastores behind the node registry and the bootstrap data: embedded/external etcd, MySQL
# (the kine table), or a local file (SQLite stands in: single server only).
# ---------------------------------------------------------------------------------------------
def parse_mysql_dsn(endpoint):
    m = re.fullmatch(r"mysql://(?:([^:@/]*)(?::([^@]*))?@)?tcp\(([^:)]+)(?::(\d+))?\)/([^?]*)(\?.*)?", endpoint)
    if not m:
        fatal('starting kubernetes: preparing server: creating storage endpoint: building kine: invalid mysql datastore endpoint (want mysql://user:pass@tcp(host:port)/database)')
    user, password, host, port, db, params = m.groups()
    if params:
        fatal("starting kubernetes: preparing server: the k3s test double does not implement mysql parameters (%s)" % params)
    return urllib.parse.unquote(user or ""), urllib.parse.unquote(password or ""), host, int(port or 3306), db or "kubernetes"


def mask_endpoint(endpoint):
    return re.sub(r"(://[^:@/]*:)[^@]*@", r"\1********@", endpoint)


class MysqlStore:
    KINE = ("CREATE TABLE IF NOT EXISTS kine (id BIGINT UNSIGNED AUTO_INCREMENT, name VARCHAR(630) CHARACTER SET ascii, "
            "created INTEGER, deleted INTEGER, create_revision BIGINT UNSIGNED, prev_revision BIGINT UNSIGNED, "
            "lease INTEGER, value MEDIUMBLOB, old_value MEDIUMBLOB, PRIMARY KEY (id))")

    def __init__(self, endpoint):
        self.user, self.password, self.host, self.port, self.db = parse_mysql_dsn(endpoint)
        self.lock = threading.Lock()
        c = self.connect()
        try:
            c.query(self.KINE)
            self.client_ip = c.local_ip
        finally:
            c.close()

    def connect(self):
        return Mysql(self.host, self.port, self.user, self.password, self.db)

    def put(self, key, value):
        with self.lock:
            c = self.connect()
            try:
                c.query("INSERT INTO kine (name, created, deleted, create_revision, prev_revision, lease, value, old_value) "
                        "VALUES (%s, 0, 0, 0, 0, 0, %s, '')" % (sql_quote(key), sql_quote(value)))
            finally:
                c.close()

    def delete(self, key):
        self.put(key, "")

    def range_prefix(self, prefix):
        with self.lock:
            c = self.connect()
            try:
                rows = c.query("SELECT k.name, k.value FROM kine k JOIN (SELECT name, MAX(id) AS id FROM kine WHERE name LIKE %s GROUP BY name) l ON k.id = l.id"
                               % sql_quote(prefix.replace("%", "\\%") + "%"))
            finally:
                c.close()
        return [(k, v) for k, v in rows if v]


class FileStore:
    def __init__(self, path):
        self.path = path
        self.lock = threading.Lock()

    def load(self):
        try:
            with open(self.path) as fh:
                return json.load(fh)
        except (OSError, ValueError):
            return {}

    def put(self, key, value):
        with self.lock:
            d = self.load()
            d[key] = value
            write_private(self.path, json.dumps(d))

    def delete(self, key):
        with self.lock:
            d = self.load()
            d.pop(key, None)
            write_private(self.path, json.dumps(d))

    def range_prefix(self, prefix):
        return sorted((k, v) for k, v in self.load().items() if k.startswith(prefix))


# ---------------------------------------------------------------------------------------------
# Readiness notification (Type=notify units).
# ---------------------------------------------------------------------------------------------
def sd_notify(text):
    addr = os.environ.get("NOTIFY_SOCKET")
    if not addr:
        return
    if addr.startswith("@"):
        addr = "\0" + addr[1:]
    s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    try:
        s.connect(addr)
        s.sendall(text.encode())
    finally:
        s.close()


# ---------------------------------------------------------------------------------------------
# Node identity: name, IP (k3s needs a default route to pick one, else --node-ip).
# ---------------------------------------------------------------------------------------------
def default_route_ip():
    try:
        with open("/proc/net/route") as fh:
            lines = fh.read().splitlines()[1:]
    except OSError:
        return None
    for line in lines:
        f = line.split()
        if len(f) > 2 and f[1] == "00000000":
            out = subprocess.run(["ip", "-4", "-o", "addr", "show", "dev", f[0]], capture_output=True, text=True).stdout
            m = re.search(r"inet (\d+\.\d+\.\d+\.\d+)/", out)
            if m:
                return m.group(1)
    return None


def local_ips():
    out = subprocess.run(["ip", "-4", "-o", "addr", "show"], capture_output=True, text=True).stdout
    return re.findall(r"inet (\d+\.\d+\.\d+\.\d+)/", out)


def node_identity(values):
    name = (values.get("node-name") or socket.gethostname()).lower()
    ips = split_list(values.get("node-ip"))
    if ips:
        ip = ips[0]
        if ip not in local_ips():
            fatal("unable to find interface with address %s" % ip)
    else:
        ip = default_route_ip()
        if ip is None:
            fatal("unable to select an IP from default routes.")
    return name, ip


# ---------------------------------------------------------------------------------------------
# The TLS endpoint on https-listen-port: the supervisor paths and a tiny node API.
# ---------------------------------------------------------------------------------------------
class TLSServer(http.server.ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, addr, handler, ctx, app):
        self.ctx = ctx
        self.app = app
        super().__init__(addr, handler)

    def finish_request(self, request, client_address):
        # The handshake runs in the connection's own thread: a TCP health check (haproxy) that
        # connects and closes, or a slow client, never blocks accept.
        try:
            request.settimeout(10)
            tls = self.ctx.wrap_socket(request, server_side=True)
        except (OSError, ssl.SSLError):
            return
        try:
            self.RequestHandlerClass(tls, client_address, self)
        finally:
            try:
                tls.close()
            except OSError:
                pass

    def handle_error(self, request, client_address):
        pass


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "k3s-double"

    def log_message(self, *args):
        pass

    def send(self, code, body, ctype="application/json"):
        data = body if isinstance(body, bytes) else (body if isinstance(body, str) else json.dumps(body)).encode()
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def unauthorized(self):
        self.send(401, {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure", "message": "Unauthorized", "reason": "Unauthorized", "code": 401})

    def basic_auth(self):
        h = self.headers.get("Authorization", "")
        if not h.startswith("Basic "):
            return None, None
        try:
            user, _, password = base64.b64decode(h[6:]).decode().partition(":")
        except ValueError:
            return None, None
        return user, password

    def client_cert(self):
        try:
            return bool(self.connection.getpeercert())
        except (OSError, ValueError):
            return False

    def body(self):
        n = int(self.headers.get("Content-Length") or 0)
        return json.loads(self.rfile.read(n) or b"{}") if n else {}

    def do_GET(self):
        self.server.app.handle(self, "GET")

    def do_POST(self):
        self.server.app.handle(self, "POST")

    def do_DELETE(self):
        self.server.app.handle(self, "DELETE")


def serve_tls(bind, port, cert, key, client_ca, app):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(cert, key)
    ctx.load_verify_locations(client_ca)
    ctx.verify_mode = ssl.CERT_OPTIONAL
    try:
        srv = TLSServer((bind, port), Handler, ctx, app)
    except OSError as e:
        fatal("starting kubernetes: preparing server: listen tcp %s:%d: bind: %s" % (bind, port, e.strerror or e))
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    return srv


# ---------------------------------------------------------------------------------------------
# Shared server/agent pieces.
# ---------------------------------------------------------------------------------------------
STOP = threading.Event()


def on_term(signum, _frame):
    STOP.set()


def node_record(name, ip, roles, via, extra=None):
    rec = {"name": name, "internalIP": ip, "roles": roles, "version": VERSION, "heartbeat": time.time(), "via": via}
    rec.update(extra or {})
    return json.dumps(rec, sort_keys=True)


class Server:
    """`k3s server`: one control-plane node of the double."""

    def __init__(self, values, unknown, cfiles):
        self.v = values
        self.unknown = unknown
        self.cfiles = cfiles
        self.data = values.get("data-dir") or DEFAULT_DATA_DIR
        self.sdir = os.path.join(self.data, "server")
        self.tls = os.path.join(self.sdir, "tls")
        self.etcd_dir = os.path.join(self.sdir, "db", "etcd")
        self.port = int(values.get("https-listen-port") or 6443)
        self.etcd_proc = None
        self.store = None
        self.etcd = None
        self.secret = None
        self.agent_secret = None

    # -- startup -----------------------------------------------------------------------------
    def run(self):
        v = self.v
        info("Starting k3s %s (%s)" % (VERSION, COMMIT))
        self.validate()
        self.name, self.ip = node_identity(v)
        token = v.get("token") or read_token_file(v.get("token-file"))
        agent_token = v.get("agent-token") or read_token_file(v.get("agent-token-file"))
        self.server_url = v.get("server") or ""
        endpoint = v.get("datastore-endpoint") or ""
        has_data = os.path.isdir(os.path.join(self.etcd_dir, "member"))
        if endpoint:
            self.mode = "external-etcd" if endpoint.startswith(("http://", "https://")) else "mysql" if endpoint.startswith("mysql://") else "other"
        elif v.get("cluster-init") or self.server_url or has_data:
            self.mode = "embedded-etcd"
        else:
            self.mode = "sqlite"
        if self.server_url and not self.server_url.startswith("https://"):
            fatal("starting kubernetes: preparing server: invalid server url %s: only https:// is supported" % self.server_url)
        record("start", role="server", version=VERSION, datastore=self.mode, cluster_init=bool(v.get("cluster-init")),
               server_url=self.server_url, node_name=self.name, node_ip=self.ip, tls_san=split_list(v.get("tls-san")),
               datastore_endpoint=mask_endpoint(endpoint) if endpoint else "", token_sha256=sha256_hex(parse_token(token)[1]) if token else "",
               agent_token_sha256=sha256_hex(parse_token(agent_token)[1]) if agent_token else "", config_files=self.cfiles,
               unknown_config_keys=self.unknown, flags=redacted(v), has_data=has_data,
               env_keys=sorted(k for k in os.environ if k.startswith(("K3S_", "CONTAINERD_")) or k.upper() in ("HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY")))
        if self.mode == "other":
            fatal("starting kubernetes: preparing server: the k3s test double implements only mysql:// and etcd (http[s]://) datastores, not %s" % endpoint.split(":", 1)[0])
        self.bootstrap(token, has_data, endpoint)
        self.agent_secret = parse_token(agent_token)[1] if agent_token else None
        self.write_tokens(agent_token)
        self.issue_certs()
        self.write_kubeconfig()
        if self.mode == "embedded-etcd":
            self.start_etcd(has_data)
        self.httpd = serve_tls(v.get("bind-address") or "0.0.0.0", self.port, os.path.join(self.tls, "serving-kube-apiserver.crt"),
                               os.path.join(self.tls, "serving-kube-apiserver.key"), os.path.join(self.tls, "client-ca.crt"), self)
        info("Running kube-apiserver on https://%s:%d (k3s test double)" % (self.ip, self.port))
        self.heartbeat()
        threading.Thread(target=self.heartbeat_loop, daemon=True).start()
        self.kube_vip = KubeVip(self)
        threading.Thread(target=self.kube_vip.loop, daemon=True).start()
        sd_notify("READY=1")
        record("ready", role="server", datastore=self.mode)
        info("k3s is up and running")
        while not STOP.wait(1):
            if self.etcd_proc is not None and self.etcd_proc.poll() is not None:
                fatal("etcd exited with code %d; see %s" % (self.etcd_proc.returncode, os.path.join(RECORD_DIR, "etcd.log")))
        self.shutdown()

    def validate(self):
        v = self.v
        for item in split_list(v.get("disable")):
            if item not in DISABLE_ITEMS:
                warn("Unknown disable item %s, ignoring" % item)
        if v.get("flannel-backend") and v["flannel-backend"] not in FLANNEL_BACKENDS:
            fatal("invalid flannel backend: %s" % v["flannel-backend"])
        if v.get("cluster-init") and v.get("datastore-endpoint"):
            fatal("starting kubernetes: preparing server: --cluster-init cannot be used with --datastore-endpoint")

    def bootstrap(self, token, has_data, endpoint):
        """Cluster CAs and the shared secret: created, loaded from disk, fetched from the
        server we join, or from the external datastore's bootstrap key."""
        os.makedirs(self.tls, exist_ok=True)
        hash_in_token, secret = parse_token(token)
        stored = read_token_file(os.path.join(self.sdir, "token"), missing_ok=True)
        stored_secret = parse_token(stored)[1] if stored else None
        if self.mode == "embedded-etcd" and has_data:
            if not os.path.exists(os.path.join(self.tls, "server-ca.crt")):
                fatal("starting kubernetes: preparing server: etcd data found but %s/server-ca.crt is missing" % self.tls)
            if secret and stored_secret and secret != stored_secret:
                record("join_refused", reason="token differs from the one this server's data was created with")
                fatal("starting kubernetes: preparing server: bootstrap data already found and encrypted with different token")
            self.secret = stored_secret or secret
            return
        if self.mode == "embedded-etcd" and self.server_url:
            if not secret:
                fatal("starting kubernetes: preparing server: token is required to join a cluster")
            self.join_bootstrap(hash_in_token, secret)
            return
        if self.mode in ("mysql", "external-etcd"):
            self.open_external(endpoint)
            self.external_bootstrap(secret or stored_secret)
            return
        if secret and stored_secret and secret != stored_secret:
            fatal("starting kubernetes: preparing server: bootstrap data already found and encrypted with different token")
        if ensure_cas(self.tls):
            info("Created cluster CA certificates in %s" % self.tls)
        self.secret = secret or stored_secret or secrets.token_hex(16)

    def join_bootstrap(self, hash_in_token, secret):
        url = self.server_url.rstrip("/")
        try:
            ca = http_call(url + "/cacerts")
        except (OSError, urllib.error.HTTPError) as e:
            fatal("starting kubernetes: preparing server: failed to get CA certs: %s/cacerts: %s" % (url, e))
        if hash_in_token and sha256_hex(ca) != hash_in_token:
            record("join_refused", reason="token CA hash mismatch", server_url=url)
            fatal("starting kubernetes: preparing server: token CA hash does not match the Cluster CA certificate hash: %s != %s" % (hash_in_token, sha256_hex(ca)))
        try:
            data = json.loads(http_call(url + "/v1-k3s/server-bootstrap", user="server", password=secret))
        except urllib.error.HTTPError as e:
            record("join_refused", reason="server-bootstrap %d" % e.code, server_url=url)
            fatal("starting kubernetes: preparing server: failed to bootstrap cluster data: %s/v1-k3s/server-bootstrap: %d %s" % (url, e.code, e.reason))
        except OSError as e:
            fatal("starting kubernetes: preparing server: failed to bootstrap cluster data: %s/v1-k3s/server-bootstrap: %s" % (url, e))
        for name, content in data["files"].items():
            write_private(os.path.join(self.tls, name), base64.b64decode(content), 0o600 if name.endswith(".key") else 0o644)
        self.secret = secret
        self.joined_from = data.get("node")
        info("Cluster bootstrap data fetched from %s (%s)" % (url, data.get("node")))

    def open_external(self, endpoint):
        try:
            if self.mode == "mysql":
                self.store = MysqlStore(endpoint)
                u, _, h, p, d = parse_mysql_dsn(endpoint)
                record("datastore", type="mysql", user=u, db_host=h, port=p, database=d, client_ip=self.store.client_ip)
            else:
                ca, cert, key = self.v.get("datastore-cafile"), self.v.get("datastore-certfile"), self.v.get("datastore-keyfile")
                if not (ca and cert and key):
                    fatal("starting kubernetes: preparing server: the k3s test double needs datastore-cafile, -certfile and -keyfile for etcd")
                self.store = EtcdClient([e.strip() for e in endpoint.split(",")], ca, cert, key)
                self.store.range_prefix("/bootstrap/")
                record("datastore", type="etcd", endpoints=endpoint.split(","), cafile=ca, certfile=cert, keyfile=key)
        except (MysqlError, OSError, ssl.SSLError) as e:
            record("datastore_failed", type=self.mode, error=str(e))
            fatal("starting kubernetes: preparing server: creating storage endpoint: building kine: %s" % e)
        info("Datastore %s is reachable" % mask_endpoint(endpoint))

    def external_bootstrap(self, secret):
        found = self.store.range_prefix("/bootstrap/")
        if found:
            if not secret:
                fatal("starting kubernetes: preparing server: bootstrap data already found in the datastore: --token is required")
            key = "/bootstrap/" + sha256_hex(secret)[:12]
            mine = [v for k, v in found if k == key]
            if not mine:
                record("join_refused", reason="bootstrap data encrypted with a different token")
                fatal("starting kubernetes: preparing server: bootstrap data already found and encrypted with different token")
            for name, content in json.loads(mine[0])["files"].items():
                write_private(os.path.join(self.tls, name), base64.b64decode(content), 0o600 if name.endswith(".key") else 0o644)
            self.secret = secret
            return
        ensure_cas(self.tls)
        self.secret = secret or secrets.token_hex(16)
        self.store.put("/bootstrap/" + sha256_hex(self.secret)[:12], json.dumps({"files": self.ca_files()}))

    def ca_files(self):
        return {n: base64.b64encode(open(os.path.join(self.tls, n), "rb").read()).decode() for n in CA_FILES}

    def write_tokens(self, agent_token):
        ca = open(os.path.join(self.tls, "server-ca.crt"), "rb").read()
        tok = full_token(ca, self.secret)
        write_private(os.path.join(self.sdir, "token"), tok + "\n")
        write_private(os.path.join(self.sdir, "node-token"), tok + "\n")
        if agent_token:
            write_private(os.path.join(self.sdir, "agent-token"), full_token(ca, parse_token(agent_token)[1], "node") + "\n")

    def issue_certs(self):
        t = self.tls
        sans_dns = ["kubernetes", "kubernetes.default", "kubernetes.default.svc", "kubernetes.default.svc.cluster.local", "localhost", self.name]
        sans_ip = ["127.0.0.1", "::1", self.ip, "10.43.0.1"]
        for s in split_list(self.v.get("tls-san")):
            (sans_ip if re.fullmatch(r"[0-9.]+|[0-9a-fA-F:]+", s) else sans_dns).append(s)
        ensure_leaf(os.path.join(t, "serving-kube-apiserver.crt"), os.path.join(t, "serving-kube-apiserver.key"), os.path.join(t, "server-ca"),
                    "kube-apiserver", dns=sans_dns, ips=sans_ip, usage="serverAuth")
        ensure_leaf(os.path.join(t, "client-admin.crt"), os.path.join(t, "client-admin.key"), os.path.join(t, "client-ca"),
                    "system:admin", "system:masters", usage="clientAuth")
        if self.mode == "embedded-etcd":
            e = os.path.join(t, "etcd")
            ensure_leaf(os.path.join(e, "server-client.crt"), os.path.join(e, "server-client.key"), os.path.join(e, "server-ca"),
                        "etcd-server", dns=["localhost", self.name], ips=["127.0.0.1", self.ip])
            ensure_leaf(os.path.join(e, "peer-server-client.crt"), os.path.join(e, "peer-server-client.key"), os.path.join(e, "peer-ca"),
                        "etcd-peer", dns=["localhost", self.name], ips=["127.0.0.1", self.ip])
            ensure_leaf(os.path.join(e, "client.crt"), os.path.join(e, "client.key"), os.path.join(e, "server-ca"), "etcd-client", usage="clientAuth")

    def write_kubeconfig(self):
        path = self.v.get("write-kubeconfig") or "/etc/rancher/k3s/k3s.yaml"
        mode = int(str(self.v.get("write-kubeconfig-mode") or "0600"), 8)
        rd = lambda n: base64.b64encode(open(os.path.join(self.tls, n), "rb").read()).decode()
        text = ("apiVersion: v1\nclusters:\n- cluster:\n    certificate-authority-data: %s\n    server: https://127.0.0.1:%d\n  name: default\n"
                "contexts:\n- context:\n    cluster: default\n    user: default\n  name: default\ncurrent-context: default\nkind: Config\n"
                "preferences: {}\nusers:\n- name: default\n  user:\n    client-certificate-data: %s\n    client-key-data: %s\n"
                % (rd("server-ca.crt"), self.port, rd("client-admin.crt"), rd("client-admin.key")))
        write_private(path, text, mode)

    # -- embedded etcd (Debian's real etcd as a child) ------------------------------------------
    def etcd_client(self, endpoints=None):
        e = os.path.join(self.tls, "etcd")
        return EtcdClient(endpoints or ["https://127.0.0.1:2379"], os.path.join(e, "server-ca.crt"), os.path.join(e, "client.crt"), os.path.join(e, "client.key"))

    def start_etcd(self, has_data):
        name_file = os.path.join(self.etcd_dir, "name")
        peer = "https://%s:2380" % self.ip
        initial = None
        self.peer_clients = []
        if has_data:
            name = open(name_file).read().strip()
            state = "existing"
        else:
            os.makedirs(self.etcd_dir, mode=0o700, exist_ok=True)
            name = "%s-%s" % (self.name, secrets.token_hex(4))
            if self.server_url:
                initial = self.etcd_member_add(name, peer)
                state = "existing"
            else:
                initial = "%s=%s" % (name, peer)
                state = "new"
        e = os.path.join(self.tls, "etcd")
        argv = ["etcd", "--name", name, "--data-dir", self.etcd_dir,
                "--listen-client-urls", "https://127.0.0.1:2379,https://%s:2379" % self.ip,
                "--advertise-client-urls", "https://%s:2379" % self.ip,
                "--listen-peer-urls", "https://%s:2380" % self.ip, "--initial-advertise-peer-urls", peer,
                "--cert-file", os.path.join(e, "server-client.crt"), "--key-file", os.path.join(e, "server-client.key"),
                "--trusted-ca-file", os.path.join(e, "server-ca.crt"), "--client-cert-auth",
                "--peer-cert-file", os.path.join(e, "peer-server-client.crt"), "--peer-key-file", os.path.join(e, "peer-server-client.key"),
                "--peer-trusted-ca-file", os.path.join(e, "peer-ca.crt"), "--peer-client-cert-auth",
                "--heartbeat-interval", "500", "--election-timeout", "5000", "--logger", "zap", "--log-outputs", "stderr"]
        if initial:
            argv += ["--initial-cluster", initial, "--initial-cluster-state", state, "--initial-cluster-token", "etcd-cluster"]
        argv += [a if a.startswith("--") else "--" + a for a in self.v.get("etcd-arg") or []]
        os.makedirs(RECORD_DIR, exist_ok=True)
        logf = open(os.path.join(RECORD_DIR, "etcd.log"), "ab")
        env = {k: v for k, v in os.environ.items() if k != "NOTIFY_SOCKET"}  # etcd would notify systemd itself
        self.etcd_proc = subprocess.Popen(argv, stdout=logf, stderr=logf, preexec_fn=die_with_parent, env=env)
        if not has_data:
            write_private(name_file, name + "\n", 0o644)
        # A learner serves no writes: the registry also goes to the voting members it joined.
        self.etcd = self.etcd_client(["https://127.0.0.1:2379"] + self.peer_clients)
        info("Waiting for etcd server to become available (member %s)" % name)
        while not STOP.is_set():
            if self.etcd_proc.poll() is not None:
                fatal("etcd exited with code %d before it became available" % self.etcd_proc.returncode)
            if self.etcd.health("https://127.0.0.1:2379"):
                break
            time.sleep(0.2)
        self.store = self.etcd
        members = self.etcd.members()
        me = [m for m in members if m.get("name") == name or peer in m.get("peerURLs", [])]
        self.member_id = me[0]["ID"] if me else None
        if state == "new":
            record("etcd_bootstrap", member=name, member_id=self.member_id, peer_url=peer)
        elif not has_data:
            record("etcd_join", member=name, member_id=self.member_id, peer_url=peer, via=self.server_url, joined_from=getattr(self, "joined_from", None),
                   members=[m.get("name") for m in members])
        if me and me[0].get("isLearner"):
            threading.Thread(target=self.promote_loop, args=(self.member_id, name), daemon=True).start()

    def etcd_member_add(self, name, peer):
        url = self.server_url.rstrip("/")
        try:
            dbinfo = json.loads(http_call(url + "/db/info", user="server", password=self.secret))
        except (OSError, urllib.error.HTTPError) as e:
            fatal("starting kubernetes: preparing server: failed to get etcd member list from %s/db/info: %s" % (url, e))
        clients = [u for m in dbinfo["members"] for u in m.get("clientURLs", [])]
        self.peer_clients = clients
        client = self.etcd_client(clients)
        existing = [m for m in client.members() if peer in m.get("peerURLs", [])]
        if existing:
            # A member with our peer URL but without our data: a half-finished earlier join.
            client.call("/v3/cluster/member/remove", {"ID": existing[0]["ID"]})
        r = client.call("/v3/cluster/member/add", {"peerURLs": [peer], "isLearner": True})
        members = r.get("members", [])
        parts = []
        for m in members:
            mname = m.get("name") or name
            for pu in m.get("peerURLs", []):
                parts.append("%s=%s" % (mname, pu))
        info("Adding member %s=%s to etcd cluster %s" % (name, peer, ",".join(parts)))
        return ",".join(parts)

    def promote_loop(self, member_id, name):
        # A learner cannot promote itself through its own endpoint: ask the voting members.
        voters = [u for u in self.peer_clients if u != "https://%s:2379" % self.ip] or self.etcd.endpoints
        while not STOP.is_set():
            try:
                self.etcd.call("/v3/cluster/member/promote", {"ID": member_id}, endpoints=voters)
                record("etcd_promoted", member=name, member_id=member_id)
                info("Promoted etcd learner %s to voting member" % name)
                return
            except OSError:
                time.sleep(1)

    # -- registry ------------------------------------------------------------------------------
    def roles(self):
        return "control-plane,etcd,master" if self.mode == "embedded-etcd" else "control-plane,master"

    def heartbeat(self):
        try:
            self.store_put("/registry/minions/" + self.name, node_record(self.name, self.ip, self.roles(), "self"))
        except OSError as e:
            warn("node heartbeat failed: %s" % e)

    def heartbeat_loop(self):
        while not STOP.wait(5):
            self.heartbeat()

    def store_put(self, k, v):
        if self.store is None:
            self.store = FileStore(os.path.join(self.sdir, "db", "state.json"))
        self.store.put(k, v)

    def nodes(self):
        if self.store is None:
            self.store = FileStore(os.path.join(self.sdir, "db", "state.json"))
        out = []
        for _, v in self.store.range_prefix("/registry/minions/"):
            try:
                out.append(json.loads(v))
            except ValueError:
                pass
        return out

    # -- HTTPS handlers ------------------------------------------------------------------------
    def handle(self, h, method):
        path = urllib.parse.urlparse(h.path).path
        if path == "/cacerts" and method == "GET":
            return h.send(200, open(os.path.join(self.tls, "server-ca.crt"), "rb").read(), "text/plain")
        if path == "/ping":
            return h.send(200, "pong", "text/plain")
        if path == "/v1-k3s/server-bootstrap":
            user, password = h.basic_auth()
            if user != "server" or password != self.secret:
                record("join_refused", role="server", remote=h.client_address[0], reason="wrong server token" if user else "no credentials")
                return h.unauthorized()
            return h.send(200, {"files": self.ca_files(), "node": self.name})
        if path == "/db/info":
            user, password = h.basic_auth()
            if user != "server" or password != self.secret:
                return h.unauthorized()
            if self.etcd is None:
                return h.send(404, {"error": "etcd is not running on this server"})
            return h.send(200, {"members": self.etcd.members()})
        if path == "/v1-k3s/agent-join" and method == "POST":
            user, password = h.basic_auth()
            ok = user == "node" and password in (self.secret, self.agent_secret)
            body = h.body()
            if not ok:
                record("join_refused", role="agent", node=body.get("name"), remote=h.client_address[0], reason="wrong node token")
                return h.unauthorized()
            first = body.get("first", False)
            self.store_put("/registry/minions/" + body["name"], node_record(body["name"], body.get("ip"), "<none>", body.get("via"), {"server": self.name}))
            if first:
                record("node_registered", node=body["name"], role="agent", via=body.get("via"), remote=h.client_address[0],
                       token_kind="agent" if password == self.agent_secret and password != self.secret else "server")
            servers = sorted("%s:%d" % (n["internalIP"], self.port) for n in self.nodes() if "control-plane" in n.get("roles", ""))
            return h.send(200, {"server": self.name, "servers": servers})
        if path == "/readyz" or path == "/livez" or path == "/healthz":
            if not h.client_cert():
                return h.unauthorized()
            healthy = self.etcd is None or self.etcd.health("https://127.0.0.1:2379")
            return h.send(200 if healthy else 500, "ok" if healthy else "[-]etcd failed", "text/plain")
        if path.startswith("/api/v1/nodes"):
            if not h.client_cert():
                return h.unauthorized()
            name = path[len("/api/v1/nodes"):].strip("/")
            nodes = self.nodes()
            if method == "DELETE" and name:
                return self.delete_node(h, name, nodes)
            if name:
                sel = [n for n in nodes if n["name"] == name]
                if not sel:
                    return h.send(404, {"kind": "Status", "status": "Failure", "message": 'nodes "%s" not found' % name, "reason": "NotFound", "code": 404})
                return h.send(200, node_object(sel[0]))
            return h.send(200, {"kind": "NodeList", "apiVersion": "v1", "items": [node_object(n) for n in sorted(nodes, key=lambda n: n["name"])]})
        m = re.fullmatch(r"/apis/apps/v1/namespaces/([^/]+)/daemonsets/([^/]+)", path)
        if m and method == "DELETE":
            if not h.client_cert():
                return h.unauthorized()
            key = "/registry/daemonsets/%s/%s" % (m.group(1), m.group(2))
            if not self.store.range_prefix(key):
                return h.send(404, {"kind": "Status", "code": 404, "reason": "NotFound"})
            self.store.delete(key)
            record("daemonset_deleted", namespace=m.group(1), name=m.group(2))
            return h.send(200, {"kind": "Status", "status": "Success"})
        if path.startswith("/api") or path.startswith("/apis"):
            return h.unauthorized() if not h.client_cert() else h.send(404, {"kind": "Status", "code": 404, "message": "not implemented by the k3s test double"})
        h.send(404, "404 page not found\n", "text/plain")

    def delete_node(self, h, name, nodes):
        if not [n for n in nodes if n["name"] == name]:
            return h.send(404, {"kind": "Status", "status": "Failure", "message": 'nodes "%s" not found' % name, "reason": "NotFound", "code": 404})
        self.store.delete("/registry/minions/" + name)
        # k3s's etcd controller removes the etcd member of a deleted server node.
        if self.etcd is not None:
            for m in self.etcd.members():
                if (m.get("name") or "").startswith(name + "-"):
                    self.etcd.call("/v3/cluster/member/remove", {"ID": m["ID"]})
                    record("etcd_member_removed", member=m.get("name"), member_id=m["ID"], reason="node %s deleted" % name)
        record("node_deleted", node=name)
        h.send(200, {"kind": "Status", "status": "Success", "details": {"name": name, "kind": "nodes"}})

    def shutdown(self):
        if getattr(self, "kube_vip", None) is not None:
            self.kube_vip.release()
        record("stop", role="server")
        info("Received SIGTERM, shutting down")
        try:
            self.httpd.shutdown()
            self.httpd.server_close()
        except (OSError, AttributeError):
            pass
        if self.etcd_proc is not None and self.etcd_proc.poll() is None:
            self.etcd_proc.terminate()
            try:
                self.etcd_proc.wait(20)
            except subprocess.TimeoutExpired:
                self.etcd_proc.kill()


class KubeVip:
    """The one workload the double runs: kube-vip's control-plane VIP (ARP mode), as the kube-vip
    DaemonSet from the auto-deploy manifests dir would on every server. k3s applies manifests
    cluster-wide, so a server publishes the DaemonSet it finds to the datastore and every server
    runs what is there: leader election through an etcd lease key (kube-vip uses a Lease with
    5 s duration, 1 s retry), the leader adds VIP/32 to the interface and announces it with a
    gratuitous ARP; on SIGTERM or a lost lease the address is removed. BGP mode is not emulated."""

    KEY = "/registry/daemonsets/kube-system/kube-vip-ds"
    LEASE = "/registry/leases/kube-system/plndr-cp-lock"
    DURATION = 5.0

    def __init__(self, server):
        self.s = server
        self.held = None

    def manifest(self):
        d = os.path.join(self.s.sdir, "manifests")
        try:
            names = sorted(os.listdir(d))
        except OSError:
            return None
        for n in names:
            if not n.endswith((".yaml", ".yml")):
                continue
            text = open(os.path.join(d, n)).read()
            if "kind: DaemonSet" not in text or "kube-vip" not in text:
                continue
            env = dict(re.findall(r"-\s+name:\s*(\S+)\s*\n\s+value:\s*\"?([^\"\n]*)\"?", text))
            return {"address": env.get("address") or env.get("vip_address"), "interface": env.get("vip_interface", "eth0"),
                    "arp": env.get("vip_arp") == "true", "bgp": env.get("bgp_enable") == "true", "cp": env.get("cp_enable") == "true",
                    "file": n}
        return None

    def loop(self):
        etcd = isinstance(self.s.store, EtcdClient)
        while not STOP.wait(1):
            try:
                m = self.manifest()
                if m is not None and etcd:
                    self.s.store.put(self.KEY, json.dumps(m, sort_keys=True))
                spec = self.applied() if etcd else None
                if spec and spec.get("arp") and spec.get("cp") and spec.get("address"):
                    self.elect(spec)
                elif self.held:
                    self.release()
            except (OSError, ValueError) as e:
                warn("kube-vip (emulated): %s" % e)

    def applied(self):
        got = self.s.store.range_prefix(self.KEY)
        return json.loads(got[0][1]) if got else None

    def elect(self, spec):
        c = self.s.store
        r = c.call("/v3/kv/range", {"key": b64(self.LEASE)})
        kvs = r.get("kvs", [])
        now = time.time()
        mine = json.dumps({"holder": self.s.name, "renew": now})
        if not kvs:
            cmp = {"key": b64(self.LEASE), "result": "EQUAL", "target": "CREATE", "create_revision": "0"}
        else:
            cur = json.loads(unb64(kvs[0].get("value", "")) or "{}")
            if cur.get("holder") != self.s.name and now - cur.get("renew", 0) < self.DURATION:
                if self.held:
                    self.release()
                return
            cmp = {"key": b64(self.LEASE), "result": "EQUAL", "target": "MOD", "mod_revision": kvs[0]["mod_revision"]}
        ok = c.call("/v3/kv/txn", {"compare": [cmp], "success": [{"request_put": {"key": b64(self.LEASE), "value": b64(mine)}}]}).get("succeeded")
        if ok and self.held != spec["address"]:
            self.acquire(spec)
        elif not ok and self.held:
            self.release()

    def acquire(self, spec):
        vip, dev = spec["address"], spec["interface"]
        subprocess.run(["ip", "addr", "add", "%s/32" % vip, "dev", dev], capture_output=True)
        gratuitous_arp(vip, dev)
        self.held = vip
        self.dev = dev
        record("vip_acquired", vip=vip, interface=dev, mode="kube-vip-arp")
        info("kube-vip (emulated): %s is now on %s" % (vip, dev))

    def release(self):
        if not self.held:
            return
        subprocess.run(["ip", "addr", "del", "%s/32" % self.held, "dev", self.dev], capture_output=True)
        record("vip_released", vip=self.held)
        try:
            r = self.s.store.call("/v3/kv/range", {"key": b64(self.LEASE)})
            kvs = r.get("kvs", [])
            if kvs and json.loads(unb64(kvs[0]["value"])).get("holder") == self.s.name:
                self.s.store.delete(self.LEASE)
        except (OSError, ValueError):
            pass
        self.held = None


def gratuitous_arp(ip, dev):
    """One gratuitous ARP request for ip from dev's MAC (what kube-vip and keepalived send)."""
    try:
        mac = bytes.fromhex(open("/sys/class/net/%s/address" % dev).read().strip().replace(":", ""))
        pkt = b"\xff" * 6 + mac + b"\x08\x06" + struct.pack("!HHBBH", 1, 0x0800, 6, 4, 1) + mac + socket.inet_aton(ip) + b"\x00" * 6 + socket.inet_aton(ip)
        s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
        s.bind((dev, 0))
        s.send(pkt)
        s.close()
    except OSError:
        pass


def node_object(n):
    age = time.time() - n.get("heartbeat", 0)
    ready = age < 40
    labels = {"kubernetes.io/hostname": n["name"]}
    for r in n.get("roles", "").split(","):
        if r and r != "<none>":
            labels["node-role.kubernetes.io/" + r] = "true"
    return {"kind": "Node", "apiVersion": "v1", "metadata": {"name": n["name"], "labels": labels},
            "status": {"addresses": [{"type": "InternalIP", "address": n.get("internalIP")}, {"type": "Hostname", "address": n["name"]}],
                       "conditions": [{"type": "Ready", "status": "True" if ready else "Unknown"}],
                       "nodeInfo": {"kubeletVersion": n.get("version")}}}


def die_with_parent():
    try:
        import ctypes
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except OSError:
        pass


def read_token_file(path, missing_ok=False):
    if not path:
        return None
    try:
        with open(path) as fh:
            return fh.read().strip()
    except OSError as e:
        if missing_ok:
            return None
        fatal("failed to read token file %s: %s" % (path, e.strerror))


SECRET_FLAGS = {"token", "agent-token", "etcd-s3-secret-key", "etcd-s3-access-key", "vpn-auth"}


def redacted(values):
    out = {}
    for k, v in values.items():
        if k in SECRET_FLAGS:
            out[k] = "sha256:" + sha256_hex(parse_token(v)[1] if "token" in k else v)
        elif k == "datastore-endpoint":
            out[k] = mask_endpoint(v)
        else:
            out[k] = v
    return out


class Agent:
    """`k3s agent`: registers with the server at --server and keeps a heartbeat to it."""

    def __init__(self, values, unknown, cfiles):
        self.v = values
        self.unknown = unknown
        self.cfiles = cfiles
        self.adir = os.path.join(values.get("data-dir") or DEFAULT_DATA_DIR, "agent")

    def run(self):
        v = self.v
        info("Starting k3s agent %s (%s)" % (VERSION, COMMIT))
        url = (v.get("server") or "").rstrip("/")
        token = v.get("token") or read_token_file(v.get("token-file")) or v.get("cluster-secret")
        if not url:
            fatal("--server is required")
        if not url.startswith("https://"):
            fatal("Only https:// URLs are supported for K3S_URL (have %s)" % url)
        if not token:
            fatal("--token is required")
        name, ip = node_identity(v)
        hash_in_token, secret = parse_token(token)
        record("start", role="agent", version=VERSION, server_url=url, node_name=name, node_ip=ip, token_sha256=sha256_hex(secret),
               config_files=self.cfiles, unknown_config_keys=self.unknown, flags=redacted(v),
               env_keys=sorted(k for k in os.environ if k.startswith(("K3S_", "CONTAINERD_"))))
        refused = False
        servers = []
        while not STOP.is_set():
            try:
                ca = http_call(url + "/cacerts")
                if hash_in_token and sha256_hex(ca) != hash_in_token:
                    record("join_refused", reason="token CA hash mismatch", server_url=url)
                    fatal("token CA hash does not match the Cluster CA certificate hash: %s != %s" % (hash_in_token, sha256_hex(ca)))
                r = json.loads(http_call(url + "/v1-k3s/agent-join", "POST", {"name": name, "ip": ip, "via": url, "first": True}, user="node", password=secret))
                write_private(os.path.join(self.adir, "server-ca.crt"), ca, 0o644)
                servers = r.get("servers", [])
                record("joined", role="agent", via=url, server=r.get("server"), servers=servers)
                info("Node %s joined the cluster through %s (answered by %s)" % (name, url, r.get("server")))
                break
            except urllib.error.HTTPError as e:
                if not refused:
                    record("join_refused", role="agent", server_url=url, reason="%d %s" % (e.code, e.reason))
                    refused = True
                error("Failed to retrieve agent config: %s/v1-k3s/agent-join: %d %s" % (url, e.code, e.reason))
            except OSError as e:
                error("Failed to connect to proxy; retrying: %s: %s" % (url, e))
            STOP.wait(2)
        if STOP.is_set():
            record("stop", role="agent")
            return
        sd_notify("READY=1")
        record("ready", role="agent")
        via = url
        while not STOP.wait(5):
            # The registration address first, then the servers it told us about (k3s's client LB).
            for target in [url] + ["https://" + s for s in servers]:
                try:
                    r = json.loads(http_call(target + "/v1-k3s/agent-join", "POST", {"name": name, "ip": ip, "via": target}, user="node", password=secret, timeout=3))
                    servers = r.get("servers", servers)
                    if target != via:
                        record("connection", role="agent", via=target)
                        via = target
                    break
                except (OSError, urllib.error.HTTPError, ValueError):
                    continue
        record("stop", role="agent")


# ---------------------------------------------------------------------------------------------
# kubectl / crictl / ctr
# ---------------------------------------------------------------------------------------------
def kubectl(args):
    kubeconfig = os.environ.get("KUBECONFIG", "/etc/rancher/k3s/k3s.yaml")
    rest = []
    i = 0
    while i < len(args):
        a = args[i]
        if a == "--kubeconfig":
            kubeconfig = args[i + 1]
            i += 2
            continue
        if a.startswith("--kubeconfig="):
            kubeconfig = a.split("=", 1)[1]
        else:
            rest.append(a)
        i += 1
    try:
        text = open(kubeconfig).read()
    except OSError as e:
        sys.stderr.write("error: error loading config file \"%s\": %s\n" % (kubeconfig, e.strerror))
        return 1
    field = lambda k: re.search(r"%s: (\S+)" % k, text).group(1)
    server = field("server")
    work = os.path.join("/run", "k3s-double-kubectl-%d" % os.getpid())
    os.makedirs(work, mode=0o700, exist_ok=True)
    try:
        for n, k in [("ca", "certificate-authority-data"), ("crt", "client-certificate-data"), ("key", "client-key-data")]:
            write_private(os.path.join(work, n), base64.b64decode(field(k)))
        ctx = ssl.create_default_context(cafile=os.path.join(work, "ca"))
        ctx.load_cert_chain(os.path.join(work, "crt"), os.path.join(work, "key"))
        return kubectl_run(rest, server, ctx)
    except (OSError, urllib.error.URLError) as e:
        sys.stderr.write("The connection to the server %s was refused - did you specify the right host or port? (%s)\n" % (server.replace("https://", ""), e))
        return 1
    finally:
        for n in ("ca", "crt", "key"):
            try:
                os.unlink(os.path.join(work, n))
            except OSError:
                pass
        os.rmdir(work)


def kubectl_run(args, server, ctx):
    def get(path, method="GET"):
        req = urllib.request.Request(server + path, method=method)
        try:
            with urllib.request.urlopen(req, timeout=10, context=ctx) as resp:
                return resp.status, resp.read().decode()
        except urllib.error.HTTPError as e:
            return e.code, e.read().decode()

    output = None
    words = []
    i = 0
    while i < len(args):
        a = args[i]
        if a in ("-o", "--output"):
            output = args[i + 1]
            i += 2
            continue
        if a.startswith("-o") and len(a) > 2:
            output = a[2:].lstrip("=")
        elif a.startswith("--output="):
            output = a.split("=", 1)[1]
        elif a.startswith("--raw="):
            words += ["--raw", a.split("=", 1)[1]]
        else:
            words.append(a)
        i += 1
    if words[:2] == ["get", "--raw"] and len(words) == 3:
        code, body = get(words[2])
        if code != 200:
            sys.stderr.write("Error from server (InternalError): %s\n" % body.strip())
            return 1
        sys.stdout.write(body)
        return 0
    ns = "default"
    for j, w in enumerate(list(words)):
        if w in ("-n", "--namespace") and j + 1 < len(words):
            ns = words[j + 1]
    words = [w for j, w in enumerate(words) if w not in ("-n", "--namespace") and (j == 0 or words[j - 1] not in ("-n", "--namespace"))]
    ignore = "--ignore-not-found" in words
    words = [w for w in words if w != "--ignore-not-found"]
    kinds = {"daemonset": ("daemonsets.apps", "daemonset.apps", "/apis/apps/v1/namespaces/%s/daemonsets/" % ns), "node": ("nodes", "node", "/api/v1/nodes/")}
    aliases = {"daemonset": "daemonset", "daemonsets": "daemonset", "ds": "daemonset", "node": "node", "nodes": "node", "no": "node"}
    if words[:1] == ["delete"] and len(words) == 3 and words[1] in aliases:
        plural, singular, prefix = kinds[aliases[words[1]]]
        code, body = get(prefix + words[2], "DELETE")
        if code == 404 and ignore:
            return 0
        if code != 200:
            sys.stderr.write('Error from server (NotFound): %s "%s" not found\n' % (plural, words[2]))
            return 1
        print('%s "%s" deleted' % (singular, words[2]))
        return 0
    if words[:1] == ["get"] and len(words) in (2, 3) and words[1] in ("node", "nodes", "no"):
        code, body = get("/api/v1/nodes" + ("/" + words[2] if len(words) == 3 else ""))
        if code != 200:
            msg = json.loads(body).get("message", body) if body.startswith("{") else body
            sys.stderr.write("Error from server (%s): %s\n" % ("NotFound" if code == 404 else "Unauthorized", msg))
            return 1
        obj = json.loads(body)
        items = obj["items"] if obj.get("kind") == "NodeList" else [obj]
        if output == "json":
            print(json.dumps(obj, indent=4))
        elif output == "name":
            for n in items:
                print("node/" + n["metadata"]["name"])
        elif output and output.startswith("jsonpath="):
            print(jsonpath(obj, output[len("jsonpath="):]), end="")
        else:
            print("%-8s %-8s %-28s %-5s %s" % ("NAME", "STATUS", "ROLES", "AGE", "VERSION"))
            for n in sorted(items, key=lambda x: x["metadata"]["name"]):
                roles = ",".join(sorted(k.split("/", 1)[1] for k in n["metadata"]["labels"] if k.startswith("node-role.kubernetes.io/"))) or "<none>"
                st = "Ready" if n["status"]["conditions"][0]["status"] == "True" else "NotReady"
                print("%-8s %-8s %-28s %-5s %s" % (n["metadata"]["name"], st, roles, "1m", n["status"]["nodeInfo"]["kubeletVersion"]))
        return 0
    sys.stderr.write("error: the k3s test double implements only `kubectl get nodes|node NAME [-o json|name|jsonpath=...]`, "
                     "`kubectl delete node NAME` and `kubectl get --raw PATH` (got: %s)\n" % " ".join(args))
    return 1


def jsonpath(obj, expr):
    """The subset used in runbooks: {.items[*].metadata.name} and {.status.conditions[?(@.type=="Ready")].status}."""
    m = re.fullmatch(r"\{(.*)\}", expr)
    if not m:
        return expr
    path = m.group(1).lstrip(".")
    vals = [obj]
    for part in re.findall(r'[^.\[\]]+|\[[^\]]*\]', path):
        nxt = []
        for v in vals:
            if part == "[*]":
                nxt.extend(v if isinstance(v, list) else [])
            elif part.startswith("[?("):
                c = re.match(r'\[\?\(@\.(\w+)=="([^"]*)"\)\]', part)
                nxt.extend(x for x in v if isinstance(x, dict) and c and x.get(c.group(1)) == c.group(2))
            elif isinstance(v, dict) and part in v:
                nxt.append(v[part])
        vals = nxt
    return " ".join(str(v) for v in vals)


# ---------------------------------------------------------------------------------------------
# main
# ---------------------------------------------------------------------------------------------
USAGE = """NAME:
   k3s - Kubernetes, but small and simple

USAGE:
   k3s [global options] command [command options] [arguments...]

VERSION:
   %s (%s)

COMMANDS:
   server         Run management server
   agent          Run node agent
   kubectl        Run kubectl
   crictl         Run crictl
   ctr            Run ctr
   check-config   Run config check
   help, h        Shows a list of commands or help for one command

GLOBAL OPTIONS:
   --debug                     (logging) Turn on debug logs [$K3S_DEBUG]
   --data-dir value, -d value  (data) Folder to hold state default /var/lib/rancher/k3s or ${HOME}/.rancher/k3s if not root
   --help, -h                  show help
   --version, -v               print the version

(this is the k3s TEST DOUBLE of k3play's tests, not k3s)
"""


def print_version():
    print("k3s version %s (%s)" % (VERSION, COMMIT))
    print("go version %s" % GO_VERSION)


def run_command(cmd, args):
    table = Flags(SERVER_FLAGS if cmd == "server" else AGENT_FLAGS)
    try:
        values, given, rest = parse_args(args, table)
        cpath = values.get("config") or os.environ.get("K3S_CONFIG_FILE") or DEFAULT_CONFIG
        explicit = "config" in given or "K3S_CONFIG_FILE" in os.environ
        cargs, unknown, cfiles = config_args(table, cpath, explicit)
        values, given, rest = parse_args(cargs + args, table)
        apply_env(values, given, table)
    except UsageError as e:
        if str(e) == "help":
            print("NAME:\n   k3s %s - Run %s\n\n(k3s test double)" % (cmd, "management server" if cmd == "server" else "node agent"))
            return 0
        print("Incorrect Usage: %s\n" % e)
        log("fatal", str(e))
        return 1
    if rest:
        log("fatal", "unexpected arguments: %s" % " ".join(rest))
        return 1
    for k, dv in DEFAULTS.items():
        if k in table.kinds:
            values.setdefault(k, dv)
    signal.signal(signal.SIGTERM, on_term)
    signal.signal(signal.SIGINT, on_term)
    node = Server(values, unknown, cfiles) if cmd == "server" else Agent(values, unknown, cfiles)
    try:
        node.run()
    except Fatal as e:
        record("fatal", role=cmd, message=str(e))
        log("fatal", str(e))
        if isinstance(node, Server) and node.etcd_proc is not None and node.etcd_proc.poll() is None:
            node.etcd_proc.terminate()
        return 1
    return 0


def main(argv):
    prog = os.path.basename(argv[0])
    if prog in ("kubectl", "crictl", "ctr"):
        argv = ["k3s", prog] + argv[1:]
    args = argv[1:]
    while args and args[0] in ("--debug",):
        args = args[1:]
    if args[:2] and args[0] in ("-d", "--data-dir"):
        args = args[2:]
    if not args or args[0] in ("help", "h", "--help", "-h"):
        sys.stdout.write(USAGE % (VERSION, COMMIT))
        return 0
    if args[0] in ("--version", "-v", "version"):
        print_version()
        return 0
    cmd = args[0]
    if cmd in ("server", "agent"):
        return run_command(cmd, args[1:])
    if cmd == "kubectl":
        return kubectl(args[1:])
    if cmd == "crictl":
        if "--version" in args or "version" in args:
            print("crictl version v1.28.0-k3s1 (k3s test double: no containers)")
        else:
            print("CONTAINER           IMAGE               CREATED             STATE               NAME")
        return 0
    if cmd == "ctr":
        print("ctr github.com/k3s-io/containerd v1.7.7-k3s1 (k3s test double)")
        return 0
    if cmd == "check-config":
        print("Verifying binaries in /var/lib/rancher/k3s/data/current/bin:\n- k3s test double: no bundled binaries\n\nSTATUS: pass")
        return 0
    if cmd.startswith("-"):
        print("Incorrect Usage. flag provided but not defined: %s\n" % cmd)
        sys.stdout.write(USAGE % (VERSION, COMMIT))
        return 1
    sys.stderr.write('No help topic for \'%s\'\n' % cmd)
    return 3


if __name__ == "__main__":
    sys.exit(main(sys.argv))
