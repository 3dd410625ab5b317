/**
 * The physical floor of "one command per task per host", as a program of its own so the bench
 * measures it exactly like the tools (process start included). Two ways, both lock-step (task
 * k runs on every host before task k+1, as the linear strategy does):
 *
 *   controlmaster  plain OpenSSH clients over one already-open ControlMaster connection per
 *                  host (the bench opens the masters before, outside the measurement)
 *   shell          ONE ssh2 connection and ONE long-lived remote `/bin/sh -s` per host, each
 *                  command written to it with an end marker carrying the exit status
 *
 * Usage: node dist/bench/floor-runner.js MODE LAB_JSON HOSTS COMMANDS [CONTROL_DIR]
 * Prints one JSON line: {"connectMs":..., "commandsMs":...}. Host keys are checked against
 * the lab's generated keys. It runs only `/bin/true` on lab hosts.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import ssh2 from 'ssh2';
import type { LabHost, LabState } from '../src/lab/lab-state.js';

const { Client, utils } = ssh2;

function sshTrue(state: LabState, host: LabHost, controlDir: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const p = spawn('ssh', ['-F', '/dev/null', '-o', `ControlPath=${controlDir}/%h`, '-o', 'ControlMaster=no', '-i', state.keyFile, '-o', `UserKnownHostsFile=${state.knownHostsFile}`, '-o', 'StrictHostKeyChecking=yes', '-o', 'BatchMode=yes', `root@${host.ip}`, '/bin/true'], { stdio: 'ignore' });
    p.on('error', reject);
    p.on('close', (code) => resolve(code ?? 255));
  });
}

interface Shell {
  run(cmd: string): Promise<number>;
  end(): void;
}

function openShell(state: LabState, host: LabHost): Promise<Shell> {
  const key = readFileSync(state.keyFile);
  const want = utils.parseKey(host.hostKey ?? '');
  if (want instanceof Error) return Promise.reject(want);
  const wantBlob = (Array.isArray(want) ? want[0]! : want).getPublicSSH();
  return new Promise((resolve, reject) => {
    const c = new Client();
    c.on('error', reject);
    c.on('ready', () => {
      c.exec('/bin/sh -s', (err, ch) => {
        if (err) return reject(err);
        let buf = '';
        let waiting: { marker: string; resolve: (code: number) => void } | undefined;
        ch.on('data', (d: Buffer) => {
          buf += d.toString('latin1');
          if (!waiting) return;
          const re = new RegExp(`${waiting.marker} (\\d+)\\n`);
          const m = re.exec(buf);
          if (m) {
            buf = buf.slice(m.index + m[0].length);
            const w = waiting;
            waiting = undefined;
            w.resolve(Number(m[1]));
          }
        });
        resolve({
          run: (cmd) =>
            new Promise<number>((res) => {
              const marker = `m${randomBytes(8).toString('hex')}`;
              waiting = { marker, resolve: res };
              ch.write(`${cmd} </dev/null; printf '%s %d\\n' ${marker} "$?"\n`);
            }),
          end: () => {
            ch.end();
            c.end();
          },
        });
      });
    });
    c.connect({
      host: host.ip,
      username: 'root',
      privateKey: key,
      readyTimeout: 20_000,
      hostVerifier: (k: Buffer) => k.equals(wantBlob),
    });
    // Nagle off: one command is a few bytes, each answer waits on the previous one.
    c.on('connect', () => c.setNoDelay(true));
  });
}

async function main(): Promise<void> {
  const [mode, labJson, hostsCsv, commandsArg, controlDir] = process.argv.slice(2);
  if (!mode || !labJson || !hostsCsv || !commandsArg) throw new Error('usage: floor-runner MODE LAB_JSON HOSTS COMMANDS [CONTROL_DIR]');
  const state = JSON.parse(readFileSync(labJson, 'utf8')) as LabState;
  const names = hostsCsv.split(',');
  const hosts = names.map((n) => {
    const h = state.hosts.find((x) => x.name === n);
    if (!h) throw new Error(`no lab host ${n}`);
    return h;
  });
  const commands = Number(commandsArg);
  const t0 = performance.now();
  if (mode === 'controlmaster') {
    if (!controlDir) throw new Error('controlmaster needs CONTROL_DIR');
    for (let i = 0; i < commands; i++) {
      const codes = await Promise.all(hosts.map((h) => sshTrue(state, h, controlDir)));
      if (codes.some((c) => c !== 0)) throw new Error(`ssh exited ${codes.join(',')}`);
    }
    console.log(JSON.stringify({ connectMs: 0, commandsMs: performance.now() - t0 }));
    return;
  }
  if (mode !== 'shell') throw new Error(`unknown mode ${mode}`);
  const shells = await Promise.all(hosts.map((h) => openShell(state, h)));
  const t1 = performance.now();
  for (let i = 0; i < commands; i++) {
    const codes = await Promise.all(shells.map((s) => s.run('/bin/true')));
    if (codes.some((c) => c !== 0)) throw new Error(`command exited ${codes.join(',')}`);
  }
  const t2 = performance.now();
  for (const s of shells) s.end();
  console.log(JSON.stringify({ connectMs: t1 - t0, commandsMs: t2 - t1 }));
}

main().catch((e: unknown) => {
  console.error(`floor-runner: ${(e as Error).message}`);
  process.exit(1);
});
