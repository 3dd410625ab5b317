/**
 * The lab's state file (<stateDir>/<name>/lab.json): every resource the lab creates is appended
 * here and the file rewritten atomically (temp + rename) BEFORE the next step, so a crashed
 * `labUp` or a killed test leaves a complete list for `labDown`. Sync writes on purpose: many
 * hosts come up concurrently and each append must be durable, in order, with no interleaving.
 * This file knows the shapes and paths; it creates or destroys nothing on the system.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { K3playError } from '../errors/k3play-error.js';

export type LabTopology = 'default' | 'ha-embedded' | 'external-etcd' | 'kubeadm';
export type HostKind = 'full' | 'light';

export interface LabHost {
  readonly name: string;
  readonly kind: HostKind;
  /** Current address (labIp updates it). */
  ip: string;
  readonly netns: string;
  readonly upper: string;
  readonly work: string;
  readonly merged: string;
  /** Host-side link on the bridge (veth peer), once known. */
  link?: string;
  /** `ssh-ed25519 AAAA...` of the generated host key, once written. */
  hostKey?: string;
}

export type LabResource =
  | { readonly kind: 'bridge'; readonly name: string }
  | { readonly kind: 'netns'; readonly name: string }
  | { readonly kind: 'link'; readonly name: string }
  | { readonly kind: 'mount'; readonly target: string }
  | {
      readonly kind: 'pid';
      readonly pid: number;
      readonly startTime: string;
      readonly cmdline: readonly string[];
      readonly host: string;
      /** nspawn: SIGTERM powers the container off; container-init: PID 1 of a full host; light-init: unshare of a light host. */
      readonly role: 'nspawn' | 'container-init' | 'light-init';
    }
  | { readonly kind: 'sysctl'; readonly key: string; readonly old: string; readonly set: string };

export interface LabState {
  readonly version: 1;
  readonly name: string;
  /** <stateDir>/<name>, absolute. */
  readonly dir: string;
  readonly topology: LabTopology;
  /** e.g. "10.231" (the lab uses 10.231.0.0/16; bridge .0.1). */
  readonly net: string;
  readonly prefixLen: number;
  readonly bridge: string;
  readonly bridgeIp: string;
  readonly apiVip: string;
  readonly baseDir: string;
  readonly keyFile: string;
  readonly knownHostsFile: string;
  readonly inventoryFile: string;
  readonly createdAt: string;
  readonly ownerPid: number;
  readonly hosts: LabHost[];
  /** In creation order; teardown walks it backwards per kind. */
  readonly resources: LabResource[];
}

export const LAB_NAME_RE = /^[a-z][a-z0-9]{0,9}$/;

export function defaultStateDir(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): string {
  return resolve(env['K3PLAY_LAB_STATE'] ?? join(cwd, '.k3play', 'lab'));
}

export function labDirOf(stateDir: string, name: string): string {
  return join(resolve(stateDir), name);
}

export function stateFileOf(labDir: string): string {
  return join(labDir, 'lab.json');
}

export function checkLabName(name: string): void {
  if (!LAB_NAME_RE.test(name)) {
    throw new K3playError({
      context: 'lab',
      message: `invalid lab name "${name}"`,
      hint: 'use 1-10 lowercase letters/digits starting with a letter (it becomes part of the bridge name k3pl-<name>)',
    });
  }
}

export function writeLabState(state: LabState): void {
  mkdirSync(state.dir, { recursive: true });
  const file = stateFileOf(state.dir);
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, `${JSON.stringify(state, null, 2)}\n`);
  renameSync(tmp, file);
}

export function readLabState(labDir: string): LabState | null {
  const file = stateFileOf(labDir);
  if (!existsSync(file)) return null;
  try {
    const s = JSON.parse(readFileSync(file, 'utf8')) as LabState;
    if (s.version !== 1 || !Array.isArray(s.resources)) throw new Error('unknown state version');
    return s;
  } catch (e) {
    throw new K3playError({
      context: 'lab',
      message: `unreadable lab state ${file}: ${(e as Error).message}`,
      hint: 'inspect the file; remove the lab resources by hand (ip netns list, ip link, /proc/mounts) and delete the directory',
    });
  }
}

/** Records a resource and persists the state before the caller moves on. */
export function recordResource(state: LabState, r: LabResource): void {
  state.resources.push(r);
  writeLabState(state);
}
