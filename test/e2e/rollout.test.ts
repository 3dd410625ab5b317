/**
 * `k3play rollout` and `k3play report` end to end, through the built CLI, on sites whose hosts
 * use the local connection (no lab needed): JSON events, invalid input reported at once,
 * canary stop, Ctrl-C leaving a resumable journal, secrets kept out of output and journal,
 * -e checked on resume, --site-index (what each pod of the emitted Job runs), and the emitted
 * Kubernetes manifest validated against the Job and ConfigMap schemas in
 * src/rollout/testdata/k8s/. The lab test (test/lab/rollout.lab.test.ts) does it over SSH.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Ajv } from 'ajv';
import { parseAllDocuments } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import type { RolloutEndEvent, RolloutEvent } from '../../src/rollout/rollout-event.js';
import { parseJsonLines } from '../../src/rollout/rollout-journal.js';
import { k3play, repoRoot } from './cli.js';

const scratch = mkdtempSync(path.join(tmpdir(), 'k3play-e2e-roll-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A scratch project: `n` sites of two local hosts each under sites/, and site.yml. */
function project(name: string, n: number, playbook: string): string {
  const dir = path.join(scratch, name);
  mkdirSync(path.join(dir, 'sites'), { recursive: true });
  mkdirSync(path.join(dir, 'out'), { recursive: true });
  for (let i = 1; i <= n; i++) writeFileSync(path.join(dir, 'sites', `s${i}.ini`), 'a ansible_connection=local\nb ansible_connection=local\n');
  writeFileSync(path.join(dir, 'site.yml'), playbook.replaceAll('OUT', path.join(dir, 'out')));
  return dir;
}

const MARKER = `
- name: marker
  hosts: all
  gather_facts: false
  tasks:
    - name: marker file
      copy: { dest: "OUT/{{ k3play_site }}-{{ inventory_hostname }}", content: "ok\\n" }
    - name: maybe fail
      command: "false"
      when: fail_sites is defined and k3play_site in fail_sites
    - name: maybe wait
      command: sleep {{default pause "0"}}
      changed_when: false
`;

const endOf = (ev: RolloutEvent[]) => ev.find((e): e is RolloutEndEvent => e.type === 'rollout_end');

