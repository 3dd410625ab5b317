/**
 * The k3play lab as a library: `labUp` builds a lab of real Debian hosts (full = systemd under
 * nspawn, light = sshd in namespaces) on a private bridge with no route anywhere, and writes
 * inventory.ini, known_hosts and the key pair under <stateDir>/<name>/; `labDown` removes it
 * all and verifies; `labStatus`, `labIp` (IP-change rehearsals) and `labSshCommand` serve
 * tests and the CLI. Everything the lab creates is recorded in lab.json first (lab-state.ts),
 * so a crashed run is cleaned by the next labUp/labDown. This file orchestrates; it prints
 * nothing itself (messages go to `log`).
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import pLimit from 'p-limit';
import { K3playError, ExitCode, ProblemList } from '../errors/k3play-error.js';
import { ensureBaseImage } from './base-image.js';
import { createLabKey, writeHostIdentity } from './host-identity.js';
import { mountHostOverlay } from './host-overlay.js';
import { startFullHost } from './full-host.js';
import { startLightHost, writeLightInit } from './light-host.js';
import {
  bridgeIp, FIRST_LAB_OCTET, fullHostIp, inLabNet, LAB_PREFIX_LEN, LAST_LAB_OCTET, lightHostIp, MAX_FULL_HOSTS,
  MAX_LIGHT_HOSTS, netInUse, netOf, parseIpAddrOutput, vipIp,
} from './lab-addresses.js';
import { renderInventory, renderKnownHosts } from './lab-inventory.js';
import {
  checkLabName, defaultStateDir, labDirOf, readLabState, recordResource, writeLabState,
  type LabHost, type LabState, type LabTopology,
} from './lab-state.js';
import { findLeftovers, readSysctl, teardownLab, writeSysctl, type Leftovers } from './lab-teardown.js';
import { requireLabSupport } from './lab-preconditions.js';
import { isAlive } from './process-info.js';
import { withLabNetLock } from './net-lock.js';
import { runChecked } from './run-command.js';
import { waitForSsh } from './wait-ssh.js';

export type { LabState, LabHost, LabTopology } from './lab-state.js';

export interface LabUpOptions {
  /** 1-10 chars [a-z0-9], default "lab". */
  readonly name?: string;
  readonly full: number;
  readonly light: number;
  readonly topology?: LabTopology;
  /** Default `.k3play/lab` under the cwd, or $K3PLAY_LAB_STATE. */
  readonly stateDir?: string;
  /** Second octet of the lab's 10.x.0.0/16; default: first free from 231. */
  readonly netOctet?: number;
  /** Hosts started at once (default 16). */
  readonly concurrency?: number;
  /** Progress messages (default: stderr). */
  readonly log?: (msg: string) => void;
}

export interface LabRef {
  readonly name?: string;
  readonly stateDir?: string;
}

const INOTIFY_KEY = 'fs.inotify.max_user_instances';
/** Each systemd container takes ~11 inotify instances (LAB-NOTES); keep headroom. */
const INOTIFY_PER_FULL_HOST = 16;
const SSH_WAIT_MS = 90_000;

const defaultLog = (msg: string): void => void process.stderr.write(`k3play lab: ${msg}\n`);

