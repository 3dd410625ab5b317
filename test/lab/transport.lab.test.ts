/**
 * Acceptance tests of the SSH transport on the shared lab (real hosts, real sshd): a playbook
 * on all 35 hosts with strict host key checking, converging twice; changed and unknown host
 * keys; a bastion (ProxyJump) when the target is firewalled from the controller; sudo become
 * with a password that never shows in process lists or output. Every change on a shared host
 * (nft rules, the deploy user) is undone in afterAll, also when a test fails.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sshArgv } from '../../src/lab/lab.js';
import { inHostNetns, labHost, recapSummary, run, runWithInventory, writeInventoryCopy } from './lab-run.js';
import { labSsh, sharedLabSkipReason, sharedLabState } from './shared-lab.js';

const skip = sharedLabSkipReason();

const CONVERGE = `
- name: converge over ssh
  hosts: all
  gather_facts: true
  tasks:
    - name: marker directory
      file: { path: /var/lib/k3play-acc, state: directory, mode: "0755" }
    - name: marker file
      file: { path: /var/lib/k3play-acc/marker, state: touch, mode: "0640" }
    - name: record the kernel once
      command:
        cmd: uname -r > /var/lib/k3play-acc/kernel
        creates: /var/lib/k3play-acc/kernel
`;

const SMALL = `
- name: small
  hosts: all
  gather_facts: false
  tasks:
    - name: who am i
      command: hostname
`;

describe.skipIf(skip !== null)('ssh transport acceptance (shared lab)', () => {
  const tmp = mkdtempSync(path.join(tmpdir(), 'k3play-acc-transport-'));
  const cleanups: (() => Promise<unknown>)[] = [];
  afterAll(async () => {
    for (const c of cleanups.reverse()) await c().catch((e: unknown) => console.error(`cleanup failed: ${String(e)}`));
    const state = sharedLabState();
    await Promise.all(state.hosts.map((h) => labSsh(state, h.name, 'rm -rf /var/lib/k3play-acc')));
    rmSync(tmp, { recursive: true, force: true });
  });

  it('1. a playbook (facts, file, command) converges on all 5 full + 30 light hosts, then changes nothing', async () => {
    const state = sharedLabState();
    const first = await runWithInventory(state.inventoryFile, CONVERGE);
    console.log(`converge 35 hosts: first run ${first.wallMs} ms`);
    expect(first.stderr).toBe('');
    expect(Object.keys(first.recap).sort()).toEqual(state.hosts.map((h) => h.name).sort());
    expect(first.failed).toBe(0);
    expect(first.code).toBe(0);
    const second = await runWithInventory(state.inventoryFile, CONVERGE);
    console.log(`converge 35 hosts: second run ${second.wallMs} ms`);
    expect(second.code).toBe(0);
    expect(Object.keys(second.recap)).toHaveLength(35);
    expect(recapSummary(second)).toEqual(Object.fromEntries(state.hosts.map((h) => [h.name, expect.stringContaining('changed=0 failed=0 unreachable=0')])));
  }, 120_000);

  it('2a. a changed host key is refused (also with --accept-new-host-keys); the other hosts run', async () => {
    const state = sharedLabState();
    const dir = mkdtempSync(path.join(tmp, 'changed-'));
    const keyFile = path.join(dir, 'other');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', keyFile]);
    const otherKey = readFileSync(`${keyFile}.pub`, 'utf8').trim().split(/\s+/).slice(0, 2).join(' ');
    const h2 = labHost(state, 'h2');
    const knownHosts = path.join(dir, 'known_hosts');
    const lines = readFileSync(state.knownHostsFile, 'utf8').split('\n');
    expect(lines.filter((l) => l.startsWith(`${h2.ip},h2 `))).toHaveLength(1);
    writeFileSync(knownHosts, lines.map((l) => (l.startsWith(`${h2.ip},h2 `) ? `${h2.ip},h2 ${otherKey}` : l)).join('\n'));
    const inv = await writeInventoryCopy(state, dir, { commonArgs: `-o UserKnownHostsFile=${knownHosts} -o StrictHostKeyChecking=yes` });

    for (const args of [['--limit', 'lab_full'], ['--limit', 'lab_full', '--accept-new-host-keys']]) {
      const r = await runWithInventory(inv, SMALL, { args });
      expect(r.code, r.stderr).toBe(3);
      expect(r.recap['h2']?.unreachable).toBe(1);
      const msg = r.results.find((x) => x.host === 'h2')?.msg ?? '';
      expect(msg).toContain('REMOTE HOST IDENTIFICATION HAS CHANGED');
      for (const h of ['h1', 'h3', 'h4', 'h5']) expect([h, r.recap[h]?.failed, r.recap[h]?.unreachable, r.recap[h]?.ok]).toEqual([h, 0, 0, 1]);
    }
    // The changed line is still the planted one: nothing was "fixed" behind the operator's back.
    expect(readFileSync(knownHosts, 'utf8')).toContain(`${h2.ip},h2 ${otherKey}`);
  });

  it('2b. an unknown host key is refused with its SHA256 fingerprint and a hint; --accept-new-host-keys records it', async () => {
    const state = sharedLabState();
    const dir = mkdtempSync(path.join(tmp, 'empty-'));
    const knownHosts = path.join(dir, 'known_hosts');
    writeFileSync(knownHosts, '');
    const inv = await writeInventoryCopy(state, dir, { commonArgs: `-o UserKnownHostsFile=${knownHosts}` });
    const limit = ['--limit', 'h1,h2,l1,l2'];

    const refused = await runWithInventory(inv, SMALL, { args: limit });
    expect(refused.code).toBe(3);
    const h1 = refused.results.find((x) => x.host === 'h1');
    expect(h1?.status).toBe('unreachable');
    expect(`${h1?.msg ?? ''} ${h1?.hint ?? ''}`).toMatch(/SHA256:[A-Za-z0-9+/]{43}/);
    expect(`${h1?.msg ?? ''} ${h1?.hint ?? ''}`).toContain('--accept-new-host-keys');
    expect(readFileSync(knownHosts, 'utf8')).toBe('');

    const accepted = await runWithInventory(inv, SMALL, { args: [...limit, '--accept-new-host-keys'] });
    expect([accepted.code, accepted.failed], accepted.stderr).toEqual([0, 0]);
    const recorded = readFileSync(knownHosts, 'utf8');
    for (const name of ['h1', 'h2', 'l1', 'l2']) {
      const h = labHost(state, name);
      // The recorded key is the host's real key (the one the lab generated).
      expect(recorded.split('\n').some((l) => l.includes(h.ip) && h.hostKey !== undefined && l.endsWith(h.hostKey.split(' ')[1]!))).toBe(true);
    }
    const again = await runWithInventory(inv, SMALL, { args: limit });
    expect([again.code, again.failed]).toEqual([0, 0]);
  });

  it('3. a host reachable only through a bastion (ProxyJump) runs the playbook', async () => {
    const state = sharedLabState();
    const h1 = labHost(state, 'h1');
    const h3 = labHost(state, 'h3');
    // h3 accepts ssh from h1 and drops it from the controller (the bridge address).
    const table = 'k3play_acc_bastion';
    cleanups.push(() => inHostNetns(state, 'h3', ['nft', 'delete', 'table', 'inet', table]));
    const nft = await inHostNetns(state, 'h3', [
      'nft',
      `add table inet ${table}; add chain inet ${table} input { type filter hook input priority 0; policy accept; }; ` +
        `add rule inet ${table} input ip saddr ${h1.ip} tcp dport 22 accept; ` +
        `add rule inet ${table} input ip saddr ${state.bridgeIp} tcp dport 22 drop`,
    ]);
    expect(nft.code, nft.stderr).toBe(0);
    // Plain ssh from the controller now fails (dropped: a 2 s connect timeout is enough).
    const direct = await run(sshArgv(state, h3).map((a) => (a === 'ConnectTimeout=10' ? 'ConnectTimeout=2' : a)).concat('hostname'));
    expect(direct.code).not.toBe(0);
    expect(direct.stderr).toMatch(/timed out/i);

    const dir = mkdtempSync(path.join(tmp, 'bastion-'));
    const inv = await writeInventoryCopy(state, dir, {
      hostVars: { h3: `ansible_ssh_common_args="-o ProxyJump=root@${h1.ip} -o UserKnownHostsFile=${state.knownHostsFile}"` },
    });
    const r = await runWithInventory(inv, CONVERGE.replace('hosts: all', 'hosts: h3'));
    expect([r.code, r.failed, Object.keys(r.recap)], `${r.stderr}\n${JSON.stringify(r.results.filter((x) => x.status === 'unreachable'))}`).toEqual([0, 0, ['h3']]);
    // Restore now (afterAll repeats it, harmlessly failing, if this line is never reached).
    expect((await inHostNetns(state, 'h3', ['nft', 'delete', 'table', 'inet', table])).code).toBe(0);
    expect((await labSsh(state, 'h3', 'hostname')).stdout.trim()).toBe('h3');
  }, 60_000);

  it('4. become with a sudo password: root-owned file written, password never in ps or output', async () => {
    const state = sharedLabState();
    const password = `Pw-${Math.random().toString(36).slice(2)}-k3acc`;
    const pub = readFileSync(`${state.keyFile}.pub`, 'utf8').trim();
    cleanups.push(() => labSsh(state, 'h4', 'userdel -r deploy 2>/dev/null; rm -f /etc/sudoers.d/deploy /root/k3play-become-test /tmp/k3play-ps-stop; true'));
    const setup = await labSsh(
      state,
      'h4',
      `set -e; id deploy >/dev/null 2>&1 || useradd -m -s /bin/bash deploy; ` +
        `printf '%s\\n' 'deploy:${password}' | chpasswd; ` +
        `echo 'deploy ALL=(ALL:ALL) ALL' > /etc/sudoers.d/deploy; chmod 0440 /etc/sudoers.d/deploy; visudo -cf /etc/sudoers.d/deploy >/dev/null; ` +
        `install -d -m 0700 -o deploy -g deploy ~deploy/.ssh; printf '%s\\n' '${pub}' > ~deploy/.ssh/authorized_keys; ` +
        `chown deploy:deploy ~deploy/.ssh/authorized_keys; chmod 0600 ~deploy/.ssh/authorized_keys; ` +
        `rm -f /root/k3play-become-test /tmp/k3play-ps-stop; su - deploy -c 'sudo -n true' 2>/dev/null && echo NOPASSWD || echo needs-password`,
    );
    expect([setup.code, setup.stdout.trim()], setup.stderr).toEqual([0, 'needs-password']);

    const dir = mkdtempSync(path.join(tmp, 'become-'));
    // The password goes in the inventory copy: `-e ansible_become_password=...` is not yet used
    // for connections (the engine builds them from inventory + facts only; see the report).
    const inv = await writeInventoryCopy(state, dir, { hostVars: { h4: `ansible_user=deploy ansible_become_password=${password}` } });
    const playbook = `
- name: become
  hosts: h4
  gather_facts: true
  become: true
  tasks:
    - name: a file only root may write
      file: { path: /root/k3play-become-test, state: touch, mode: "0600" }
    - name: as root
      command: sleep 1
`;
    // Sample the process lists on h4 and on the controller every ~20 ms during the run.
    const remote = labSsh(
      state,
      'h4',
      `for i in $(seq 1 1500); do ps -eo args; [ -e /tmp/k3play-ps-stop ] && break; sleep 0.02; done`,
      120_000,
    );
    const local = spawn('sh', ['-c', `while [ ! -e ${dir}/stop ]; do ps -eo args; sleep 0.02; done`], { stdio: ['ignore', 'pipe', 'ignore'] });
    let localPs = '';
    local.stdout.on('data', (d: Buffer) => (localPs += d.toString()));
    const localDone = new Promise<void>((resolve) => local.on('close', () => resolve()));
    await new Promise((r) => setTimeout(r, 300));

    let r;
    try {
      r = await runWithInventory(inv, playbook);
    } finally {
      writeFileSync(path.join(dir, 'stop'), '');
      await labSsh(state, 'h4', 'touch /tmp/k3play-ps-stop');
    }
    const [remotePs] = await Promise.all([remote, localDone]);
    expect([r.code, r.failed, r.recap['h4']?.changed], `${r.stderr}\n${r.stdout}`).toEqual([0, 0, 2]);
    const owner = await labSsh(state, 'h4', 'stat -c "%U %a" /root/k3play-become-test');
    expect(owner.stdout.trim()).toBe('root 600');
    expect(remotePs.stdout.split('\n').length).toBeGreaterThan(100);
    expect(localPs.split('\n').length).toBeGreaterThan(100);
    expect(remotePs.stdout).not.toContain(password);
    expect(localPs).not.toContain(password);
    expect(r.stdout).not.toContain(password);
    expect(r.stderr).not.toContain(password);
  }, 90_000);
});
