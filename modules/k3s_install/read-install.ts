/**
 * What k3s_install asks a host, in ONE round trip, and the pure parser of the answer. The
 * script writes nothing (downloads go to stdout only). Output, one `key=value` record a line:
 *
 *   arch=x86_64  hostname=h1  systemd=yes|no  selinux=absent|Enforcing|Permissive|Disabled  selinux_policy=yes|no
 *   bin=absent | bin=<sha256>    bin_version=<first line of `k3s --version`>
 *   link.<kubectl|crictl|ctr>=link:<target> | file | absent:<other path in $PATH or empty>
 *   file.<name>=absent | other | b64:<content>    (killall, uninstall.server, uninstall.agent,
 *                                                   config, unit.k3s, env.k3s, unit.k3s-agent, env.k3s-agent)
 *   unit.<k3s|k3s-agent>=<is-enabled> <is-active> <InvocationID>
 *   token_sha256=absent | <sha256 of the secret part of server/token>   etcd_data=yes|no
 *   images=<file name> <sha256>                    (repeated: images already in agent/images)
 *   checksums=b64:<sha256sum-ARCH.txt> | checksums=error:<curl message>   (mirror installs)
 *   cacerts=b64:<CA bundle of the server to join> (empty when unreachable; K10 joins only)
 *   etcd.members=b64:<member list JSON> | etcd.members=error:<message>  (servers with etcd data)
 *   etcd.health=<client URL><TAB><health JSON>     (repeated, one per member)
 */
import { sh, type ShellScript } from '../../src/module-api/index.js';
import { BIN, BIN_DIR, CONFIG_FILE, DATA_DIR, IMAGES_DIR, KILLALL, SYMLINKS, SYSTEMD_DIR, roleFiles } from './install-files.js';
import { checksumFile } from './release.js';

export type FileState = { readonly kind: 'absent' } | { readonly kind: 'other' } | { readonly kind: 'file'; readonly text: string };

export type LinkState = { readonly kind: 'link'; readonly target: string } | { readonly kind: 'file' } | { readonly kind: 'absent'; readonly elsewhere: string };

export interface UnitState {
  readonly enabled: string;
  readonly active: string;
  readonly invocation: string;
}

export interface EtcdMember {
  readonly id: string;
  readonly name: string;
  readonly peerURLs: readonly string[];
  readonly clientURLs: readonly string[];
  readonly isLearner: boolean;
}

export interface EtcdState {
  readonly members: readonly EtcdMember[] | null;
  readonly error?: string;
  /** client URL -> healthy */
  readonly health: ReadonlyMap<string, boolean>;
}

export interface InstallCurrent {
  readonly unameM: string;
  readonly hostname: string;
  readonly systemd: boolean;
  readonly selinux: string;
  readonly selinuxPolicy: boolean;
  readonly binSha256: string | null;
  readonly binVersion: string;
  readonly links: ReadonlyMap<string, LinkState>;
  readonly files: ReadonlyMap<string, FileState>;
  readonly units: ReadonlyMap<string, UnitState>;
  readonly tokenSha256: string | null;
  readonly etcdData: boolean;
  readonly images: ReadonlyMap<string, string>;
  /** null: not asked (airgap); string: the checksum file; {error}: could not be fetched. */
  readonly checksums: string | { readonly error: string } | null;
  /** null: not asked; '' : unreachable. */
  readonly cacerts: string | null;
  readonly etcd: EtcdState | null;
}

export interface ReadRequest {
  /** Mirror base with the version, e.g. https://github.com/k3s-io/k3s/releases/download/v1.28.4%2Bk3s2 (null: airgap). */
  readonly releaseBase: string | null;
  /** URL of the server to join when the token carries a CA hash (K10...). */
  readonly cacertsFrom: string | null;
  /** Ask the local embedded etcd for its members and their health. */
  readonly etcd: boolean;
}

const ETCD_TLS = `${DATA_DIR}/server/tls/etcd`;

/** `case` mapping uname -m to the release arch, as setup_verify_arch does (see release.ts). */
const ARCH_CASE = sh`case "$m" in amd64|x86_64) a=amd64;; arm64|aarch64) a=arm64;; s390x) a=s390x;; arm*) a=arm;; *) a=;; esac`;

