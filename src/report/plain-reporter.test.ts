import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { stripAnsi } from './ansi-style.js';
import { PlainReporter } from './plain-reporter.js';
import type { RunEvent } from './run-event.js';

const events = JSON.parse(readFileSync(new URL('./testdata/run-events.json', import.meta.url), 'utf8')) as RunEvent[];

async function render(opts: { color: boolean; verbose: number; diff: boolean }, input = events): Promise<string> {
  let text = '';
  const r = new PlainReporter({ out: { write: (s: string) => (text += s) }, ...opts });
  for (const e of input) r.handle(e);
  await r.finish();
  return text;
}

describe('PlainReporter', () => {
  it('renders a run like ansible-playbook (no color)', async () => {
    const text = await render({ color: false, verbose: 0, diff: false });
    await expect(text).toMatchFileSnapshot('./testdata/plain-output.txt');
    expect(text).not.toMatch(/\u001b\[/);
  });

  it('adds stdout/stderr and skip reasons with -v, task paths with -vv', async () => {
    const text = await render({ color: false, verbose: 2, diff: false });
    await expect(text).toMatchFileSnapshot('./testdata/plain-output-vv.txt');
  });

  it('colors status lines, diffs and the recap when color is on', async () => {
    const text = await render({ color: true, verbose: 0, diff: false });
    expect(text).toContain('\u001b[33mchanged: [h1] => net.ipv4.ip_forward: 0 -> 1\u001b[39m');
    expect(text).toContain('\u001b[31mfatal: [web-3]: UNREACHABLE!');
    expect(text).toContain('\u001b[32m-net.ipv4.ip_forward = 0'.replace('32m-', '31m-'));
    expect(text).toContain('\u001b[32m+net.ipv4.ip_forward = 1');
    // Same text once the codes are gone.
    expect(stripAnsi(text)).toBe(await render({ color: false, verbose: 0, diff: false }));
  });

  it.each([
    ['diff off in run_start and options', false, false, false],
    ['diff from options', false, true, true],
    ['diff from run_start', true, false, true],
  ])('%s', async (_name, runDiff, optDiff, shown) => {
    const input = events.map((e) => (e.type === 'run_start' ? { ...e, diff: runDiff } : e));
    const text = await render({ color: false, verbose: 0, diff: optDiff }, input);
    expect(text.includes('--- before: /etc/sysctl.d/99-k3play.conf')).toBe(shown);
  });

  it('marks check mode at the start', async () => {
    const input = events.map((e) => (e.type === 'run_start' ? { ...e, check: true } : e));
    const text = await render({ color: false, verbose: 0, diff: false }, input);
    expect(text.split('\n')[0]).toBe('CHECK MODE: nothing will be changed');
  });
});
