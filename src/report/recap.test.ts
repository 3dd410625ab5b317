import { describe, expect, it } from 'vitest';
import { stripAnsi } from './ansi-style.js';
import { banner, formatDuration, formatRecap } from './recap.js';
import { emptyRecap, type HostRecap } from './run-event.js';

const r = (over: Partial<HostRecap>): HostRecap => ({ ...emptyRecap(), ...over });

describe('formatRecap', () => {
  it('pads host names and counters like ansible-playbook, then a total line', () => {
    const text = formatRecap(
      { 'node-long-name': r({ ok: 12, changed: 3 }), h1: r({ ok: 3, changed: 1 }), h2: r({ unreachable: 1 }) },
      62_300,
      false,
    );
    expect(text).toBe(
      [
        'PLAY RECAP ********************************************************************',
        'h1             : ok=3    changed=1    unreachable=0    failed=0    skipped=0    rescued=0    ignored=0',
        'h2             : ok=0    changed=0    unreachable=1    failed=0    skipped=0    rescued=0    ignored=0',
        'node-long-name : ok=12   changed=3    unreachable=0    failed=0    skipped=0    rescued=0    ignored=0',
        '',
        '3 hosts in 1m02s: ok=15 changed=4 unreachable=1 failed=0 skipped=0 rescued=0 ignored=0',
        '',
      ].join('\n'),
    );
  });

  it.each([
    ['ok', r({ ok: 2 }), '\u001b[32mok=2   \u001b[39m'],
    ['changed', r({ changed: 1 }), '\u001b[33mchanged=1   \u001b[39m'],
    ['failed', r({ failed: 1 }), '\u001b[31mfailed=1   \u001b[39m'],
    ['unreachable', r({ unreachable: 1 }), '\u001b[31munreachable=1   \u001b[39m'],
    ['skipped', r({ skipped: 4 }), '\u001b[36mskipped=4   \u001b[39m'],
  ])('colors non-zero %s when color is on', (_name, recap, cell) => {
    const text = formatRecap({ h1: recap }, 1000, true);
    expect(text).toContain(cell);
    expect(stripAnsi(text)).toBe(formatRecap({ h1: recap }, 1000, false));
  });

  it('colors the host name by its worst outcome', () => {
    expect(formatRecap({ h1: r({ failed: 1 }) }, 0, true)).toContain('\u001b[31mh1\u001b[39m :');
    expect(formatRecap({ h1: r({ changed: 1 }) }, 0, true)).toContain('\u001b[33mh1\u001b[39m :');
    expect(formatRecap({ h1: r({ ok: 1 }) }, 0, true)).toContain('\u001b[32mh1\u001b[39m :');
  });

  it('one host says "host"', () => {
    expect(formatRecap({ h1: r({ ok: 1 }) }, 850, false)).toContain('\n1 host in 0.9s: ok=1 ');
  });
});

describe('formatDuration', () => {
  it.each([
    [0, '0.0s'],
    [850, '0.9s'],
    [59_949, '59.9s'],
    [62_300, '1m02s'],
    [3_723_000, '1h02m03s'],
  ])('%d ms -> %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});

describe('banner', () => {
  it.each([
    ['TASK [x]', 79],
    ['TASK [a very long task name that is longer than the banner width, really very long]', 87],
  ])('%s', (title, length) => {
    const b = banner(title);
    expect(b.startsWith(`${title} ***`)).toBe(true);
    expect(b).toHaveLength(length);
  });
});
