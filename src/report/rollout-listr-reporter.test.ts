import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { emptyRecap } from './run-event.js';
import { RolloutListrReporter } from './rollout-listr-reporter.js';
import type { RolloutEvent } from '../rollout/rollout-event.js';

function recorder(): { stream: NodeJS.WriteStream; text: () => string } {
  let text = '';
  const w = new Writable({ write(chunk: Buffer | string, _enc, cb) { text += chunk.toString(); cb(); } });
  return { stream: w as unknown as NodeJS.WriteStream, text: () => text };
}

const end = (site: string, status: 'ok' | 'unreachable', wave: number): RolloutEvent => ({
  type: 'site_end', site, wave, attempt: 1, status, exitCode: status === 'ok' ? 0 : 3, recap: { h1: { ...emptyRecap(), unreachable: status === 'ok' ? 0 : 1 } },
  changed: 0, failedHosts: status === 'ok' ? [] : ['h1'], durationMs: 100, ...(status === 'ok' ? {} : { message: 'h1 unreachable: refused' }),
});

describe('RolloutListrReporter (listr2 test renderer)', () => {
  it('one task per wave with a subtask per site; failures printed under the wave; the recap at the end', async () => {
    const out = recorder();
    const r = new RolloutListrReporter({ out: out.stream, err: recorder().stream, color: false, verbose: 0, diff: false, renderer: 'test', footer: ['journal: x'] });
    const events: RolloutEvent[] = [
      { type: 'rollout_start', version: 1, rolloutId: 'id', attempt: 1, playbook: 'site.yml', check: false, diff: false, sites: ['a', 'b', 'c'], pending: ['a', 'b', 'c'], waves: [], siteConcurrency: 2, time: 't' },
      { type: 'wave_start', wave: 1, waves: 2, canary: true, sites: ['a'] },
      { type: 'site_start', site: 'a', wave: 1, attempt: 1, hosts: ['h1'], time: 't' },
      { site: 'a', type: 'task_start', play: 'p', task: 'install', module: 'copy', hosts: ['h1'], loc: 'x:1:1' },
      end('a', 'ok', 1),
      { type: 'wave_end', wave: 1, ok: 1, failed: 0 },
      { type: 'wave_start', wave: 2, waves: 2, canary: false, sites: ['b', 'c'] },
      { type: 'site_start', site: 'b', wave: 2, attempt: 1, hosts: ['h1'], time: 't' },
      { site: 'b', type: 'host_result', task: 'install', module: 'copy', host: 'h1', status: 'unreachable', msg: 'refused', changes: [], durationMs: 1 },
      end('b', 'unreachable', 2),
      { type: 'wave_end', wave: 2, ok: 0, failed: 1 },
      { type: 'rollout_end', rolloutId: 'id', attempt: 1, exitCode: 2, durationMs: 500, sites: [
        { site: 'a', status: 'ok', wave: 1, hosts: 1, changed: 0, failed: 0, durationMs: 100 },
        { site: 'b', status: 'unreachable', wave: 2, hosts: 1, changed: 0, failed: 1, durationMs: 100 },
        { site: 'c', status: 'not_started', hosts: 0, changed: 0, failed: 0, durationMs: 0 },
      ], counts: { ok: 1, failed: 0, unreachable: 1, interrupted: 0, error: 0, not_started: 1 } },
    ];
    for (const e of events) r.handle(e);
    await r.finish();
    const text = out.text();
    expect(text).toContain('WAVE 1/2 (canary): 1 site (a)');
    expect(text).toMatch(/a: ok 1 host changed=0/);
    expect(text).toMatch(/b: unreachable 1 host changed=0 failed=1 .* - h1 unreachable: refused/);
    expect(text).toMatch(/c: not started/);
    expect(text).toMatch(/\[b\] fatal: \[h1\]: UNREACHABLE! => refused/);
    expect(text).toMatch(/ROLLOUT RECAP[\s\S]*3 sites in 0\.5s: ok=1 unreachable=1 not started=1[\s\S]*journal: x/);
    // Rendering order: wave 1 before wave 2 before the recap.
    expect(text.indexOf('WAVE 1/2')).toBeLessThan(text.indexOf('WAVE 2/2'));
    expect(text.indexOf('WAVE 2/2')).toBeLessThan(text.indexOf('ROLLOUT RECAP'));
  });

  it('a big wave shows one line per concurrency slot, not one per site, and its counts', async () => {
    const out = recorder();
    const r = new RolloutListrReporter({ out: out.stream, err: recorder().stream, color: false, verbose: 0, diff: false, renderer: 'test' });
    const sites = Array.from({ length: 30 }, (_, i) => `s${i + 1}`);
    r.handle({ type: 'rollout_start', version: 1, rolloutId: 'id', attempt: 1, playbook: 'site.yml', check: false, diff: false, sites, pending: sites, waves: [], siteConcurrency: 3, time: 't' });
    r.handle({ type: 'wave_start', wave: 1, waves: 1, canary: false, sites });
    for (const s of sites) {
      r.handle({ type: 'site_start', site: s, wave: 1, attempt: 1, hosts: ['h1'], time: 't' });
      r.handle({ ...end(s, 'ok', 1), site: s } as RolloutEvent);
      await new Promise((res) => setImmediate(res));
    }
    r.handle({ type: 'wave_end', wave: 1, ok: 30, failed: 0 });
    await r.finish();
    const text = out.text();
    expect(text).toMatch(/WAVE 1\/1: 30 sites \(s1 \.\. s30\)  ok=30/);
    expect(text).not.toContain(': waiting'); // no line per waiting site: 3 slot lines are reused
    expect(text).toContain('idle');
  });
});
