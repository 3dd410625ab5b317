/**
 * The pure decision of `k3s_install`: (args, InstallCurrent) -> Changes. No I/O.
 *
 * In the install script's order: verify the system (systemd, arch, SELinux), the binary (no
 * download when the installed sha256 is the release's), symlinks, k3s-killall.sh, the
 * uninstall script, the other role's unit removed, config.yaml (0600), the env file (0600),
 * the unit, airgap images, daemon-reload, enable, then start — or restart when anything the
 * service reads changed — followed by a wait until k3s is ready. Guards, each a TaskFailure
 * before anything is written: a token that differs from the one this host's data was created
 * with, a K10 token whose CA hash is not the cluster's, a restart that would take the
 * embedded etcd below quorum (unless force_restart).
 */
import { createHash } from 'node:crypto';
import { didYouMean, isSecret, Secret, sh, TaskFailure, type Change, type ExecStep, type ShellScript } from '../../src/module-api/index.js';
import { downloadScript } from '../get_url/plan-get-url.js';
import type { K3sInstallArgs } from './args.js';
import {
  BIN, BIN_DIR, CONFIG_DIR, CONFIG_FILE, DATA_DIR, IMAGES_DIR, KILLALL, SYMLINKS, configText, envText, killallText, maskConfigText,
  maskEnvText, otherRole, roleFiles, uninstallText, unitText, validEnvName, type ConfigValue, type Role,
} from './install-files.js';
import { AGENT_FLAGS, SERVER_FLAGS, flagsFor, type FlagKind } from './k3s-flags.js';
import type { EtcdState, FileState, InstallCurrent } from './read-install.js';
import { DEFAULT_MIRROR, checksumFile, parseChecksums, parseVersionOutput, releaseArch, releaseUrl } from './release.js';

const CONFIG_ORDER = ['cluster-init', 'server', 'token', 'agent-token', 'datastore-endpoint'];
const ENABLED = ['enabled', 'enabled-runtime', 'alias', 'indirect', 'linked', 'linked-runtime'];
const SYSTEMCTL_TIMEOUT_MS = 150_000;

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function reveal(v: string | Secret | undefined): string | undefined {
  return v === undefined ? undefined : isSecret(v) ? v.reveal() : v;
}

/** K10<ca-hash>::<user>:<secret> -> {caHash, secret}; a plain token is all secret. */
export function splitToken(token: string): { caHash: string | null; secret: string } {
  const m = /^K10([0-9a-f]{64})::[^:]+:(.+)$/.exec(token);
  return m ? { caHash: m[1]!, secret: m[2]! } : { caHash: null, secret: token };
}

/** Whether this server runs k3s's embedded etcd (cluster-init, a join, or etcd data already there). */
export function usesEmbeddedEtcd(args: K3sInstallArgs, cur: Pick<InstallCurrent, 'etcdData'>): boolean {
  return args.role === 'server' && args.datastore_endpoint === undefined && (args.cluster_init === true || args.server !== undefined || cur.etcdData);
}