export function installReadScript(req: ReadRequest): ShellScript {
  const roleScripts = [roleFiles('server'), roleFiles('agent')];
  const checksums =
    req.releaseBase === null
      ? sh``
      : sh`if [ -n "$a" ]; then
  if c=$(curl -fsSL --max-time 20 ${req.releaseBase}/${rawArchFile()} 2>&1); then printf 'checksums=b64:%s\\n' "$(printf '%s\\n' "$c" | base64 -w0)"
  else printf 'checksums=error:%s\\n' "$(printf '%s' "$c" | tr '\\n' ' ' | cut -c1-300)"; fi
fi
`;
  const cacerts = req.cacertsFrom === null ? sh`` : sh`printf 'cacerts=b64:%s\\n' "$(curl -fsSk --max-time 5 ${`${req.cacertsFrom.replace(/\/+$/, '')}/cacerts`} 2>/dev/null | base64 -w0)"
`;
  const etcd = req.etcd ? etcdStatusScript() : sh``;
  return sh`m=$(uname -m); echo "arch=$m"; echo "hostname=$(hostname)"
${ARCH_CASE}
if [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1; then echo systemd=yes; else echo systemd=no; fi
if command -v getenforce >/dev/null 2>&1; then echo "selinux=$(getenforce)"; else echo selinux=absent; fi
if [ -f /usr/share/selinux/packages/k3s.pp ]; then echo selinux_policy=yes; else echo selinux_policy=no; fi
b64f() { if [ -f "$2" ]; then printf '%s=b64:%s\\n' "$1" "$(base64 -w0 < "$2")"; elif [ -e "$2" ] || [ -L "$2" ]; then echo "$1=other"; else echo "$1=absent"; fi; }
if [ -f ${BIN} ]; then
  echo "bin=$(sha256sum < ${BIN} | cut -c1-64)"
  echo "bin_version=$(timeout 10 ${BIN} --version 2>/dev/null | head -n 1)"
else echo bin=absent; fi
for c in ${[...SYMLINKS]}; do
  p=${BIN_DIR}/$c
  if [ -L "$p" ]; then echo "link.$c=link:$(readlink "$p")"
  elif [ -e "$p" ]; then echo "link.$c=file"
  else echo "link.$c=absent:$(command -v "$c" 2>/dev/null || true)"; fi
done
b64f file.killall ${KILLALL}
b64f file.uninstall.server ${roleScripts[0]!.uninstall}
b64f file.uninstall.agent ${roleScripts[1]!.uninstall}
b64f file.config ${CONFIG_FILE}
for u in k3s k3s-agent; do
  b64f "file.unit.$u" ${SYSTEMD_DIR}/"$u".service
  b64f "file.env.$u" ${SYSTEMD_DIR}/"$u".service.env
  echo "unit.$u=$(systemctl is-enabled "$u" 2>/dev/null || true) $(systemctl is-active "$u" 2>/dev/null || true) $(systemctl show -p InvocationID --value "$u" 2>/dev/null || true)"
done
t=${`${DATA_DIR}/server/token`}
if [ -f "$t" ]; then
  s=$(cat "$t"); case "$s" in K10*::*:*) s=\${s#*::}; s=\${s#*:};; esac
  echo "token_sha256=$(printf '%s' "$s" | sha256sum | cut -c1-64)"
else echo token_sha256=absent; fi
if [ -d ${`${DATA_DIR}/server/db/etcd/member`} ]; then echo etcd_data=yes; else echo etcd_data=no; fi
for f in ${IMAGES_DIR}/k3s-airgap-images-*; do [ -f "$f" ] && echo "images=$(basename "$f") $(sha256sum < "$f" | cut -c1-64)"; done
${checksums}${cacerts}${etcd}exit 0`;
}

/**
 * The embedded etcd's member list and each member's health, asked through the local client URL
 * with k3s's etcd client certificate (records etcd.members= and etcd.health=, see above).
 * Prints nothing when this host has no etcd data.
 */
export function etcdStatusScript(): ShellScript {
  return sh`T=${ETCD_TLS}
if [ -f "$T/client.crt" ] && [ -d ${`${DATA_DIR}/server/db/etcd/member`} ]; then
  if ml=$(curl -sS --max-time 5 --cacert "$T/server-ca.crt" --cert "$T/client.crt" --key "$T/client.key" -X POST -d '{}' https://127.0.0.1:2379/v3/cluster/member/list 2>&1); then
    printf 'etcd.members=b64:%s\\n' "$(printf '%s' "$ml" | base64 -w0)"
    for u in $(printf '%s' "$ml" | grep -o '"clientURLs":\\["[^"]*"' | sed 's/.*\\["//; s/"$//'); do
      printf 'etcd.health=%s\\t%s\\n' "$u" "$(curl -sS --max-time 3 --cacert "$T/server-ca.crt" --cert "$T/client.crt" --key "$T/client.key" "$u/health" 2>/dev/null | tr -d '\\n')"
    done
  else printf 'etcd.members=error:%s\\n' "$(printf '%s' "$ml" | tr '\\n' ' ' | cut -c1-300)"; fi
fi
`;
}

