import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { normalizeMode } from './file-mode.js';
import { parseStat, type PathFacts } from './parse-stat.js';

const testdata = (name: string): string => readFileSync(new URL(`./testdata/${name}.txt`, import.meta.url), 'utf8');
const root = { owner: 'root', uid: 0, group: 'root', gid: 0 };

describe('parseStat on captured outputs', () => {
  const cases: [string, PathFacts][] = [
    ['absent', { exists: false }],
    ['file', { exists: true, self: { type: 'file', mode: '0640', ...root }, linkTarget: null, target: null }],
    ['empty-file', { exists: true, self: { type: 'file', mode: '0644', ...root }, linkTarget: null, target: null }],
    ['directory', { exists: true, self: { type: 'directory', mode: '2750', ...root }, linkTarget: null, target: null }],
    [
      'link-to-dir',
      {
        exists: true,
        self: { type: 'link', mode: '0777', ...root },
        linkTarget: 'dir',
        target: { type: 'directory', mode: '2750', ...root },
      },
    ],
    ['dangling-link', { exists: true, self: { type: 'link', mode: '0777', ...root }, linkTarget: '/nonexistent/x', target: null }],
    [
      'setuid-other-owner',
      { exists: true, self: { type: 'file', mode: '4755', owner: 'nobody', uid: 65534, group: 'nogroup', gid: 65534 }, linkTarget: null, target: null },
    ],
    ['fifo', { exists: true, self: { type: 'other', mode: '0644', ...root }, linkTarget: null, target: null }],
    [
      'unknown-uid',
      { exists: true, self: { type: 'file', mode: '0644', owner: 'UNKNOWN', uid: 12345, group: 'UNKNOWN', gid: 54321 }, linkTarget: null, target: null },
    ],
  ];
  it.each(cases)('%s', (name, expected) => expect(parseStat(testdata(name))).toEqual(expected));

  it.each([
    ['', /no "self" record/],
    ['garbage\n', /unexpected stat output line/],
    ['self\tregular file\t64x\troot\t0\troot\t0\n', /unexpected stat output line/],
    ['link\tx\n', /no "self" record/],
  ])('rejects %j', (out, msg) => expect(() => parseStat(out)).toThrow(msg));
});

describe('normalizeMode', () => {
  it.each<[string | number | undefined, string | undefined]>([
    [undefined, undefined],
    ['0644', '0644'],
    ['644', '0644'],
    ['0o755', '0755'],
    ['4755', '4755'],
    ['00644', '0644'],
    [644, '0644'], // YAML 1.2 reads `mode: 0644` as 644: its digits are the octal mode
    [755, '0755'],
    [0, '0000'],
    [1777, '1777'],
  ])('%j -> %j', (input, out) => expect(normalizeMode(input)).toBe(out));
  it.each<string | number>(['u+x', '0999', 'abc', 493, 12345, -1, 6.5, ''])('rejects %j', (input) => expect(() => normalizeMode(input)).toThrow(/not an octal mode/));
});
