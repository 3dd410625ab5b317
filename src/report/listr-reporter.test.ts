import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Writable } from 'node:stream';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';
import { stripAnsi } from './ansi-style.js';
import { ListrReporter, type ListrReporterOptions } from './listr-reporter.js';
import type { RunEvent } from './run-event.js';

const eventsFile = fileURLToPath(new URL('./testdata/run-events.json', import.meta.url));
const events = JSON.parse(readFileSync(eventsFile, 'utf8')) as RunEvent[];

/** A stream that records what is written (listr2 wants a NodeJS.WriteStream). */
function recorder(): { stream: NodeJS.WriteStream; text: () => string } {
  let text = '';
  const w = new Writable({
    write(chunk: Buffer | string, _enc, cb) {
      text += chunk.toString();
      cb();
    },
  });
  return { stream: w as unknown as NodeJS.WriteStream, text: () => text };
}

async function runTestRenderer(
  input: RunEvent[],
  opts: Partial<ListrReporterOptions> = {},
  finish = true,
): Promise<{ out: string; err: string; reporter: ListrReporter }> {
  const out = recorder();
  const err = recorder();
  const reporter = new ListrReporter({
    out: out.stream,
    err: err.stream,
    color: false,
    verbose: 0,
    diff: false,
    renderer: 'test',
    ...opts,
  });
  for (const e of input) reporter.handle(e);
  if (finish) await reporter.finish();
  return { out: out.text(), err: err.text(), reporter };
}

interface Serialized {
  event: string;
  data: unknown;
  task?: { title?: string; hasFailed?: boolean; isSkipped?: boolean; isCompleted?: boolean };
}

function listrEvents(out: string): Serialized[] {
  return out
    .split('\n')
    .filter((l) => l.startsWith('{"event"'))
    .map((l) => JSON.parse(l) as Serialized);
}

/** The final state of each listr task, by its final title. */
function finalStates(out: string): Map<string, string> {
  const states = new Map<string, string>();
  for (const e of listrEvents(out)) {
    if (e.event === 'STATE' && e.task?.title && typeof e.data === 'string') states.set(e.task.title, e.data);
  }
  return states;
}