export function planInstall(args: K3sInstallArgs, cur: InstallCurrent): Change[] {
  const role = args.role;
  const rf = roleFiles(role);
  if (!cur.systemd) throw new TaskFailure('Can not find systemd to use as a process supervisor for k3s', 'k3s_install installs the systemd units of the k3s install script; this host has no running systemd');
  const ra = releaseArch(cur.unameM);
  if (!ra) throw new TaskFailure(`Unsupported architecture ${cur.unameM}`, 'k3s releases exist for amd64, arm64, arm (armhf) and s390x');
  if (cur.selinux === 'Enforcing' && !cur.selinuxPolicy) {
    throw new TaskFailure('SELinux is enforcing and the k3s-selinux policy is not installed', 'install container-selinux and k3s-selinux first (rpm.rancher.io), or set SELinux permissive (the selinux module)');
  }
  const config = buildConfig(args);
  const token = reveal(args.token);
  checkToken(args, cur, token);

  const changes: Change[] = [];
  const binary = planBinary(args, cur, ra);
  if (binary) changes.push(binary);

  const missingLinks = SYMLINKS.filter((c) => {
    const l = cur.links.get(c);
    return l?.kind === 'absent' && l.elsewhere === '';
  });
  if (missingLinks.length > 0) {
    changes.push({
      summary: `symlink ${missingLinks.map((c) => `${BIN_DIR}/${c}`).join(', ')} -> k3s`,
      steps: missingLinks.map((c) => ({ kind: 'exec', cmd: ['ln', '-sf', 'k3s', `${BIN_DIR}/${c}`] })),
    });
  }
  const script = (key: string, path: string, text: string): void => {
    const c = filePut(cur.files.get(key), path, text, '0755', text, false);
    if (c) changes.push(c);
  };
  script('killall', KILLALL, killallText());
  script(`uninstall.${role}`, rf.uninstall, uninstallText(role));

  const removal = planOtherRoleRemoval(role, cur);
  if (removal) changes.push(removal);

  const cfgText = configText(config, CONFIG_ORDER);
  const cfgChange = filePut(cur.files.get('config'), CONFIG_FILE, cfgText, '0600', maskConfigText(cfgText), true, configSummary(cur.files.get('config'), cfgText));
  if (cfgChange) changes.push({ ...cfgChange, steps: [{ kind: 'exec', cmd: ['mkdir', '-p', '-m', '0755', '--', CONFIG_DIR] }, ...cfgChange.steps] });

  const env = args.env ?? {};
  const badEnv = Object.keys(env).filter((k) => !validEnvName(k));
  if (badEnv.length > 0) throw new TaskFailure(`env: invalid variable name(s) ${badEnv.map((k) => JSON.stringify(k)).join(', ')}`, 'names are letters, digits and _, not starting with a digit');
  const envT = envText(env);
  const envChange = filePut(cur.files.get(`env.${rf.unit}`), rf.envFile, envT, '0600', maskEnvText(envT), true);
  if (envChange) changes.push(envChange);

  const unitChange = filePut(cur.files.get(`unit.${rf.unit}`), rf.unitFile, unitText(role), '0644', unitText(role), false);
  if (unitChange) changes.push(unitChange);

  const images = planImages(args, cur, ra.arch);
  if (images) changes.push(images);

  if (unitChange || envChange) changes.push({ summary: 'systemctl daemon-reload', steps: [{ kind: 'exec', cmd: ['systemctl', 'daemon-reload'] }] });

  const unit = cur.units.get(rf.unit) ?? { enabled: '', active: '', invocation: '' };
  if (!ENABLED.includes(unit.enabled)) changes.push({ summary: `enable ${rf.unit}`, steps: [systemctl('enable', rf.unit)] });

  const reasons = [binary && 'binary', cfgChange && 'config', envChange && 'env', unitChange && 'unit', images && 'images'].filter((x): x is string => typeof x === 'string');
  const etcd = usesEmbeddedEtcd(args, cur);
  const wait = waitStep(args, role, etcd, config, cur);
  if (unit.active === 'active' && reasons.length > 0) {
    if (etcd) checkQuorum(cur, args);
    changes.push({ summary: `restart ${rf.unit} (${reasons.join(', ')} changed) and wait until it is ready`, steps: [systemctl('restart', rf.unit, true), wait(unit.invocation)] });
  } else if (unit.active === 'activating' && reasons.length === 0) {
    changes.push({ summary: `wait until ${rf.unit} is ready (it is still starting)`, steps: [wait('')] });
  } else if (unit.active !== 'active') {
    const verb = unit.active === 'activating' ? 'restart' : 'start';
    changes.push({ summary: `${verb} ${rf.unit} and wait until it is ready`, steps: [systemctl(verb, rf.unit, true), wait(verb === 'restart' ? unit.invocation : '')] });
  }
  return changes;
}

