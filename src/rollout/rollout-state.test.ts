import { describe, expect, it } from 'vitest';
import { emptyRecap } from '../report/run-event.js';
import type { RolloutEvent, SiteEndEvent, SiteStartEvent } from './rollout-event.js';
import { parseJsonLines } from './rollout-journal.js';
import { resumeTarget, rolloutExitCode, siteRow, siteState } from './rollout-state.js';

const start = (attempt: number, hosts: string[], resumedHosts?: string[]): SiteStartEvent => ({
  type: 'site_start', site: 's', wave: 1, attempt, hosts, ...(resumedHosts ? { resumedHosts, limit: resumedHosts.join(':') } : {}), time: 't',
});
const recap = (failed = 0, unreachable = 0, changed = 0) => ({ ...emptyRecap(), ok: 1, failed, unreachable, changed });
const end = (attempt: number, status: SiteEndEvent['status'], r: Record<string, ReturnType<typeof recap>>): SiteEndEvent => ({
  type: 'site_end', site: 's', wave: 1, attempt, status, exitCode: status === 'ok' ? 0 : 2, recap: r,
  changed: Object.values(r).reduce((n, x) => n + x.changed, 0),
  failedHosts: Object.entries(r).filter(([, x]) => x.failed + x.unreachable > 0).map(([h]) => h), durationMs: 10,
});

describe('what a resume runs', () => {
  it('a site that ended ok is done, never run again', () => {
    const s = siteState('s', [start(1, ['a', 'b']), end(1, 'ok', { a: recap(), b: recap() })]);
    expect([s.done, resumeTarget(s)]).toEqual([true, null]);
  });
  it('a failed site runs only its failed and unreachable hosts', () => {
    const s = siteState('s', [start(1, ['a', 'b', 'c']), end(1, 'failed', { a: recap(), b: recap(1), c: recap(0, 1) })]);
    expect(resumeTarget(s)).toEqual({ site: 's', hosts: ['b', 'c'] });
  });
  it('a killed site (start without end) runs again with the hosts of that attempt', () => {
    expect(resumeTarget(siteState('s', [start(1, ['a', 'b'])]))).toEqual({ site: 's' });
    const narrowed = siteState('s', [start(1, ['a', 'b']), end(1, 'unreachable', { a: recap(), b: recap(0, 1) }), start(2, ['b'], ['b'])]);
    expect(resumeTarget(narrowed)).toEqual({ site: 's', hosts: ['b'] });
  });
  it('the row merges attempts: each host keeps its latest recap, durations add up', () => {
    const s = siteState('s', [start(1, ['a', 'b']), end(1, 'failed', { a: recap(0, 0, 2), b: recap(1) }), start(2, ['b'], ['b']), end(2, 'ok', { b: recap(0, 0, 1) })]);
    expect(siteRow(s)).toMatchObject({ status: 'ok', hosts: 2, changed: 3, failed: 0, durationMs: 20, attempt: 2 });
    expect([s.okEnds, s.starts]).toEqual([1, 2]);
  });
});

describe('rollout exit code (k3play run meanings)', () => {
  const row = (status: 'ok' | 'failed' | 'unreachable' | 'not_started') => ({ site: 'x', status, hosts: 1, changed: 0, failed: 0, durationMs: 0 });
  it.each([
    [['ok', 'ok'], 0],
    [['ok', 'unreachable'], 3],
    [['ok', 'failed', 'unreachable'], 2],
    [['unreachable', 'not_started'], 2],
  ] as const)('%j -> %i', (statuses, code) => {
    expect(rolloutExitCode(statuses.map(row), { interrupted: false, internalError: false })).toBe(code);
  });
  it('interrupted wins, then internal errors', () => {
    expect(rolloutExitCode([row('ok')], { interrupted: true, internalError: true })).toBe(130);
    expect(rolloutExitCode([row('failed')], { interrupted: false, internalError: true })).toBe(1);
  });
});

describe('journal lines', () => {
  it('a last line cut short by a kill is dropped; a broken line in the middle is an error', () => {
    const a = JSON.stringify({ type: 'site_start' });
    expect(parseJsonLines(`${a}\n${a}\n{"type":"host_res`).length).toBe(2);
    expect(parseJsonLines(`${a}\n\n`).length).toBe(1);
    expect(() => parseJsonLines(`${a}\n{"ty\n${a}\n`)).toThrow();
  });
  it('types every line as a RolloutEvent', () => {
    const e: RolloutEvent[] = parseJsonLines('{"type":"wave_end","wave":1,"ok":1,"failed":0}\n');
    expect(e[0]!.type).toBe('wave_end');
  });
});