/** etcd.members= / etcd.health= records of etcdStatusScript's output; null when there were none. */
export function parseEtcdStatus(output: string): EtcdState | null {
  let raw: string | undefined;
  const health = new Map<string, boolean>();
  for (const line of output.split('\n')) {
    if (line.startsWith('etcd.members=')) raw = line.slice('etcd.members='.length);
    else if (line.startsWith('etcd.health=')) {
      const [url, body] = line.slice('etcd.health='.length).split('\t');
      health.set(url ?? '', /"health"\s*:\s*"true"/.test(body ?? ''));
    }
  }
  if (raw === undefined) return null;
  return raw.startsWith('b64:') ? { members: parseMembers(Buffer.from(raw.slice(4), 'base64').toString('utf8')), health } : { members: null, error: raw.replace(/^error:/, ''), health };
}

/** The checksum file name with the shell's `$a` (arch) in it, unquoted by construction. */
function rawArchFile(): ShellScript {
  return { kind: 'sh', script: `"${checksumFile('$a')}"` };
}

export function parseInstallRead(output: string): InstallCurrent {
  const rec = new Map<string, string>();
  const images = new Map<string, string>();
  for (const line of output.split('\n')) {
    if (line === '') continue;
    const eq = line.indexOf('=');
    if (eq < 0) throw new Error(`unexpected line ${JSON.stringify(line.slice(0, 120))}`);
    const key = line.slice(0, eq);
    const value = line.slice(eq + 1);
    if (key === 'images') {
      const [name, sha] = value.split(' ');
      if (name && sha) images.set(name, sha);
    } else if (!key.startsWith('etcd.')) rec.set(key, value);
  }
  const need = (k: string): string => {
    const v = rec.get(k);
    if (v === undefined) throw new Error(`no ${k} record in the output`);
    return v;
  };
  const files = new Map<string, FileState>();
  for (const [k, v] of rec) if (k.startsWith('file.')) files.set(k.slice(5), fileState(v));
  const links = new Map<string, LinkState>();
  for (const c of SYMLINKS) links.set(c, linkState(need(`link.${c}`)));
  const units = new Map<string, UnitState>();
  for (const u of ['k3s', 'k3s-agent']) {
    const [enabled = '', active = '', invocation = ''] = need(`unit.${u}`).split(' ');
    units.set(u, { enabled, active, invocation });
  }
  const bin = need('bin');
  const tok = need('token_sha256');
  const checks = rec.get('checksums');
  return {
    unameM: need('arch'),
    hostname: need('hostname'),
    systemd: need('systemd') === 'yes',
    selinux: need('selinux'),
    selinuxPolicy: rec.get('selinux_policy') === 'yes',
    binSha256: bin === 'absent' ? null : bin,
    binVersion: rec.get('bin_version') ?? '',
    links,
    files,
    units,
    tokenSha256: tok === 'absent' ? null : tok,
    etcdData: rec.get('etcd_data') === 'yes',
    images,
    checksums: checks === undefined ? null : checks.startsWith('b64:') ? Buffer.from(checks.slice(4), 'base64').toString('utf8') : { error: checks.replace(/^error:/, '').trim() },
    cacerts: rec.has('cacerts') ? Buffer.from(rec.get('cacerts')!.replace(/^b64:/, ''), 'base64').toString('utf8') : null,
    etcd: parseEtcdStatus(output),
  };
}

function fileState(v: string): FileState {
  if (v === 'absent') return { kind: 'absent' };
  if (v === 'other') return { kind: 'other' };
  if (v.startsWith('b64:')) return { kind: 'file', text: Buffer.from(v.slice(4), 'base64').toString('utf8') };
  throw new Error(`unexpected file record ${JSON.stringify(v.slice(0, 40))}`);
}

function linkState(v: string): LinkState {
  if (v.startsWith('link:')) return { kind: 'link', target: v.slice(5) };
  if (v === 'file') return { kind: 'file' };
  if (v.startsWith('absent:')) return { kind: 'absent', elsewhere: v.slice(7) };
  throw new Error(`unexpected link record ${JSON.stringify(v)}`);
}

/** etcd's JSON gateway answer to /v3/cluster/member/list (uint64 IDs are strings; false fields are omitted). */
export function parseMembers(json: string): EtcdMember[] {
  let doc: unknown;
  try {
    doc = JSON.parse(json);
  } catch {
    throw new Error(`etcd member list is not JSON: ${JSON.stringify(json.slice(0, 120))}`);
  }
  const members = (doc as { members?: unknown }).members;
  if (!Array.isArray(members)) throw new Error(`etcd member list has no members: ${JSON.stringify(json.slice(0, 120))}`);
  return members.map((m: Record<string, unknown>) => ({
    id: String(m['ID'] ?? ''),
    name: String(m['name'] ?? ''),
    peerURLs: Array.isArray(m['peerURLs']) ? (m['peerURLs'] as unknown[]).map(String) : [],
    clientURLs: Array.isArray(m['clientURLs']) ? (m['clientURLs'] as unknown[]).map(String) : [],
    isLearner: m['isLearner'] === true,
  }));
}