export async function labUp(opts: LabUpOptions): Promise<LabState> {
  requireLabSupport();
  const name = opts.name ?? 'lab';
  const topology = opts.topology ?? 'default';
  const log = opts.log ?? defaultLog;
  validateUp(opts, name, topology);
  const stateDir = resolve(opts.stateDir ?? defaultStateDir());
  const dir = labDirOf(stateDir, name);

  const stale = readLabState(dir);
  if (stale !== null) {
    log(`stale lab detected, cleaning: ${dir}`);
    await teardownLab(stale, log);
  }
  const base = await ensureBaseImage({ log });
  let recorded: LabState | undefined;
  try {
    // Choosing the /16 and putting the bridge address on it is one step for every lab on this
    // machine (other checkouts, other test runs): the next lab sees the address and skips it.
    const state = await withLabNetLock(async () => {
      const net = netOf(await chooseNetOctet(stateDir, opts.netOctet));
      const s = newState({ name, dir, topology, net, baseDir: base.dir, full: opts.full, light: opts.light });
      mkdirSync(dir, { recursive: true });
      writeLabState(s);
      recorded = s;
      await createBridge(s);
      return s;
    });
    const pub = await createLabKey(state.keyFile, `k3play-lab-${name}`);
    if (opts.full > 0) raiseInotify(state, opts.full);
    const initScript = writeLightInit(dir);
    const peers = state.hosts.map((h) => ({ name: h.name, ip: h.ip }));
    const limit = pLimit(opts.concurrency ?? 16);
    await Promise.all(
      state.hosts.map((host) =>
        limit(async () => {
          await mountHostOverlay(state, host);
          host.hostKey = await writeHostIdentity({ root: host.merged, hostname: host.name, peers, authorizedKey: pub });
          if (host.kind === 'full') await startFullHost(state, host);
          else await startLightHost(state, host, initScript);
        }),
      ),
    );
    writeLabState(state);
    await waitAllSsh(state);
    writeOutputs(state);
    return state;
  } catch (e) {
    log(`lab up failed, cleaning up: ${(e as Error).message}`);
    if (recorded) await teardownLab(recorded, log).catch((te: unknown) => log(`cleanup after failed up also failed: ${(te as Error).message}`));
    throw e;
  }
}

/** Removes the lab (by state or name) and verifies; a no-op when it does not exist. */
export async function labDown(ref: LabState | string | LabRef = {}, opts: { log?: (msg: string) => void } = {}): Promise<void> {
  requireLabSupport();
  // The file is the truth (it may list more than an in-memory copy); a state without a file is already down.
  const state = typeof ref === 'object' && 'resources' in ref ? readLabState(ref.dir) : readLabState(dirOfRef(ref));
  if (state === null) return;
  await teardownLab(state, opts.log);
}

export interface LabHostStatus {
  readonly name: string;
  readonly kind: 'full' | 'light';
  readonly ip: string;
  readonly running: boolean;
}

export interface LabStatus {
  readonly name: string;
  readonly dir: string;
  readonly net: string;
  readonly inventoryFile: string;
  readonly hosts: readonly LabHostStatus[];
  readonly leftovers: Leftovers;
}

export async function labStatus(ref: string | LabRef = {}): Promise<LabStatus | null> {
  const state = readLabState(dirOfRef(ref));
  if (state === null) return null;
  const hosts = state.hosts.map((h) => ({
    name: h.name,
    kind: h.kind,
    ip: h.ip,
    running: state.resources.some((r) => r.kind === 'pid' && r.host === h.name && isAlive(r.pid, r.startTime)),
  }));
  return { name: state.name, dir: state.dir, net: state.net, inventoryFile: state.inventoryFile, hosts, leftovers: await findLeftovers(state) };
}

/**
 * Moves a running host to `newIp` (`ip -n NS addr del/add`) for IP-change rehearsals, and
 * rewrites lab.json, inventory.ini and known_hosts. The host's own config is not touched.
 */
export async function labIp(ref: string | LabRef, hostName: string, newIp: string): Promise<LabState> {
  requireLabSupport();
  const state = requireState(ref);
  const host = state.hosts.find((h) => h.name === hostName);
  const problems = new ProblemList();
  if (!host) problems.add({ context: `lab ${state.name}`, message: `no host "${hostName}"`, hint: `hosts: ${state.hosts.map((h) => h.name).join(', ')}` });
  if (!inLabNet(state.net, newIp) || newIp === state.bridgeIp) {
    problems.add({ context: `lab ${state.name}`, message: `${newIp} is not a host address of the lab network ${state.net}.0.0/${state.prefixLen}`, hint: `pick a free address like ${state.net}.0.60` });
  }
  const owner = state.hosts.find((h) => h.ip === newIp);
  if (owner && owner.name !== hostName) problems.add({ context: `lab ${state.name}`, message: `${newIp} already belongs to ${owner.name}` });
  problems.throwIfAny();
  const h = host!;
  if (h.ip === newIp) return state;
  await runChecked(['ip', '-n', h.netns, 'addr', 'del', `${h.ip}/${state.prefixLen}`, 'dev', 'eth0']);
  await runChecked(['ip', '-n', h.netns, 'addr', 'add', `${newIp}/${state.prefixLen}`, 'dev', 'eth0']);
  h.ip = newIp;
  writeLabState(state);
  writeOutputs(state);
  return state;
}