describe('k3play rollout (local sites)', () => {
  it('--help has examples and the exit codes', async () => {
    const r = await k3play(['rollout', '--help']);
    expect(r.code).toBe(0);
    for (const s of ['--sites', '--site-concurrency', '--canary', '--waves', '--max-failed-sites', '--resume', '--emit-k8s-job', 'Examples:', 'Exit codes']) expect(r.stdout).toContain(s);
  });

  it('--json: rollout_start first, every site event tagged with its site, rollout_end last (stable shape)', async () => {
    const dir = project('json', 3, MARKER);
    const r = await k3play(['rollout', 'site.yml', '--sites', 'sites/*.ini', '--json', '--site-concurrency', '2'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    const ev = parseJsonLines(r.stdout);
    expect(ev[0]).toMatchObject({ type: 'rollout_start', version: 1, attempt: 1, sites: ['s1', 's2', 's3'], pending: ['s1', 's2', 's3'], siteConcurrency: 2 });
    expect(ev.at(-1)).toMatchObject({ type: 'rollout_end', exitCode: 0, counts: { ok: 3 } });
    const types = new Set(ev.map((e) => e.type));
    for (const t of ['wave_start', 'site_start', 'run_start', 'task_start', 'host_result', 'run_end', 'site_end', 'wave_end']) expect(types).toContain(t);
    for (const e of ev.filter((x) => ['run_start', 'host_result', 'site_start', 'site_end'].includes(x.type))) expect((e as { site?: string }).site).toMatch(/^s[123]$/);
    const end = endOf(ev)!;
    expect(end.sites.map((s) => [s.site, s.status, s.hosts, s.changed])).toEqual([['s1', 'ok', 2, 2], ['s2', 'ok', 2, 2], ['s3', 'ok', 2, 2]]);
    // The journal holds the same events, per site.
    const jdir = path.join(dir, '.k3play', 'rollouts', end.rolloutId);
    expect(readdirSync(path.join(jdir, 'sites')).sort()).toEqual(['s1.jsonl', 's2.jsonl', 's3.jsonl']);
    expect(readFileSync(path.join(jdir, 'rollout.json'), 'utf8')).toContain('"sitesSpec": "sites/*.ini"');
  });

  it('plain output (CI): a line per site, the recap table, where the journal is', async () => {
    const dir = project('plain', 2, MARKER);
    const r = await k3play(['rollout', 'site.yml', '--sites', 'sites'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^s1: ok 2 hosts changed=2 \(\d+\.\ds\)$/m);
    expect(r.stdout).toMatch(/ROLLOUT RECAP \*+\nsite +wave +status +hosts +changed +failed +duration\ns1 +1 +ok +2 +2 +0/);
    expect(r.stdout).toMatch(/^journal: \.k3play\/rollouts\/\d{8}-\d{6}-[0-9a-f]{4}$/m);
    expect(r.stdout).not.toMatch(/\u001b\[/); // NO_COLOR (set by the helper)
  });

  it.skipIf(spawnSync('script', ['--version']).status !== 0)('on a terminal: the live listr2 view, one block per wave, then the recap', () => {
    const dir = project('tty', 3, MARKER);
    const res = spawnSync('script', ['-qfec', `stty cols 100 rows 40; ${process.execPath} ${repoRoot}/bin/k3play.js rollout site.yml --sites sites --canary 1`, '/dev/null'], {
      cwd: dir,
      encoding: 'utf8',
      timeout: 30_000,
      env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: process.env['HOME'] ?? '/root', TERM: 'xterm-256color', NO_COLOR: '1' },
    });
    expect(res.status, res.stdout).toBe(0);
    expect(res.stdout).toContain('\u001b[?25l'); // listr2 hid the cursor: the live renderer ran
    const text = res.stdout.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '');
    expect(text).toMatch(/WAVE 1\/2 \(canary\): 1 site \(s1\)/);
    expect(text).toMatch(/WAVE 2\/2: 2 sites \(s2, s3\)  ok=2/); // collapsed to its counts
    expect(text).toMatch(/ROLLOUT RECAP[\s\S]*3 sites in [\d.]+s: ok=3/);
  });

  it('invalid input: every problem of every site at once, exit 4, nothing run', async () => {
    const dir = project('invalid', 3, MARKER);
    writeFileSync(path.join(dir, 'sites', 's2.ini'), '[g\na\n');
    writeFileSync(path.join(dir, 'sites', 's3.ini'), 'b ansible_connection=local\n[grp\n');
    const r = await k3play(['rollout', 'site.yml', '--sites', 'sites/*.ini', '--limit', 'a'], { cwd: dir });
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/sites\/s2\.ini:1:1 +site s2/);
    expect(r.stderr).toMatch(/sites\/s3\.ini:2:1 +site s3/);
    expect(r.stderr).toMatch(/\d problems found/);
    expect(readdirSync(path.join(dir, 'out'))).toEqual([]);
    const none = await k3play(['rollout', 'site.yml', '--sites', 'nowhere/*.ini'], { cwd: dir });
    expect([none.code, none.stderr]).toEqual([4, expect.stringMatching(/no sites found for "nowhere\/\*\.ini"[\s\S]*hint: give a glob/)]);
  });

  it('a failing canary stops the rollout: no other site starts, exit 2', async () => {
    const dir = project('canary', 4, MARKER);
    const r = await k3play(['rollout', 'site.yml', '--sites', 'sites/*.ini', '--canary', '1', '-e', 'fail_sites=s1', '--json'], { cwd: dir });
    const ev = parseJsonLines(r.stdout);
    expect(r.code).toBe(2);
    expect(ev.filter((e) => e.type === 'site_start').map((e) => (e as { site: string }).site)).toEqual(['s1']);
    expect(endOf(ev)!.stopMessage).toBe('canary failed (s1): no other site was started; 3 sites not started');
  });

  it('Ctrl-C: running sites finish, no new site starts, exit 130; --resume runs only the rest', async () => {
    const dir = project('sigint', 4, MARKER);
    const child = spawn(process.execPath, [`${repoRoot}/bin/k3play.js`, 'rollout', 'site.yml', '--sites', 'sites/*.ini', '--site-concurrency', '1', '-e', 'pause=1', '--json'], {
      cwd: dir,
      env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: process.env['HOME'] ?? '/root', CI: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      // Interrupt as soon as the first site runs its slow task.
      if (out.includes('"task":"maybe wait"') && !child.killed) child.kill('SIGINT');
    });
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const code = await new Promise<number | null>((res) => child.on('exit', (c) => res(c)));
    const ev = parseJsonLines(out);
    expect([code, err]).toEqual([130, expect.stringContaining('interrupted: no new site starts')]);
    expect(ev.filter((e) => e.type === 'site_end').map((e) => [(e as { site: string }).site, (e as { status: string }).status])).toEqual([['s1', 'ok']]);
    const end = endOf(ev)!;
    expect([end.stopReason, end.counts.not_started]).toEqual(['interrupted', 3]);

    const again = await k3play(['rollout', '--resume', end.rolloutId, '-e', 'pause=1', '--json'], { cwd: dir });
    const ev2 = parseJsonLines(again.stdout);
    expect([again.code, ev2.filter((e) => e.type === 'site_start').map((e) => (e as { site: string }).site)], again.stderr).toEqual([0, ['s2', 's3', 's4']]);
  }, 30_000);

  it('--resume refuses other -e values (they are not stored) and flags that change the rollout', async () => {
    const dir = project('resume-e', 2, MARKER);
    const r = await k3play(['rollout', 'site.yml', '--sites', 'sites/*.ini', '-e', 'fail_sites=s2', '--json'], { cwd: dir });
    const id = endOf(parseJsonLines(r.stdout))!.rolloutId;
    expect(r.code).toBe(2);
    expect(readFileSync(path.join(dir, '.k3play', 'rollouts', id, 'rollout.json'), 'utf8')).not.toContain('fail_sites');
    const other = await k3play(['rollout', '--resume', id], { cwd: dir });
    expect([other.code, other.stderr]).toEqual([4, expect.stringMatching(/started with 1 -e argument\(s\); this resume gives 0[\s\S]*give exactly the same -e arguments again/)]);
    const flag = await k3play(['rollout', '--resume', id, '--check', '-e', 'fail_sites=s2'], { cwd: dir });
    expect([flag.code, flag.stderr]).toEqual([4, expect.stringContaining('--check cannot be given with --resume')]);
    const unknown = await k3play(['rollout', '--resume', 'nope'], { cwd: dir });
    expect([unknown.code, unknown.stderr]).toEqual([4, expect.stringMatching(/no rollout "nope"[\s\S]*known rollouts/)]);
  });

  it('vault secrets never reach the output or the journal', async () => {
    const dir = project('secret', 2, `
- name: secret
  hosts: all
  gather_facts: false
  tasks:
    - name: token file
      copy: { dest: "OUT/{{ k3play_site }}-{{ inventory_hostname }}.token", content: "token={{ k3s_token }}\\n" }
`);
    const token = `K10-rollout-${Math.random().toString(36).slice(2)}`;
    writeFileSync(path.join(dir, 'pw'), 'vault-pass\n');
    writeFileSync(path.join(dir, 'vars.yml'), `k3s_token: ${token}\n`);
    const enc = await k3play(['vault', 'encrypt', 'vars.yml', '--vault-password-file', 'pw'], { cwd: dir });
    expect(enc.code, enc.stderr).toBe(0);
    const r = await k3play(['rollout', 'site.yml', '--sites', 'sites/*.ini', '-e', '@vars.yml', '--vault-password-file', 'pw', '--diff', '-v', '--json'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(path.join(dir, 'out', 's1-a.token'), 'utf8')).toBe(`token=${token}\n`);
    const id = endOf(parseJsonLines(r.stdout))!.rolloutId;
    const rep = await k3play(['report', id, '--html', 'r.html', '--diff'], { cwd: dir });
    const journal = path.join(dir, '.k3play', 'rollouts', id);
    const files = [path.join(journal, 'rollout.json'), path.join(journal, 'rollout.jsonl'), ...readdirSync(path.join(journal, 'sites')).map((f) => path.join(journal, 'sites', f)), path.join(dir, 'r.html')];
    for (const text of [r.stdout, r.stderr, rep.stdout, ...files.map((f) => readFileSync(f, 'utf8'))]) expect(text).not.toContain(token);
    expect(readFileSync(path.join(journal, 'sites', 's1.jsonl'), 'utf8')).toContain('token=********');
  });

  it('--site-index N runs one site and writes only its journal file (what a pod of the Job does)', async () => {
    const dir = project('index', 3, MARKER);
    const r = await k3play(['rollout', 'site.yml', '--sites', 'sites/*.ini', '--site-index', '1', '--rollout-id', 'job-1', '--journal-dir', 'journal', '--json'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(readdirSync(path.join(dir, 'out')).sort()).toEqual(['s2-a', 's2-b']);
    expect(readdirSync(path.join(dir, 'journal', 'job-1', 'sites'))).toEqual(['s2.jsonl']);
    expect(existsSync(path.join(dir, 'journal', 'job-1', 'rollout.jsonl'))).toBe(false);
    const bad = await k3play(['rollout', 'site.yml', '--sites', 'sites/*.ini', '--site-index', '3'], { cwd: dir });
    expect([bad.code, bad.stderr]).toEqual([4, expect.stringContaining('no site with index 3 (the list has 3, indexes 0-2)')]);
  });

  it('a YAML site list: per-site vars under the inventory, errors at file:line:col', async () => {
    const dir = project('list', 2, `
- name: vars
  hosts: all
  gather_facts: false
  tasks:
    - copy: { dest: "OUT/{{ k3play_site }}-{{ inventory_hostname }}", content: "{{ greeting }} {{ region }}\\n" }
`);
    writeFileSync(path.join(dir, 'sites', 's2.ini'), 'a ansible_connection=local\n[all:vars]\nregion=from-inventory\n');
    writeFileSync(path.join(dir, 'sites.yml'), 'vars:\n  greeting: hello\nsites:\n  - name: east\n    inventory: sites/s1.ini\n    vars: { region: eu-east }\n  - name: west\n    inventory: [sites/s2.ini]\n    vars: { region: eu-west }\n');
    const r = await k3play(['rollout', 'site.yml', '--sites', 'sites.yml'], { cwd: dir });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(readFileSync(path.join(dir, 'out', 'east-a'), 'utf8')).toBe('hello eu-east\n');
    expect(readFileSync(path.join(dir, 'out', 'west-a'), 'utf8')).toBe('hello from-inventory\n'); // the inventory wins
    writeFileSync(path.join(dir, 'bad.yml'), 'sites:\n  - name: ok\n    inventory: sites/s1.ini\n  - name: "no/slash"\n    inventory: sites/none.ini\n    vras: {}\n');
    const bad = await k3play(['rollout', 'site.yml', '--sites', 'bad.yml'], { cwd: dir });
    expect(bad.code).toBe(4);
    expect(bad.stderr).toMatch(/bad\.yml:6:5[\s\S]*vras/);
  });
});

describe('k3play rollout --emit-k8s-job', () => {
  const schemas = path.join(repoRoot, 'src', 'rollout', 'testdata', 'k8s');
  const ajv = new Ajv({ allErrors: true, strict: false });
  ajv.addSchema(JSON.parse(readFileSync(path.join(schemas, 'v1-configmap.schema.json'), 'utf8')), 'v1-configmap.schema.json');
  const validateJob = ajv.compile(JSON.parse(readFileSync(path.join(schemas, 'batch-v1-job.schema.json'), 'utf8')));
  const validateConfigMap = ajv.getSchema('v1-configmap.schema.json')!;

  it('writes an Indexed Job (one completion per site, parallelism = site concurrency) and its ConfigMap, valid against the schemas', async () => {
    const dir = project('k8s', 5, MARKER);
    mkdirSync(path.join(dir, 'sites', 'group_vars'));
    writeFileSync(path.join(dir, 'sites', 'group_vars', 'all.yml'), 'ntp: pool.example\n');
    writeFileSync(path.join(dir, 'vars.yml'), 'channel: stable\n');
    const r = await k3play(['rollout', 'site.yml', '--sites', 'sites/*.ini', '--site-concurrency', '3', '--max-failed-sites', '1', '--check', '-e', '@vars.yml', '--emit-k8s-job', '-', '--k8s-image', 'registry.example/k3play:0.1.0', '--k8s-namespace', 'fleet'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    const docs = parseAllDocuments(r.stdout).map((d) => d.toJS() as Record<string, any>); // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(docs.map((d) => d['kind'])).toEqual(['ConfigMap', 'Job']);
    const [cm, job] = docs as [Record<string, any>, Record<string, any>]; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(validateConfigMap(cm), JSON.stringify(validateConfigMap.errors)).toBe(true);
    expect(validateJob(job), JSON.stringify(validateJob.errors)).toBe(true);
    const spec = job['spec'];
    expect([spec.completionMode, spec.completions, spec.parallelism, spec.backoffLimitPerIndex, spec.maxFailedIndexes]).toEqual(['Indexed', 5, 3, 0, 1]);
    // Cross-field rules the API server enforces.
    const pod = spec.template.spec;
    const volumes = new Set(pod.volumes.map((v: { name: string }) => v.name));
    for (const m of pod.containers[0].volumeMounts) expect(volumes).toContain(m.name);
    const cmVolume = pod.volumes.find((v: { configMap?: unknown }) => v.configMap);
    expect(cmVolume.configMap.name).toBe(cm['metadata'].name);
    const keys = Object.keys(cm['data']);
    for (const item of cmVolume.configMap.items) expect(keys).toContain(item.key);
    expect(pod.volumes.find((v: { persistentVolumeClaim?: unknown }) => v.persistentVolumeClaim).persistentVolumeClaim.claimName).toBe('k3play-journal');
    expect(Buffer.byteLength(JSON.stringify(cm['data']))).toBeLessThan(1024 * 1024);
    // The pod picks its site by JOB_COMPLETION_INDEX and writes the journal to the volume.
    const c = pod.containers[0];
    expect(c.image).toBe('registry.example/k3play:0.1.0');
    expect(c.args).toEqual(expect.arrayContaining(['--site-index', '$(JOB_COMPLETION_INDEX)', '--journal-dir', '/journal', '--check', '-e', '@/k3play/vars.yml']));
    expect(c.env.find((e: { name: string }) => e.name === 'JOB_COMPLETION_INDEX').valueFrom.fieldRef.fieldPath).toBe("metadata.annotations['batch.kubernetes.io/job-completion-index']");
    const paths = cmVolume.configMap.items.map((i: { path: string }) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['site.yml', 'sites.yml', 'sites/s1.ini', 'sites/group_vars/all.yml', 'vars.yml']));
    const siteList = cm['data'][cmVolume.configMap.items.find((i: { path: string }) => i.path === 'sites.yml').key];
    expect(siteList).toContain('inventory:\n      - /k3play/sites/s1.ini');
  });

  it('refuses what cannot go into a Job: inline -e values, --canary, --waves', async () => {
    const dir = project('k8s-bad', 2, MARKER);
    const r = await k3play(['rollout', 'site.yml', '--sites', 'sites/*.ini', '--canary', '1', '--waves', '1,100%', '-e', 'token=abc', '--emit-k8s-job', 'job.yaml'], { cwd: dir });
    expect(r.code).toBe(4);
    expect(r.stderr).toContain('--canary has no meaning in a Kubernetes Job');
    expect(r.stderr).toContain('--waves has no meaning');
    expect(r.stderr).toContain('-e "token=abc" would be written into the Job spec');
    expect(existsSync(path.join(dir, 'job.yaml'))).toBe(false);
  });
});
