/**
 * Rollout acceptance tests on a private lab of 36 light hosts (its own bridge and state dir,
 * removed in afterAll even on failure): 12 sites of 3 hosts, each site an INI inventory in
 * sites/ with the lab's known_hosts beside it. A "broken" site has one host whose inventory
 * points at a port nothing listens on (it refuses SSH). Every rollout runs the real CLI with
 * --json in a scratch directory, so the journal is that directory's .k3play/rollouts/ID/.
 *
 *   1. --check: nothing written on any host, changes grouped ("12 sites: same 2 changes"),
 *      and the HTML report of it opened in headless Chromium (summary table + a drill-down);
 *   2. canary passes, waves proceed, the broken site is reported, the others succeed; after the
 *      site is fixed, --resume runs only that site (only its failed host);
 *   3. failure budget: 3 broken sites, --max-failed-sites 2: no site starts after the third
 *      failure and the summary says why;
 *   4. SIGKILL during a rollout, then --resume: every site converged, none ran twice to the end.
 */
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labDown, labUp, sshArgv, type LabState } from '../../src/lab/lab.js';
import type { RolloutEndEvent, RolloutEvent, SiteEndEvent, SiteStartEvent } from '../../src/rollout/rollout-event.js';
import { parseJsonLines } from '../../src/rollout/rollout-journal.js';
import { k3play, repoRoot } from '../e2e/cli.js';
import { labSkipReason } from './lab-guard.js';
import { run } from './lab-run.js';
import { testLabName } from './shared-lab-config.js';
import { chromiumSkipReason, openReport } from '../report/html-browser.js';

const SITES = 12;
const PER_SITE = 3;
const LAB = testLabName('roll');

const PLAYBOOK = `
- name: edge site
  hosts: all
  gather_facts: false
  tasks:
    - name: config directory
      tags: [fleet]
      file: { path: /etc/k3play-roll, state: directory, mode: "0755" }
    - name: fleet config
      tags: [fleet]
      copy:
        dest: /etc/k3play-roll/fleet.conf
        content: "fleet=edge\\nchannel=stable\\n"
        mode: "0644"
    - name: site config
      copy:
        dest: /etc/k3play-roll/site.conf
        content: "site={{ k3play_site }}\\nhost={{ inventory_hostname }}\\n"
        mode: "0644"
    - name: a little work
      command: sleep {{default work_seconds "0"}}
      changed_when: false
`;

const siteName = (i: number) => `site${String(i + 1).padStart(2, '0')}`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function events(stdout: string): RolloutEvent[] {
  return parseJsonLines(stdout);
}

