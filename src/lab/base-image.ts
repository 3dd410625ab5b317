/**
 * The cached Debian base tree every lab host overlays (lower dir). Built once with debootstrap
 * into a temp dir, prepared (no ssh host keys, empty machine-id, etcd/haproxy/keepalived not
 * enabled, sshd drop-in), then renamed into place: a directory named base-<hash> is always
 * complete, and an interrupted build is simply rebuilt. The hash covers the package list and
 * this recipe's version, so changing either builds a new base. It holds no per-host or per-lab
 * data (keys and identities go into each host's upper dir).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, writeFileSync, lstatSync, unlinkSync, rmSync, renameSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { K3playError, ExitCode } from '../errors/k3play-error.js';
import { findDebianMirror, readAptSources } from './apt-mirror.js';
import { runChecked, runCommand } from './run-command.js';
import { unmountUnder, mountsUnder } from './mount-table.js';
import { requireLabSupport } from './lab-preconditions.js';

export const BASE_SUITE = 'bookworm';

/** Packages of the base tree (debootstrap --include). python3-apt: Ansible's apt module (benchmark). */
export const BASE_PACKAGES: readonly string[] = [
  'systemd', 'systemd-sysv', 'dbus', 'libpam-systemd', 'openssh-server', 'sudo', 'python3', 'python3-apt',
  'iproute2', 'procps', 'etcd-server', 'etcd-client', 'haproxy', 'keepalived', 'curl', 'ca-certificates',
];

/** Units the product configures and starts itself; never enabled in the base. */
const DISABLED_UNIT_PREFIXES = ['etcd', 'haproxy', 'keepalived'];

/** Bump when the preparation below changes, so existing caches are rebuilt. */
const RECIPE_VERSION = 3;

export const SSHD_DROP_IN = [
  '# k3play lab: key-only root login, fast logins, one host key per host',
  'PermitRootLogin prohibit-password',
  'PasswordAuthentication no',
  'UseDNS no',
  'HostKey /etc/ssh/ssh_host_ed25519_key',
  '',
].join('\n');

/**
 * Root's user manager (user@0.service) is kept once started. logind stops it 10 s after the
 * last session by default; inside these containers that stop can hang in final-sigkill (the
 * container cannot kill the cgroup: EIO) until its 90-120 s timeout, and every login waits for
 * it meanwhile — tests saw ssh hang ~110 s after a pause. Real hosts are not affected.
 */
export const LOGIND_DROP_IN = ['# k3play lab: keep root\'s user manager (its stop can hang in a container)', '[Login]', 'UserStopDelaySec=infinity', ''].join('\n');

export function baseImageHash(packages: readonly string[] = BASE_PACKAGES): string {
  return createHash('sha256')
    .update(JSON.stringify({ suite: BASE_SUITE, variant: 'minbase', packages: [...packages].sort(), recipe: RECIPE_VERSION }))
    .digest('hex')
    .slice(0, 12);
}

export function labCacheRoot(env: NodeJS.ProcessEnv = process.env): string {
  return env['K3PLAY_LAB_CACHE'] ?? join(homedir(), '.cache', 'k3play', 'lab');
}

export function baseImageDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(labCacheRoot(env), `base-${baseImageHash()}`);
}

export interface BaseImage {
  readonly dir: string;
  /** True when this call built it (false: reused the cache). */
  readonly built: boolean;
  readonly durationMs: number;
}

