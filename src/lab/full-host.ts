/**
 * Boots a full host: systemd as PID 1 under systemd-nspawn (flags exactly as LAB-NOTES), in a
 * new session (detached = setsid), joined to the lab bridge. Then its network namespace is
 * named (`ip netns attach`), host0 renamed to eth0 and addressed. Every pid, netns and link
 * is recorded before the next step. It does not wait for sshd (the caller does).
 */
import { spawn } from 'node:child_process';
import { openSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { K3playError, ExitCode } from '../errors/k3play-error.js';
import { recordResource, writeLabState, type LabHost, type LabState } from './lab-state.js';
import { childrenOf, pidNamespace, procIdentity } from './process-info.js';
import { runChecked, runCommand } from './run-command.js';

export function nspawnArgv(merged: string, bridge: string, machine: string): string[] {
  return [
    'systemd-nspawn', '--register=no', '--keep-unit', '-q', '--link-journal=no', '--resolv-conf=off',
    '--timezone=off', '--console=read-only', '-D', merged, `--network-bridge=${bridge}`, '-M', machine, '-b',
  ];
}

/** Machine names are unique per lab so two labs' nspawn veths (vb-<machine>) never collide. */
export function machineName(lab: string, host: string): string {
  return `${lab}-${host}`;
}

export async function startFullHost(state: LabState, host: LabHost): Promise<void> {
  const argv = nspawnArgv(host.merged, state.bridge, machineName(state.name, host.name));
  const log = openSync(join(state.dir, `${host.name}.log`), 'a');
  const child = spawn(argv[0]!, argv.slice(1), { detached: true, stdio: ['ignore', log, log] });
  closeSync(log);
  child.unref();
  const pid = child.pid;
  if (pid === undefined) throw hostError(host, 'systemd-nspawn did not start');
  const id = procIdentity(pid);
  recordResource(state, { kind: 'pid', pid, startTime: id?.startTime ?? '', cmdline: argv, host: host.name, role: 'nspawn' });
  let exited = false;
  child.on('exit', () => (exited = true));

  recordResource(state, { kind: 'netns', name: host.netns });
  // nspawn's short-lived helpers are children too: the container's PID 1 is the child in
  // another pid namespace that stays; retry when a candidate vanished before the attach.
  const mine = pidNamespace(process.pid);
  let attached = false;
  for (let attempt = 0; attempt < 5 && !attached; attempt++) {
    const pid1 = await waitFor(10_000, () => {
      if (exited) throw hostError(host, `systemd-nspawn exited early; see ${join(state.dir, `${host.name}.log`)}`);
      return childrenOf(pid).find((c) => {
        const ns = pidNamespace(c);
        return ns !== null && ns !== mine;
      }) ?? null;
    });
    if (pid1 === null) throw hostError(host, 'container PID 1 did not appear within 10 s');
    const init = procIdentity(pid1);
    if (init === null) continue;
    recordResource(state, { kind: 'pid', pid: pid1, startTime: init.startTime, cmdline: [...init.cmdline, '/usr/lib/systemd/systemd'], host: host.name, role: 'container-init' });
    attached = (await runCommand(['ip', 'netns', 'attach', host.netns, String(pid1)])).exitCode === 0;
    if (!attached) await new Promise((r) => setTimeout(r, 100));
  }
  if (!attached) throw hostError(host, `could not name the container's network namespace (ip netns attach ${host.netns})`);
  // nspawn moves host0 in and plugs its peer into the bridge right after the clone.
  const peer = await waitFor(10_000, async () => {
    const r = await runCommand(['ip', '-n', host.netns, '-o', 'link', 'show', 'host0']);
    const m = /host0@if(\d+)/.exec(r.stdout);
    return m ? Number(m[1]) : null;
  });
  if (peer === null) throw hostError(host, 'host0 did not appear in the container');
  const link = await linkNameByIndex(peer);
  if (link !== null) {
    host.link = link;
    recordResource(state, { kind: 'link', name: link });
  }
  const ns = ['ip', '-n', host.netns];
  await runChecked([...ns, 'link', 'set', 'host0', 'down']);
  await runChecked([...ns, 'link', 'set', 'host0', 'name', 'eth0']);
  await runChecked([...ns, 'addr', 'add', `${host.ip}/${state.prefixLen}`, 'dev', 'eth0']);
  await runChecked([...ns, 'link', 'set', 'eth0', 'up']);
  await runChecked([...ns, 'link', 'set', 'lo', 'up']);
  writeLabState(state);
}

async function linkNameByIndex(ifindex: number): Promise<string | null> {
  const r = await runCommand(['ip', '-o', 'link', 'show']);
  const m = new RegExp(`^${ifindex}: ([^:@]+)[@:]`, 'm').exec(r.stdout);
  return m ? m[1]! : null;
}

/** Polls `probe` every 50 ms until it returns non-null or the time is up (null). */
export async function waitFor<T>(timeoutMs: number, probe: () => T | null | Promise<T | null>): Promise<T | null> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== null) return v;
    if (Date.now() > deadline) return null;
    await new Promise((r) => setTimeout(r, 50));
  }
}

function hostError(host: LabHost, message: string): K3playError {
  return new K3playError({ context: `lab host ${host.name}`, message }, ExitCode.internal);
}
