/**
 * Test helpers around the k3s TEST DOUBLE (k3s-double.py): a release mirror with the real
 * GitHub layout served on the lab bridge address (mirror.py, spawned; its request log kept),
 * the double's event records read from lab hosts, and a reset that removes k3s from hosts with
 * the uninstall scripts k3s_install wrote. Tests only; nothing here runs on a real site.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { LabState } from '../../../src/lab/lab-state.js';
import { labSsh } from '../../lab/shared-lab.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const MIRROR_PY = path.join(HERE, 'mirror.py');
export const RELEASE_PREFIX = 'k3s-io/k3s/releases/download';
/** The versions the example inventory uses (edge-site: all, servers group, canary h1). */
export const EXAMPLE_VERSIONS = ['v1.28.4+k3s2', 'v1.28.5+k3s1', 'v1.29.0+k3s1'] as const;

export interface K3sMirror {
  /** k3s_mirror_url: http://BRIDGE:PORT/k3s-io/k3s/releases/download */
  readonly url: string;
  /** The release tree on the controller (airgap_dir = releaseDir(version)). */
  readonly root: string;
  /** "GET /path 200" lines, in order. */
  readonly requests: string[];
  releaseDir(version: string): string;
  /** Stops the server (the mirror becomes unreachable); the files stay until close(). */
  stop(): Promise<void>;
  close(): Promise<void>;
}

function run(argv: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const p = spawn(argv[0]!, argv.slice(1), { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    p.stderr.on('data', (d: Buffer) => (err += d.toString()));
    p.on('error', reject);
    p.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${argv.join(' ')}: exit ${code}: ${err}`))));
  });
}

/** Builds the release tree for `versions` and serves it on `bindIp` (port chosen by the OS). */
export async function startK3sMirror(bindIp: string, versions: readonly string[] = EXAMPLE_VERSIONS, opts: { corrupt?: string } = {}): Promise<K3sMirror> {
  const root = await mkdtemp(path.join(tmpdir(), 'k3p-k3s-mirror-'));
  await run(['python3', MIRROR_PY, 'build', root, ...versions.flatMap((v) => ['--version', v]), ...(opts.corrupt ? ['--corrupt', opts.corrupt] : [])]);
  const child: ChildProcess = spawn('python3', [MIRROR_PY, 'serve', root, '--bind', bindIp], { stdio: ['ignore', 'pipe', 'pipe'] });
  const requests: string[] = [];
  const base = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    let first = true;
    lines.on('line', (l) => {
      if (first) {
        first = false;
        const m = /^serving (http:\/\/\S+)$/.exec(l);
        if (m) resolve(m[1]!);
        else reject(new Error(`mirror.py: unexpected first line ${l}`));
      } else requests.push(l);
    });
    child.once('exit', (code) => reject(new Error(`mirror.py serve exited with ${code}`)));
  });
  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  };
  return {
    url: `${base}/${RELEASE_PREFIX}`,
    root,
    requests,
    releaseDir: (v) => path.join(root, RELEASE_PREFIX, v),
    stop,
    close: async () => {
      await stop();
      await rm(root, { recursive: true, force: true });
    },
  };
}

export interface DoubleEvent {
  readonly ts: number;
  readonly host: string;
  readonly pid: number;
  readonly event: string;
  readonly [k: string]: unknown;
}

/** Every event the double recorded on these hosts, in time order. */
export async function doubleEvents(state: LabState, hosts: readonly string[]): Promise<DoubleEvent[]> {
  const all = await Promise.all(
    hosts.map(async (h) => {
      const r = await labSsh(state, h, 'cat /var/lib/k3s-double/events.jsonl 2>/dev/null || true');
      return r.stdout
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as DoubleEvent);
    }),
  );
  return all.flat().sort((a, b) => a.ts - b.ts);
}

/** Removes k3s from the hosts (the uninstall scripts, then leftovers) and the double's records. */
export async function removeK3s(state: LabState, hosts: readonly string[]): Promise<void> {
  await Promise.all(
    hosts.map((h) =>
      labSsh(
        state,
        h,
        'for s in /usr/local/bin/k3s-uninstall.sh /usr/local/bin/k3s-agent-uninstall.sh; do [ -x "$s" ] && "$s" >/dev/null 2>&1; done; ' +
          'systemctl disable --now k3s k3s-agent >/dev/null 2>&1; rm -rf /var/lib/rancher /etc/rancher /var/lib/k3s-double /usr/local/bin/k3s /etc/systemd/system/k3s*.service*; systemctl daemon-reload; true',
        120_000,
      ),
    ),
  );
}

/**
 * Up/down intervals of each server's k3s from the double's records: a server is up from its
 * `ready` to its next `stop`/`fatal` (or the end). Returns the smallest number of servers up at
 * any moment between `from` and `to`, and when.
 */
export function minServersUp(events: readonly DoubleEvent[], servers: readonly string[], from: number, to: number): { min: number; at: number } {
  const up = new Map<string, boolean>(servers.map((s) => [s, false]));
  const apply = (e: DoubleEvent): void => {
    if (e.event === 'ready') up.set(e.host, true);
    else if (e.event === 'stop' || e.event === 'fatal' || e.event === 'start') up.set(e.host, false);
  };
  for (const e of events) if (e.ts < from && servers.includes(e.host) && e.role === 'server') apply(e);
  const count = () => [...up.values()].filter(Boolean).length;
  let min = count();
  let at = from;
  for (const e of events) {
    if (e.ts < from || e.ts > to || !servers.includes(e.host) || e.role !== 'server') continue;
    apply(e);
    if (count() < min) {
      min = count();
      at = e.ts;
    }
  }
  return { min, at };
}

/**
 * The lab's connection settings without its groups ([lab_full] with the current addresses and
 * [all:vars]: user, key, known_hosts, api_vip), for tests that bring their own groups.
 */
export async function labConnectionInventory(state: LabState, file: string): Promise<string> {
  const lab = (await readFile(state.inventoryFile, 'utf8')).split('\n');
  const start = lab.indexOf('[lab_full]');
  await writeFile(file, [...lab.slice(start, lab.indexOf('', start)), '', ...lab.slice(lab.indexOf('[all:vars]'))].join('\n'));
  return file;
}