/** argv for the real OpenSSH client to `host`, with strict host key checking against the lab's known_hosts. */
export function labSshCommand(ref: string | LabRef, hostName: string): string[] {
  const state = requireState(ref);
  const host = state.hosts.find((h) => h.name === hostName);
  if (!host) throw new K3playError({ context: `lab ${state.name}`, message: `no host "${hostName}"` });
  return sshArgv(state, host);
}

export function sshArgv(state: LabState, host: LabHost): string[] {
  return [
    'ssh', '-F', '/dev/null', '-i', state.keyFile,
    '-o', `UserKnownHostsFile=${state.knownHostsFile}`, '-o', 'StrictHostKeyChecking=yes',
    '-o', 'BatchMode=yes', '-o', 'IdentitiesOnly=yes', '-o', 'ConnectTimeout=10',
    `root@${host.ip}`,
  ];
}

function dirOfRef(ref: string | LabRef): string {
  const r: LabRef = typeof ref === 'string' ? { name: ref } : ref;
  const name = r.name ?? 'lab';
  checkLabName(name);
  return labDirOf(resolve(r.stateDir ?? defaultStateDir()), name);
}

function requireState(ref: string | LabRef): LabState {
  const state = readLabState(dirOfRef(ref));
  if (state === null) throw new K3playError({ context: 'lab', message: `no lab at ${dirOfRef(ref)}`, hint: 'start one with labUp' });
  return state;
}

function validateUp(opts: LabUpOptions, name: string, topology: string): void {
  checkLabName(name);
  const p = new ProblemList();
  const ctx = `lab ${name}`;
  if (!Number.isInteger(opts.full) || opts.full < 0 || opts.full > MAX_FULL_HOSTS) p.add({ context: ctx, message: `full must be an integer 0..${MAX_FULL_HOSTS} (got ${opts.full})` });
  if (!Number.isInteger(opts.light) || opts.light < 0 || opts.light > MAX_LIGHT_HOSTS) p.add({ context: ctx, message: `light must be an integer 0..${MAX_LIGHT_HOSTS} (got ${opts.light})` });
  if (!['default', 'ha-embedded', 'external-etcd', 'kubeadm'].includes(topology)) p.add({ context: ctx, message: `unknown topology "${topology}"`, hint: 'use default, ha-embedded, external-etcd or kubeadm' });
  if (opts.netOctet !== undefined && (!Number.isInteger(opts.netOctet) || opts.netOctet < 1 || opts.netOctet > 254)) p.add({ context: ctx, message: `netOctet must be 1..254 (got ${opts.netOctet})` });
  p.throwIfAny();
}

function newState(a: { name: string; dir: string; topology: LabTopology; net: string; baseDir: string; full: number; light: number }): LabState {
  const host = (kind: 'full' | 'light', hostName: string, ip: string): LabHost => ({
    name: hostName, kind, ip,
    netns: `k3pl-${a.name}-${hostName}`,
    upper: join(a.dir, hostName, 'upper'),
    work: join(a.dir, hostName, 'work'),
    merged: join(a.dir, hostName, 'merged'),
  });
  const hosts: LabHost[] = [];
  for (let n = 1; n <= a.full; n++) hosts.push(host('full', `h${n}`, fullHostIp(a.net, n)));
  for (let m = 1; m <= a.light; m++) hosts.push(host('light', `l${m}`, lightHostIp(a.net, m)));
  return {
    version: 1, name: a.name, dir: a.dir, topology: a.topology, net: a.net, prefixLen: LAB_PREFIX_LEN,
    bridge: `k3pl-${a.name}`, bridgeIp: bridgeIp(a.net), apiVip: vipIp(a.net), baseDir: a.baseDir,
    keyFile: join(a.dir, 'id_ed25519'), knownHostsFile: join(a.dir, 'known_hosts'), inventoryFile: join(a.dir, 'inventory.ini'),
    createdAt: new Date().toISOString(), ownerPid: process.pid, hosts, resources: [],
  };
}