/** config.yaml entries from the dedicated arguments and `config`; every problem at once. */
export function buildConfig(args: K3sInstallArgs): Map<string, ConfigValue> {
  const role = args.role;
  const flags = flagsFor(role);
  const problems: string[] = [];
  const m = new Map<string, ConfigValue>();
  const serverOnly = (arg: string): void => {
    if (role === 'agent') problems.push(`${arg}: only servers take it (role is agent)`);
  };
  if (args.cluster_init !== undefined) {
    serverOnly('cluster_init');
    if (args.cluster_init) m.set('cluster-init', true);
  }
  if (args.cluster_init && args.server !== undefined) problems.push('cluster_init and server: a server either starts the cluster or joins one, not both');
  if (args.cluster_init && args.datastore_endpoint !== undefined) problems.push('cluster_init and datastore_endpoint: cluster-init starts embedded etcd; an external datastore needs neither');
  if (args.server !== undefined) m.set('server', args.server);
  const token = reveal(args.token);
  if (token !== undefined) m.set('token', token);
  const agentToken = reveal(args.agent_token);
  if (agentToken !== undefined) {
    serverOnly('agent_token');
    m.set('agent-token', agentToken);
  }
  const ds = reveal(args.datastore_endpoint);
  if (ds !== undefined) {
    serverOnly('datastore_endpoint');
    m.set('datastore-endpoint', ds);
  }
  const entries: [string, unknown][] = [...Object.entries(args.config ?? {}), ...Object.entries(args.extra_config ?? {})];
  for (const a of args.extra_args ?? []) {
    const f = /^--?([A-Za-z0-9][A-Za-z0-9-]*)(?:=([\s\S]*))?$/.exec(a);
    if (!f) {
      problems.push(`extra_args: ${JSON.stringify(a)} is not a flag (write --name=value or --name)`);
      continue;
    }
    const kind = flags[f[1]!];
    if (f[2] === undefined && kind !== undefined && kind !== 'bool') problems.push(`extra_args: --${f[1]} needs a value: --${f[1]}=VALUE`);
    else entries.push([f[1]!, f[2] === undefined ? true : kind === 'list' ? [f[2]] : f[2]]);
  }
  for (const [key, raw] of entries) {
    if (raw === null || raw === undefined || raw === '') continue;
    const dedicated = { token: 'token', 'agent-token': 'agent_token', 'datastore-endpoint': 'datastore_endpoint', server: 'server', 'cluster-init': 'cluster_init' }[key];
    if (dedicated) {
      problems.push(`config.${key}: give it as the ${dedicated} argument${['token', 'agent-token', 'datastore-endpoint'].includes(key) ? ' (a secret: masked in every output)' : ''}`);
      continue;
    }
    const kind = flags[key];
    if (kind === undefined) {
      if (role === 'agent' && SERVER_FLAGS[key] !== undefined) problems.push(`config.${key}: a server flag; k3s agent does not take it`);
      else {
        const hint = didYouMean(key, Object.keys(role === 'server' ? SERVER_FLAGS : AGENT_FLAGS));
        problems.push(`config.${key}: not a k3s ${role} flag${hint ? ` (${hint})` : ''}`);
      }
      continue;
    }
    const v = coerce(kind, raw);
    const prev = m.get(key);
    if (v === undefined) problems.push(`config.${key}: expected ${describeKind(kind)}, got ${JSON.stringify(raw)}`);
    else if (kind === 'list' && prev !== undefined) m.set(key, [...new Set([...(Array.isArray(prev) ? prev : [String(prev)]), ...(Array.isArray(v) ? v : [String(v)])])]);
    else m.set(key, v);
  }
  if (problems.length > 0) throw new TaskFailure(problems.join('; '), 'config keys are k3s flag names without "--" (k3s server --help / k3s agent --help)');
  return m;
}

function coerce(kind: FlagKind, v: unknown): ConfigValue | undefined {
  switch (kind) {
    case 'bool':
      if (typeof v === 'boolean') return v;
      if (v === 'true' || v === 'false') return v === 'true';
      return undefined;
    case 'int':
      if (typeof v === 'number' && Number.isInteger(v)) return v;
      if (typeof v === 'string' && /^-?\d+$/.test(v)) return Number(v);
      return undefined;
    case 'list':
      if (Array.isArray(v) && v.every((x) => ['string', 'number'].includes(typeof x))) return v.map(String);
      if (typeof v === 'string' || typeof v === 'number') return String(v);
      return undefined;
    default:
      return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined;
  }
}

function describeKind(kind: FlagKind): string {
  return { bool: 'true or false', int: 'an integer', list: 'a string or a list of strings', string: 'a string', duration: 'a duration such as "5m"' }[kind];
}

