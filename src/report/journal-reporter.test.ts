import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { JournalReporter } from './journal-reporter.js';
import type { RunEvent } from './run-event.js';

const dir = mkdtempSync(path.join(tmpdir(), 'k3play-journal-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('JournalReporter', () => {
  it("writes a task's lines at its end, everything at finish, one JSON event per line (0600)", async () => {
    const j = new JournalReporter(path.join(dir, 'runs'));
    const lines = () => readFileSync(j.file!, 'utf8').split('\n').filter(Boolean);
    j.handle({ type: 'run_start', runId: 'abcdef12-0000', playbook: 'p.yml', check: false, diff: false, time: new Date().toISOString() } as RunEvent);
    j.handle({ type: 'task_start', play: 'p', task: 't', module: 'command', hosts: ['h1'] } as unknown as RunEvent);
    expect(lines()).toHaveLength(0);
    j.handle({ type: 'task_end', task: 't', durationMs: 3 } as RunEvent);
    expect(lines().map((l) => (JSON.parse(l) as RunEvent).type)).toEqual(['run_start', 'task_start', 'task_end']);
    j.handle({ type: 'warning', message: 'w' } as RunEvent);
    await j.finish();
    expect(lines()).toHaveLength(4);
    expect(path.basename(j.file!)).toMatch(/-abcdef12\.jsonl$/);
    expect(statSync(j.file!).mode & 0o777).toBe(0o600);
  });

  it('a run that stops between task ends loses nothing buffered: pending lines go out within 200 ms', async () => {
    const j = new JournalReporter(path.join(dir, 'runs2'));
    j.handle({ type: 'warning', message: 'early' } as RunEvent);
    await new Promise((r) => setTimeout(r, 350));
    expect(readFileSync(j.file!, 'utf8')).toContain('"early"');
    await j.finish();
  });
});