/** The requested /16, or the first free one from 10.231 that no address here and no other lab uses. */
async function chooseNetOctet(stateDir: string, requested: number | undefined): Promise<number> {
  const used = parseIpAddrOutput((await runChecked(['ip', '-o', '-4', 'addr', 'show'])).stdout);
  if (requested !== undefined) {
    if (netInUse(requested, used)) {
      throw new K3playError({
        context: 'lab network',
        message: `10.${requested}.0.0/16 is already used on this machine (see \`ip -o addr\`)`,
        hint: 'pick another netOctet, or remove the lab that uses it (labDown)',
      });
    }
    return requested;
  }
  const otherLabs = await otherLabOctets(stateDir);
  for (let o = FIRST_LAB_OCTET; o <= LAST_LAB_OCTET; o++) if (!netInUse(o, used) && !otherLabs.has(o)) return o;
  throw new K3playError({
    context: 'lab network',
    message: `no free lab network between 10.${FIRST_LAB_OCTET}.0.0/16 and 10.${LAST_LAB_OCTET}.0.0/16`,
    hint: 'take down other labs (labDown) or pass netOctet',
  });
}

async function otherLabOctets(stateDir: string): Promise<Set<number>> {
  const out = new Set<number>();
  if (!existsSync(stateDir)) return out;
  for (const n of readdirSync(stateDir)) {
    try {
      const s = JSON.parse(readFileSync(join(stateDir, n, 'lab.json'), 'utf8')) as { net?: string };
      const o = Number(s.net?.split('.')[1]);
      if (Number.isInteger(o)) out.add(o);
    } catch {
      // not a lab dir
    }
  }
  return out;
}

async function createBridge(state: LabState): Promise<void> {
  recordResource(state, { kind: 'bridge', name: state.bridge });
  await runChecked(['ip', 'link', 'add', state.bridge, 'type', 'bridge', 'forward_delay', '0']);
  await runChecked(['ip', 'addr', 'add', `${state.bridgeIp}/${state.prefixLen}`, 'dev', state.bridge]);
  await runChecked(['ip', 'link', 'set', state.bridge, 'up']);
}

function raiseInotify(state: LabState, full: number): void {
  const old = readSysctl(INOTIFY_KEY);
  const set = String(Number(old) + full * INOTIFY_PER_FULL_HOST);
  recordResource(state, { kind: 'sysctl', key: INOTIFY_KEY, old, set });
  writeSysctl(INOTIFY_KEY, set);
}

async function waitAllSsh(state: LabState): Promise<void> {
  const running = (h: LabHost) => state.resources.some((r) => r.kind === 'pid' && r.host === h.name && isAlive(r.pid, r.startTime));
  const results = await Promise.all(state.hosts.map(async (h) => ({ h, ok: await waitForSsh(h.ip, SSH_WAIT_MS, () => running(h)) })));
  const bad = results.filter((r) => !r.ok);
  if (bad.length > 0) {
    throw new K3playError(
      bad.map(({ h }) => ({
        context: `lab host ${h.name}`,
        message: `sshd did not answer on ${h.ip}:22 (${running(h) ? 'still running' : 'process exited'})`,
        hint: `see ${join(state.dir, `${h.name}.log`)}`,
      })),
      ExitCode.internal,
    );
  }
}

function writeOutputs(state: LabState): void {
  atomicWrite(state.knownHostsFile, renderKnownHosts(state.hosts));
  atomicWrite(state.inventoryFile, renderInventory(state));
}

function atomicWrite(file: string, text: string): void {
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, text, { mode: 0o644 });
  renameSync(tmp, file); // readers never see a half-written file
}