function checkToken(args: K3sInstallArgs, cur: InstallCurrent, token: string | undefined): void {
  const joining = args.server !== undefined;
  if (args.role === 'agent' && !joining) throw new TaskFailure('an agent needs server: the URL of the registration address (or a server) to join', 'give server: "https://<VIP or server>:6443"');
  if (joining && token === undefined) throw new TaskFailure(`joining ${args.server} needs the cluster token`, 'give token (the server token from /var/lib/rancher/k3s/server/token of the first server, or the k3s_token you chose)');
  if (token === undefined) return;
  const { caHash, secret } = splitToken(token);
  if (args.role === 'server' && cur.tokenSha256 !== null && sha256(secret) !== cur.tokenSha256) {
    throw new TaskFailure(
      `this server's k3s data (${DATA_DIR}/server/token) was created with a different cluster token: starting it with this token would fail, and joining it elsewhere would split the cluster`,
      'use the token of the cluster this host belongs to (adopt it from its token file), or remove k3s from this host first (runbooks/uninstall.yml) if it should join another cluster',
    );
  }
  const fresh = args.role === 'agent' || !cur.etcdData;
  if (joining && caHash !== null && fresh && cur.cacerts !== null && cur.cacerts !== '' && sha256(cur.cacerts) !== caHash) {
    throw new TaskFailure(
      `the token's CA hash (${caHash.slice(0, 12)}…) is not the CA of ${args.server} (${sha256(cur.cacerts).slice(0, 12)}…): the token belongs to another cluster`,
      'use the token of the cluster at that address (its first server\'s /var/lib/rancher/k3s/server/token)',
    );
  }
}

function planBinary(args: K3sInstallArgs, cur: InstallCurrent, ra: { arch: string; binary: string }): Change | null {
  const from = cur.binSha256 === null ? null : (parseVersionOutput(cur.binVersion) ?? 'an unknown version');
  const summaryOf = (how: string): string =>
    from === null ? `install k3s ${args.version} (${ra.arch}) ${how}` : from === args.version ? `replace ${BIN} (its sha256 is not ${args.version}'s) ${how}` : `upgrade k3s ${from} -> ${args.version} ${how}`;
  if (args.airgap !== undefined) {
    const files = args.airgap[ra.arch];
    if (!files) {
      throw new TaskFailure(`airgap_dir has no k3s release for ${ra.arch} (this host is ${cur.unameM})`, `put ${ra.binary} and ${checksumFile(ra.arch)} of ${args.version} into airgap_dir`);
    }
    if (cur.binSha256 === files.binarySha256) return null;
    return { summary: summaryOf('from the controller (airgap)'), steps: [{ kind: 'put', path: BIN, content: files.binary, mode: '0755', owner: 'root', group: 'root' }] };
  }
  const mirror = args.mirror_url ?? DEFAULT_MIRROR;
  const url = releaseUrl(mirror, args.version, ra.binary);
  const sums = cur.checksums;
  if (sums === null || typeof sums !== 'string') {
    const err = sums === null ? 'not fetched' : sums.error;
    if (cur.binSha256 !== null && from === args.version) return null; // installed and the version matches; the mirror is down
    throw new TaskFailure(
      `cannot fetch ${releaseUrl(mirror, args.version, checksumFile(ra.arch))} on this host: ${err}`,
      'the host needs a route to mirror_url (or HTTPS_PROXY in env); air-gapped sites give airgap_dir with the release files instead',
    );
  }
  let table: Map<string, string>;
  try {
    table = parseChecksums(sums);
  } catch (e) {
    throw new TaskFailure(`${checksumFile(ra.arch)} of ${args.version} from ${mirror} is not a checksum file: ${(e as Error).message}`);
  }
  const sha = table.get(ra.binary);
  if (sha === undefined) throw new TaskFailure(`${checksumFile(ra.arch)} of ${args.version} has no entry for ${ra.binary}`, 'is mirror_url a k3s release mirror?');
  if (cur.binSha256 === sha) return null;
  return {
    summary: summaryOf(`from ${url}`),
    steps: [{ kind: 'exec', cmd: downloadScript({ url, dest: BIN, owner: 'root', group: 'root', timeout: args.download_timeout ?? 300 }, sha, '0755'), timeoutMs: ((args.download_timeout ?? 300) + 30) * 1000 }],
  };
}

function planImages(args: K3sInstallArgs, cur: InstallCurrent, arch: string): Change | null {
  const img = args.airgap?.[arch]?.images;
  if (!img || args.airgap_images === false) return null;
  if (cur.images.get(img.name) === img.sha256) return null;
  const path = `${IMAGES_DIR}/${img.name}`;
  return {
    summary: `${cur.images.has(img.name) ? 'update' : 'copy'} airgap images ${path} (${img.content.length} bytes)`,
    steps: [
      { kind: 'exec', cmd: ['mkdir', '-p', '--', IMAGES_DIR] },
      { kind: 'put', path, content: img.content, mode: '0644', owner: 'root', group: 'root' },
    ],
  };
}