describe('ListrReporter (listr2 test renderer)', () => {
  it('one task line with per-host sub-lines ending ok/changed/failed/skipped', async () => {
    const { out } = await runTestRenderer(events);
    const states = finalStates(out);
    expect(Object.fromEntries(states)).toMatchObject({
      'enable ip_forward  ok=1 changed=1 unreachable=1': 'COMPLETED',
      'h1: changed - net.ipv4.ip_forward: 0 -> 1': 'COMPLETED',
      'h2: ok': 'COMPLETED',
      'web-3: UNREACHABLE - ssh: connect to host 10.0.0.3 port 22: Connection refused': 'FAILED',
      'install packages  changed=1 skipped=1': 'COMPLETED',
      'h1: changed (check) (item=jq) - install jq': 'COMPLETED',
      'h2: skipping': 'SKIPPED',
      'check api  failed=1 ignored=1': 'COMPLETED',
      'h1: failed - command exited with 1: kubectl get nodes': 'FAILED',
      'h2: failed (ignored) - command exited with 2': 'COMPLETED',
      'restart k3s (handler)  ok=1': 'COMPLETED',
    });
  });

  it('prints details under each task, play banners, warnings and the recap, in order', async () => {
    const { out } = await runTestRenderer(events, { diff: false });
    const text = out
      .split('\n')
      .filter((l) => !l.startsWith('{"event"'))
      .join('\n');
    await expect(text).toMatchFileSnapshot('./testdata/listr-text-output.txt');
    expect(text).toContain('PLAY RECAP');
    // run_start.diff is on in the fixture: diffs are shown.
    expect(text).toContain('  +net.ipv4.ip_forward = 1');
  });

  it('honours color off and on', async () => {
    const plain = await runTestRenderer(events, { color: false });
    expect(plain.out).not.toMatch(/\u001b\[/);
    const colored = await runTestRenderer(events, { color: true });
    const titles = listrEvents(colored.out).map((e) => e.task?.title ?? '');
    expect(titles).toContain('h1: \u001b[33mchanged\u001b[39m - net.ipv4.ip_forward: 0 -> 1');
    expect(colored.out).toContain('  \u001b[33mchanged: [h1] => net.ipv4.ip_forward: 0 -> 1\u001b[39m');
    // JSON escapes the codes in serialized listr events: strip both forms.
    expect(stripAnsi(colored.out.replace(/\\u001b\[[0-9;]*m/g, ''))).toBe(plain.out);
  });

  it('finish() resolves when the run ends abnormally (no task_end, no run_end)', async () => {
    const cut = events.slice(0, 4); // task started, one of three hosts answered
    const { out } = await runTestRenderer(cut);
    const states = finalStates(out);
    expect(states.get('h1: changed - net.ipv4.ip_forward: 0 -> 1')).toBe('COMPLETED');
    expect(states.get('h2: interrupted')).toBe('SKIPPED');
    expect(states.get('web-3: interrupted')).toBe('SKIPPED');
  });

  it('ignores events after finish() and survives a burst of events', async () => {
    const burst: RunEvent[] = [];
    for (let i = 0; i < 200; i++) {
      const task = `t${i}`;
      burst.push(
        { type: 'task_start', play: 'p', task, module: 'command', hosts: ['h1', 'h2'], loc: 'x.yml:1:1' },
        { type: 'host_result', task, module: 'command', host: 'h1', status: 'ok', changes: [], durationMs: 1 },
        { type: 'host_result', task, module: 'command', host: 'h2', status: 'changed', changes: [{ summary: 'ran' }], durationMs: 1 },
        { type: 'task_end', task, durationMs: 0 },
      );
    }
    const { out, reporter } = await runTestRenderer(burst);
    reporter.handle(events[1]!);
    expect(finalStates(out).get('t199  ok=1 changed=1')).toBe('COMPLETED');
    expect(out).not.toContain('PLAY [k3s servers]');
  });
});

// ---- a real pseudo-terminal: util-linux `script` runs the compiled reporter ----

const root = fileURLToPath(new URL('../..', import.meta.url));
const hasScript = spawnSync('script', ['--version']).status === 0;
const workDirs: string[] = [];
afterAll(() => {
  for (const d of workDirs) rmSync(d, { recursive: true, force: true });
});

/** Transpile (no type check: tsc covers that) src/report and src/module-api into a temp dir. */
function buildFixture(): string {
  const dir = mkdtempSync(join(tmpdir(), 'k3play-listr-pty-'));
  workDirs.push(dir);
  for (const sub of ['src/report', 'src/module-api']) {
    mkdirSync(join(dir, sub), { recursive: true });
    for (const f of readdirSync(join(root, sub))) {
      if (!f.endsWith('.ts') || f.endsWith('.test.ts')) continue;
      const src = readFileSync(join(root, sub, f), 'utf8');
      const js = ts.transpileModule(src, {
        compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: true },
      }).outputText;
      writeFileSync(join(dir, sub, f.replace(/\.ts$/, '.js')), js);
    }
  }
  writeFileSync(join(dir, 'package.json'), '{"type":"module"}');
  symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'));
  writeFileSync(
    join(dir, 'fixture.js'),
    `import { readFileSync } from 'node:fs';
import { ListrReporter } from './src/report/listr-reporter.js';
const events = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const r = new ListrReporter({ out: process.stdout, err: process.stderr, color: process.argv[3] === 'color', verbose: 0, diff: false });
for (const e of events) {
  r.handle(e);
  await new Promise((res) => setTimeout(res, 25)); // let the spinner render between events
}
await r.finish();
`,
  );
  return dir;
}

describe.skipIf(!hasScript)('ListrReporter in a real pseudo-terminal', () => {
  it.each([['color'], ['nocolor']])('renders live (%s) and ends with the recap', (mode) => {
    const dir = buildFixture();
    // A fresh pty has no size (0 columns); a real terminal has one.
    const cmd = `stty cols 100 rows 40; node fixture.js ${eventsFile} ${mode}`;
    const res = spawnSync('script', ['-qfec', cmd, '/dev/null'], {
      cwd: dir,
      encoding: 'utf8',
      timeout: 20_000,
      env: { ...process.env, NO_COLOR: '', FORCE_COLOR: '', COLUMNS: '100', TERM: 'xterm-256color' },
    });
    expect(res.status).toBe(0);
    const out = res.stdout;
    expect(out).toContain('\u001b[?25l'); // listr2 hid the cursor: the live renderer ran on a TTY
    expect(out).toContain('\u001b[?25h'); // ... and gave it back
    const text = stripAnsi(out).replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '');
    expect(text).toContain('enable ip_forward  ok=1 changed=1 unreachable=1');
    expect(text).toContain('changed: [h1] => net.ipv4.ip_forward: 0 -> 1');
    expect(text).toContain('PLAY RECAP');
    expect(text.trimEnd().endsWith('ignored=1')).toBe(true);
    if (mode === 'color') expect(out).toContain('\u001b[33m');
    else expect(out).not.toMatch(/\u001b\[3[0-9]m/);
  });
});
