/**
 * `k3play lab up|down|status|ssh|ip`: real Debian hosts on this machine (systemd-nspawn full
 * hosts, sshd-only light hosts) on a private bridge, to rehearse runbooks before touching a
 * site. Root and Linux only; the library in src/lab does the work and the teardown checks.
 */
import { spawn } from 'node:child_process';
import { ExitCode, K3playError } from '../errors/k3play-error.js';
import { labDown, labIp, labSshCommand, labStatus, labUp, type LabTopology } from '../lab/lab.js';
import { ensureBaseImage } from '../lab/base-image.js';

const TOPOLOGIES: readonly LabTopology[] = ['default', 'ha-embedded', 'external-etcd', 'kubeadm'];

export interface LabUpCli {
  name: string;
  light: boolean;
  lightHosts?: number;
  topology: string;
}

export async function labUpCommand(count: string, o: LabUpCli): Promise<number> {
  const n = Number(count);
  if (!Number.isInteger(n) || n < 1 || n > 400) throw new K3playError({ message: `lab up: host count must be 1..400 (got ${JSON.stringify(count)})`, hint: 'example: k3play lab up 5' });
  if (!TOPOLOGIES.includes(o.topology as LabTopology)) {
    throw new K3playError({ message: `lab up: unknown topology "${o.topology}"`, hint: `one of: ${TOPOLOGIES.join(', ')}` });
  }
  await ensureBaseImage({});
  const started = Date.now();
  const state = await labUp({
    name: o.name,
    full: o.light ? 0 : n,
    light: o.light ? n : (o.lightHosts ?? 0),
    topology: o.topology as LabTopology,
  });
  process.stdout.write(
    [
      `lab "${state.name}" up in ${((Date.now() - started) / 1000).toFixed(1)} s: ${state.hosts.length} hosts on ${state.net}.0.0/${state.prefixLen} (bridge ${state.bridge} ${state.bridgeIp}, API VIP ${state.apiVip})`,
      ...state.hosts.map((h) => `  ${h.name.padEnd(5)} ${h.kind.padEnd(5)} ${h.ip}`),
      `inventory:   ${state.inventoryFile}`,
      `known_hosts: ${state.knownHostsFile} (strict host key checking)`,
      '',
      'next:',
      `  k3play run playbooks/node-prep.yml -i ${state.inventoryFile}`,
      `  k3play lab ssh h1${o.name !== 'lab' ? ` --name ${o.name}` : ''}`,
      `  k3play lab down${o.name !== 'lab' ? ` --name ${o.name}` : ''}`,
      '',
    ].join('\n'),
  );
  return ExitCode.ok;
}

export async function labDownCommand(o: { name: string }): Promise<number> {
  await labDown({ name: o.name });
  process.stdout.write(`lab "${o.name}" is down; nothing left behind (netns, links, mounts, processes checked)\n`);
  return ExitCode.ok;
}

export async function labStatusCommand(o: { name: string; json: boolean }): Promise<number> {
  const st = await labStatus({ name: o.name });
  if (!st) {
    process.stdout.write(o.json ? 'null\n' : `no lab "${o.name}" (start one with: k3play lab up 5)\n`);
    return ExitCode.ok;
  }
  if (o.json) {
    process.stdout.write(`${JSON.stringify(st, null, 2)}\n`);
    return ExitCode.ok;
  }
  const running = st.hosts.filter((h) => h.running).length;
  process.stdout.write(
    [`lab "${st.name}": ${running}/${st.hosts.length} hosts running, network ${st.net}.0.0/16, inventory ${st.inventoryFile}`, ...st.hosts.map((h) => `  ${h.name.padEnd(5)} ${h.kind.padEnd(5)} ${h.ip.padEnd(15)} ${h.running ? 'running' : 'STOPPED'}`), ''].join('\n'),
  );
  return ExitCode.ok;
}

export async function labSshCommandCli(host: string, command: string[], o: { name: string }): Promise<number> {
  const argv = labSshCommand({ name: o.name }, host);
  return new Promise((resolve) => {
    const child = spawn(argv[0]!, [...argv.slice(1), ...command], { stdio: 'inherit' });
    child.on('close', (code) => resolve(code ?? 1));
  });
}

export async function labIpCommand(host: string, ip: string, o: { name: string }): Promise<number> {
  const state = await labIp({ name: o.name }, host, ip);
  process.stdout.write(`${host} now has ${ip}; ${state.inventoryFile} and ${state.knownHostsFile} updated (the host's own config is unchanged)\n`);
  return ExitCode.ok;
}