/** A server host must not keep an agent unit (and vice versa): exactly one of k3s / k3s-agent. */
function planOtherRoleRemoval(role: Role, cur: InstallCurrent): Change | null {
  const o = roleFiles(otherRole(role));
  const u = cur.units.get(o.unit) ?? { enabled: '', active: '', invocation: '' };
  const unitFile = cur.files.get(`unit.${o.unit}`);
  const envFile = cur.files.get(`env.${o.unit}`);
  const uninstall = cur.files.get(`uninstall.${otherRole(role)}`);
  const present = (f: FileState | undefined) => f !== undefined && f.kind !== 'absent';
  const running = ['active', 'activating', 'reloading'].includes(u.active);
  if (!running && !ENABLED.includes(u.enabled) && !present(unitFile) && !present(envFile) && !present(uninstall)) return null;
  const steps: ExecStep[] = [];
  if (running) steps.push(systemctl('stop', o.unit));
  if (ENABLED.includes(u.enabled)) steps.push(systemctl('disable', o.unit));
  steps.push({ kind: 'exec', cmd: ['rm', '-f', '--', o.unitFile, o.envFile, o.uninstall] });
  steps.push({ kind: 'exec', cmd: ['systemctl', 'daemon-reload'] });
  return { summary: `remove the ${o.unit} unit (this host is a k3s ${role}: exactly one of k3s / k3s-agent)`, steps };
}

/** A put of a whole file (mode, root:root) with its diff; null when the file is already so. */
function filePut(cur: FileState | undefined, path: string, text: string, mode: string, shown: string, secret: boolean, summary?: string): Change | null {
  if (cur?.kind === 'file' && cur.text === text) return null;
  if (cur?.kind === 'other') throw new TaskFailure(`${path} exists and is not a regular file`, 'remove it or move it away');
  const before = cur?.kind === 'file' ? (secret ? (path.endsWith('.env') ? maskEnvText(cur.text) : maskConfigText(cur.text)) : cur.text) : null;
  return {
    summary: summary ?? `${cur?.kind === 'file' ? 'update' : 'create'} ${path}`,
    steps: [{ kind: 'put', path, content: secret ? new Secret(text) : text, mode, owner: 'root', group: 'root' }],
    diff: { path, before, after: shown },
  };
}

/** "update /etc/rancher/k3s/config.yaml (tls-san, node-label)": the top-level keys that differ. */
function configSummary(cur: FileState | undefined, text: string): string {
  if (cur?.kind !== 'file') return `create ${CONFIG_FILE}`;
  const a = topLevel(cur.text);
  const b = topLevel(text);
  const keys = [...new Set([...a.keys(), ...b.keys()])].filter((k) => a.get(k) !== b.get(k)).sort();
  return `update ${CONFIG_FILE}${keys.length > 0 ? ` (${keys.join(', ')})` : ''}`;
}