/** Returns the cached base, building it first when missing. */
export async function ensureBaseImage(opts: { log?: (msg: string) => void } = {}): Promise<BaseImage> {
  requireLabSupport();
  const started = Date.now();
  const dir = baseImageDir();
  if (existsSync(join(dir, 'etc', 'k3play-lab-base'))) return { dir, built: false, durationMs: Date.now() - started };
  const root = labCacheRoot();
  mkdirSync(root, { recursive: true });
  await removeAbandonedBuilds(root);
  const mirror = findDebianMirror(readAptSources(), BASE_SUITE);
  if (mirror === null) {
    throw new K3playError({
      context: 'lab base image',
      message: `no Debian ${BASE_SUITE} mirror found in /etc/apt/sources.list*`,
      hint: `add a deb source for ${BASE_SUITE} (e.g. http://deb.debian.org/debian) to /etc/apt/sources.list.d/`,
    });
  }
  const tmp = join(root, `${dirNameOf(dir)}.tmp-${process.pid}`);
  opts.log?.(`building lab base image ${dir} from ${mirror} (about a minute)`);
  try {
    await runChecked(
      ['debootstrap', '--variant=minbase', `--include=${BASE_PACKAGES.join(',')}`, BASE_SUITE, tmp, mirror],
      { hint: 'check that the Debian mirror is reachable and debootstrap is installed (scripts/lab-deps.sh)' },
    );
    if (mountsUnder(tmp).length > 0) await unmountUnder(tmp);
    prepareBase(tmp);
    try {
      renameSync(tmp, dir);
    } catch (e) {
      // Another process finished the same base first: use theirs.
      if (!existsSync(join(dir, 'etc', 'k3play-lab-base'))) throw e;
      await removeTree(tmp);
    }
  } catch (e) {
    await removeTree(tmp).catch(() => undefined);
    throw e;
  }
  return { dir, built: true, durationMs: Date.now() - started };
}

function dirNameOf(p: string): string {
  return p.split('/').pop() ?? p;
}

/** Per-host identity and our units removed; sshd drop-in; marker written last. */
function prepareBase(tree: string): void {
  const sshDir = join(tree, 'etc', 'ssh');
  for (const n of readdirSync(sshDir)) if (n.startsWith('ssh_host_')) unlinkSync(join(sshDir, n));
  writeFileSync(join(tree, 'etc', 'machine-id'), '');
  const dbusId = join(tree, 'var', 'lib', 'dbus', 'machine-id');
  if (existsSync(dbusId) && !lstatSync(dbusId).isSymbolicLink()) unlinkSync(dbusId);
  disableUnits(join(tree, 'etc', 'systemd', 'system'));
  mkdirSync(join(sshDir, 'sshd_config.d'), { recursive: true });
  writeFileSync(join(sshDir, 'sshd_config.d', 'k3play-lab.conf'), SSHD_DROP_IN);
  mkdirSync(join(tree, 'root', '.ssh'), { recursive: true, mode: 0o700 });
  mkdirSync(join(tree, 'etc', 'systemd', 'logind.conf.d'), { recursive: true });
  writeFileSync(join(tree, 'etc', 'systemd', 'logind.conf.d', 'k3play-lab.conf'), LOGIND_DROP_IN);
  writeFileSync(join(tree, 'etc', 'k3play-lab-base'), `${JSON.stringify({ hash: baseImageHash(), packages: BASE_PACKAGES })}\n`);
}

/** Removes the enablement symlinks (`*.wants/etcd.service` ...) = `systemctl disable` offline. */
function disableUnits(unitDir: string): void {
  if (!existsSync(unitDir)) return;
  for (const entry of readdirSync(unitDir, { recursive: true, encoding: 'utf8' })) {
    const name = entry.split('/').pop() ?? '';
    const p = join(unitDir, entry);
    // Both `*.wants/<unit>` links and Alias= links (etcd2.service): `is-enabled` counts either.
    if (DISABLED_UNIT_PREFIXES.some((u) => name.startsWith(u)) && lstatSync(p).isSymbolicLink()) unlinkSync(p);
  }
}

/** Temp trees of builds whose process is gone (interrupted): unmount, then delete. */
async function removeAbandonedBuilds(root: string): Promise<void> {
  for (const n of readdirSync(root)) {
    const m = /^base-[0-9a-f]+\.tmp-(\d+)$/.exec(n);
    if (!m) continue;
    if (existsSync(`/proc/${m[1]}`) && readFileSync(`/proc/${m[1]}/cmdline`, 'utf8').includes('node')) continue;
    await removeTree(join(root, n));
  }
}

/** rm -rf that never crosses into a mount (unmounts under the tree first). */
export async function removeTree(dir: string): Promise<void> {
  if (!existsSync(dir)) return;
  const left = await unmountUnder(dir);
  if (left.length > 0) {
    throw new K3playError({ context: 'lab', message: `cannot remove ${dir}: still mounted: ${left.join(', ')}` }, ExitCode.internal);
  }
  const r = await runCommand(['rm', '-rf', '--one-file-system', dir]);
  if (r.exitCode !== 0 && existsSync(dir)) rmSync(dir, { recursive: true, force: true });
}