describe.skipIf(labSkipReason() !== null)(`rollout: ${SITES} sites of ${PER_SITE} light hosts`, () => {
  const stateDir = mkdtempSync(path.join(tmpdir(), 'k3play-acc-roll-'));
  const work = mkdtempSync(path.join(tmpdir(), 'k3play-acc-rollw-'));
  let state: LabState;

  /** Writes sites/<name>.ini for every site into dir; `broken` sites get one host on port 1. */
  function writeSites(dir: string, broken: readonly number[]): void {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    copyFileSync(state.knownHostsFile, path.join(dir, 'known_hosts'));
    for (let i = 0; i < SITES; i++) {
      const hosts = state.hosts.slice(i * PER_SITE, (i + 1) * PER_SITE);
      const lines = hosts.map((h, j) => `${h.name} ansible_host=${h.ip}${broken.includes(i) && j === 1 ? ' ansible_port=1' : ''}`);
      writeFileSync(
        path.join(dir, `${siteName(i)}.ini`),
        `[edge]\n${lines.join('\n')}\n\n[all:vars]\nansible_user=root\nansible_ssh_private_key_file=${state.keyFile}\n`,
      );
    }
  }

  const rollout = (args: readonly string[]) => k3play(['rollout', ...args, '--json'], { cwd: work });
  const endOf = (ev: RolloutEvent[]) => ev.find((e): e is RolloutEndEvent => e.type === 'rollout_end');
  const ssh = (host: string, cmd: string) => run([...sshArgv(state, state.hosts.find((h) => h.name === host)!), cmd]);

  beforeAll(async () => {
    const t0 = Date.now();
    state = await labUp({ name: LAB, light: SITES * PER_SITE, full: 0, stateDir, log: () => undefined });
    console.log(`rollout lab (${SITES * PER_SITE} light hosts) up in ${Date.now() - t0} ms`);
    writeFileSync(path.join(work, 'site.yml'), PLAYBOOK);
  }, 300_000);

  afterAll(async () => {
    await labDown({ name: LAB, stateDir }).catch((e: unknown) => console.error(`labDown ${LAB} failed: ${String(e)}`));
    rmSync(stateDir, { recursive: true, force: true });
    rmSync(work, { recursive: true, force: true });
  });

  it('1. --check writes nothing, groups identical changes across sites; the HTML report shows the table and a drill-down', async () => {
    writeSites(path.join(work, 'sites'), [4]);
    const r = await rollout(['site.yml', '--sites', 'sites/*.ini', '--check', '--diff', '--tags', 'fleet', '--site-concurrency', '6']);
    const ev = events(r.stdout);
    const end = endOf(ev)!;
    expect(end, r.stderr).toBeDefined();
    expect([r.code, end.counts.ok, end.counts.unreachable]).toEqual([3, 11, 1]);
    // Nothing was written.
    for (const h of ['l1', 'l20', 'l36']) expect((await ssh(h, 'test -e /etc/k3play-roll && echo present || echo absent')).stdout.trim()).toBe('absent');

    const rep = await k3play(['report', end.rolloutId, '--json'], { cwd: work });
    const doc = JSON.parse(rep.stdout) as { groups: { sites: string[]; changes: { task: string; hostsMin: number; hostsMax: number }[] }[] };
    // site05 lost one host (unreachable), but the changes it would make are the same ones.
    expect(doc.groups).toHaveLength(1);
    const g = doc.groups[0]!;
    expect([g.sites.length, [...new Set(g.changes.map((c) => c.task))]]).toEqual([12, ['config directory', 'fleet config']]);
    expect(g.changes.map((c) => [c.hostsMin, c.hostsMax])).toEqual(g.changes.map(() => [2, 3]));
    const text = await k3play(['report', end.rolloutId], { cwd: work });
    expect(text.stdout).toContain(`12 sites: same ${g.changes.length} changes`);

    const html = path.join(work, 'check-report.html');
    const h = await k3play(['report', end.rolloutId, '--html', html], { cwd: work });
    expect(h.code, h.stderr).toBe(0);
    if (chromiumSkipReason() !== null) {
      console.log(chromiumSkipReason());
      return;
    }
    const shot = path.join(repoRoot, 'test-results', 'rollout-report.png');
    const seen = await openReport(html, { clickSummaryOf: 'site01', screenshot: shot });
    console.log(`HTML report screenshot: ${shot}`);
    expect(seen.summaryRows).toBe(SITES);
    expect(seen.openSites.sort()).toEqual(['site01', 'site05']);
    expect(seen.visibleText).toContain('fleet=edge');
    expect(seen.visibleText).toContain(`12 sites: same ${g.changes.length} changes`);
    expect(seen.externalRequests).toEqual([]);
  }, 120_000);

  it('2. canary passes, waves proceed, the broken site is reported, the others succeed; --resume after the fix runs only that site', async () => {
    writeSites(path.join(work, 'sites'), [4]);
    const r = await rollout(['site.yml', '--sites', 'sites/*.ini', '--canary', '1', '--waves', '2,50%,100%', '--site-concurrency', '4']);
    const ev = events(r.stdout);
    const end = endOf(ev)!;
    expect(end, r.stderr).toBeDefined();
    const waves = ev.filter((e) => e.type === 'wave_start').map((e) => (e.type === 'wave_start' ? [e.canary, e.sites.length] : []));
    expect(waves).toEqual([[true, 1], [false, 2], [false, 6], [false, 3]]);
    const ends = ev.filter((e): e is SiteEndEvent => e.type === 'site_end');
    // Waves are barriers: when a site of wave w starts, every site of wave w-1 has ended.
    ev.forEach((e, i) => {
      if (e.type !== 'site_start') return;
      const before = ev.slice(0, i);
      const prevWave = before.filter((x): x is SiteStartEvent => x.type === 'site_start' && x.wave === e.wave - 1).map((x) => x.site);
      const ended = new Set(before.filter((x): x is SiteEndEvent => x.type === 'site_end').map((x) => x.site));
      expect(prevWave.filter((s) => !ended.has(s)), `${e.site} started before wave ${e.wave - 1} ended`).toEqual([]);
    });
    expect(ends[0]!.site).toBe('site01');
    expect(ends[0]!.status).toBe('ok');
    const status = Object.fromEntries(end.sites.map((s) => [s.site, s.status]));
    expect(status).toEqual(Object.fromEntries(Array.from({ length: SITES }, (_, i) => [siteName(i), i === 4 ? 'unreachable' : 'ok'])));
    expect(end.sites.find((s) => s.site === 'site05')!.message).toMatch(/^l14 unreachable: .*(refused|ECONNREFUSED)/i);
    expect(r.code).toBe(3);

    // Fix the broken site, resume: only site05 runs, and within it only l14.
    writeSites(path.join(work, 'sites'), []);
    const again = await rollout(['--resume', end.rolloutId]);
    const ev2 = events(again.stdout);
    const starts = ev2.filter((e): e is SiteStartEvent => e.type === 'site_start');
    expect([again.code, starts.map((s) => [s.site, s.hosts, s.resumedHosts])], again.stderr).toEqual([0, [['site05', ['l14'], ['l14']]]]);
    const end2 = endOf(ev2)!;
    expect([end2.attempt, end2.counts.ok]).toEqual([2, SITES]);
    expect((await ssh('l14', 'cat /etc/k3play-roll/site.conf')).stdout).toBe('site=site05\nhost=l14\n');
  }, 120_000);

  it('3. failure budget: with 3 broken sites and --max-failed-sites 2, no site starts after the third failure', async () => {
    writeSites(path.join(work, 'sites-budget'), [1, 2, 3]);
    const r = await rollout(['site.yml', '--sites', 'sites-budget', '--max-failed-sites', '2', '--site-concurrency', '2', '-e', 'work_seconds=1']);
    const ev = events(r.stdout);
    const end = endOf(ev)!;
    expect(end, r.stderr).toBeDefined();
    const failures = ev.filter((e): e is SiteEndEvent => e.type === 'site_end' && e.status !== 'ok');
    expect(failures.map((f) => f.site).sort()).toEqual(['site02', 'site03', 'site04']);
    const third = ev.indexOf(failures[2]!);
    const startedAfter = ev.slice(third + 1).filter((e) => e.type === 'site_start');
    expect(startedAfter).toEqual([]);
    const stop = ev.find((e) => e.type === 'rollout_stop');
    expect(stop && stop.type === 'rollout_stop' ? stop.reason : undefined).toBe('failure_budget');
    // Failures are listed in the order they happened.
    expect(end.stopMessage).toMatch(/^failure budget exceeded: 3 sites failed \((site0[234](, )?){3}\), more than --max-failed-sites 2; no new site was started after site0[234]; \d+ sites not started$/);
    expect(end.counts.not_started).toBeGreaterThan(0);
    expect(r.code).toBe(2);
    // The plain summary (what an operator reads) says why, too.
    const text = await k3play(['report', end.rolloutId], { cwd: work });
    expect(text.stdout).toMatch(/stopped: failure budget exceeded: 3 sites failed/);
  }, 120_000);

  it('4. SIGKILL during a rollout, then --resume: every site converged, none ran twice to completion', async () => {
    writeSites(path.join(work, 'sites-kill'), []);
    const id = `kill-${Date.now()}`;
    const child = spawn(process.execPath, [`${repoRoot}/bin/k3play.js`, 'rollout', 'site.yml', '--sites', 'sites-kill', '--site-concurrency', '3', '--rollout-id', id, '-e', 'work_seconds=1', '--json'], {
      cwd: work,
      env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: process.env['HOME'] ?? '/root', CI: '1' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((res) => child.on('exit', (code) => res(code)));
    const sitesDir = path.join(work, '.k3play', 'rollouts', id, 'sites');
    const siteEnds = () =>
      existsSync(sitesDir) ? readdirSync(sitesDir).flatMap((f) => parseJsonLines(readFileSync(path.join(sitesDir, f), 'utf8'))).filter((e) => e.type === 'site_end').length : 0;
    // Kill while some sites are done and others are running (wait-for-condition, bounded).
    const deadline = Date.now() + 60_000;
    while (siteEnds() < 4 && Date.now() < deadline) await sleep(50);
    child.kill('SIGKILL');
    await exited;
    const endedBefore = siteEnds();
    expect(endedBefore, stderr).toBeGreaterThanOrEqual(4);
    expect(endedBefore).toBeLessThan(SITES);

    const again = await rollout(['--resume', id, '-e', 'work_seconds=1']);
    const end = endOf(events(again.stdout))!;
    expect([again.code, end?.counts.ok], again.stderr).toEqual([0, SITES]);
    // The journal proves it: every site has exactly one ok site_end, over both attempts.
    for (let i = 0; i < SITES; i++) {
      const evs = parseJsonLines(readFileSync(path.join(sitesDir, `${siteName(i)}.jsonl`), 'utf8'));
      const oks = evs.filter((e) => e.type === 'site_end' && e.status === 'ok');
      expect([siteName(i), oks.length]).toEqual([siteName(i), 1]);
    }
    const resumed = events(again.stdout).filter((e) => e.type === 'site_start').length;
    expect(resumed).toBe(SITES - endedBefore);
    // Converged: a check rollout of the same playbook would change nothing anywhere.
    const check = await rollout(['site.yml', '--sites', 'sites-kill', '--check', '--site-concurrency', '6']);
    const cend = endOf(events(check.stdout))!;
    expect([check.code, cend.counts.ok, cend.sites.reduce((n, s) => n + s.changed, 0)], check.stderr).toEqual([0, SITES, 0]);
  }, 180_000);
});