function topLevel(text: string): Map<string, string> {
  const out = new Map<string, string>();
  let key: string | null = null;
  for (const line of text.split('\n')) {
    if (line.trim() === '' || line.trim().startsWith('#')) continue;
    const m = /^["']?([A-Za-z0-9_.+-]+)["']?\s*:(.*)$/.exec(line);
    if (m && !/^\s/.test(line)) {
      key = m[1]!.replace(/\+$/, '');
      out.set(key, (out.get(key) ?? '') + m[2]!.trim());
    } else if (key !== null) out.set(key, `${out.get(key) ?? ''}\n${line.trim()}`);
  }
  return out;
}

/**
 * Refuses a restart that would leave the embedded etcd without quorum: with N voting members,
 * ⌊N/2⌋+1 must stay healthy while this one restarts.
 */
export function checkQuorum(cur: InstallCurrent, args: Pick<K3sInstallArgs, 'force_restart'>): void {
  const e: EtcdState | null = cur.etcd;
  if (!e || !e.members) return; // this member's etcd does not answer: restarting it takes nothing away
  const voters = e.members.filter((m) => !m.isLearner);
  if (voters.length <= 1) return;
  const healthy = voters.filter((m) => m.clientURLs.some((u) => e.health.get(u) === true));
  const self = voters.find((m) => m.name.startsWith(`${cur.hostname.toLowerCase()}-`));
  const remaining = healthy.length - (self && healthy.includes(self) ? 1 : 0);
  const quorum = Math.floor(voters.length / 2) + 1;
  if (remaining >= quorum || args.force_restart) return;
  const down = voters.filter((m) => !healthy.includes(m)).map((m) => `${m.name} (${m.clientURLs.join(', ')})`);
  throw new TaskFailure(
    `restarting k3s here now would leave ${remaining} of ${voters.length} etcd members running; quorum needs ${quorum}. Not healthy: ${down.join('; ') || 'none'}`,
    'bring the unhealthy members back first (or remove dead ones with runbooks/replace-server.yml); force_restart: true overrides this guard',
  );
}

function systemctl(verb: string, unit: string, noBlock = false): ExecStep {
  return { kind: 'exec', cmd: ['systemctl', ...(noBlock ? ['--no-block'] : []), verb, unit], timeoutMs: SYSTEMCTL_TIMEOUT_MS };
}

/**
 * The wait after a (re)start: the unit is active (a new invocation after a restart), and for
 * servers /readyz answers ok; with embedded etcd this node's member is a voting (not learner)
 * member and healthy. On timeout the last journal lines say why.
 */
function waitStep(args: K3sInstallArgs, role: Role, etcd: boolean, config: Map<string, ConfigValue>, cur: InstallCurrent): (oldInvocation: string) => ExecStep {
  const unit = roleFiles(role).unit;
  const timeout = args.ready_timeout ?? 300;
  const nodeName = String(config.get('node-name') ?? cur.hostname).toLowerCase();
  const serverChecks: ShellScript =
    role !== 'server'
      ? sh``
      : sh`  [ "$(timeout 10 ${BIN} kubectl get --raw /readyz 2>/dev/null)" = ok ] || return 1
`;
  const etcdChecks: ShellScript = !etcd
    ? sh``
    : sh`  T=${`${DATA_DIR}/server/tls/etcd`}
  ml=$(curl -sS --max-time 5 --cacert "$T/server-ca.crt" --cert "$T/client.crt" --key "$T/client.key" -X POST -d '{}' https://127.0.0.1:2379/v3/cluster/member/list 2>/dev/null) || return 1
  me=$(printf '%s' "$ml" | tr '{' '\\n' | grep -F ${`"name":"${nodeName}-`}) || return 1
  case "$me" in *'"isLearner":true'*) return 1;; esac
  cu=$(printf '%s' "$me" | grep -o '"clientURLs":\\["[^"]*"' | sed 's/.*\\["//; s/"$//')
  curl -sS --max-time 3 --cacert "$T/server-ca.crt" --cert "$T/client.crt" --key "$T/client.key" "$cu/health" 2>/dev/null | grep -q '"health":"true"' || return 1
`;
  return (old) => ({
    kind: 'exec',
    timeoutMs: (timeout + 60) * 1000,
    cmd: sh`u=${unit}; old=${old}; deadline=$(( $(date +%s) + ${timeout} ))
restarts0=$(systemctl show -p NRestarts --value "$u")
ready() {
  [ "$(systemctl is-active "$u")" = active ] || return 1
  [ -z "$old" ] || [ "$(systemctl show -p InvocationID --value "$u")" != "$old" ] || return 1
${serverChecks}${etcdChecks}  return 0
}
until ready; do
  # A unit that keeps exiting (Restart=always) will not get better by waiting longer.
  if [ $(( $(systemctl show -p NRestarts --value "$u") - restarts0 )) -ge 4 ]; then
    echo "$u keeps exiting ($(( $(systemctl show -p NRestarts --value "$u") - restarts0 )) restarts while waiting); its last log lines:" >&2
    journalctl -u "$u" -n 12 --no-pager -o cat 2>/dev/null | grep -v modprobe >&2
    exit 1
  fi
  if [ "$(date +%s)" -ge "$deadline" ]; then
    echo "$u did not become ready within ${timeout} s (systemctl is-active: $(systemctl is-active "$u")${etcd ? sh`; this server must be a voting, healthy etcd member` : sh``}); its last log lines:" >&2
    journalctl -u "$u" -n 25 --no-pager -o cat 2>/dev/null | grep -v modprobe >&2
    exit 1
  fi
  sleep 1
done`,
  });
}
