import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { TaskFailure } from '../../src/module-api/index.js';
import type { ContentState } from '../copy/content-read.js';
import { lineEdit, type LineinfileArgs } from './args.js';
import { editLines } from './edit-lines.js';
import lineinfile from './index.js';
import { expandTemplate } from './python-regex.js';
import { joinLines, splitLines } from './text-lines.js';

/** Ansible behaviour cases: (file text, args) -> new text, or null = unchanged. */
const cases: { name: string; text: string; args: Omit<LineinfileArgs, 'path'>; out: string | null }[] = [
  // regexp: the LAST match is replaced
  { name: 'replace last regexp match', text: 'a=1\nb=1\na=2\n', args: { regexp: '^a=', line: 'a=9' }, out: 'a=1\nb=1\na=9\n' },
  { name: 'firstmatch replaces the first', text: 'a=1\nb=1\na=2\n', args: { regexp: '^a=', line: 'a=9', firstmatch: true }, out: 'a=9\nb=1\na=2\n' },
  { name: 'converged (regexp matches the line)', text: 'a=1\na=9\n', args: { regexp: '^a=', line: 'a=9' }, out: null },
  { name: 'regexp no match, line present elsewhere -> unchanged', text: 'x\na=9\n', args: { regexp: '^zzz', line: 'a=9' }, out: null },
  { name: 'regexp no match -> appended at EOF', text: 'x\n', args: { regexp: '^a=', line: 'a=9' }, out: 'x\na=9\n' },
  { name: 'no regexp, line present -> unchanged', text: 'x\na=9\ny\n', args: { line: 'a=9' }, out: null },
  { name: 'no regexp, appended', text: 'x\n', args: { line: 'a=9' }, out: 'x\na=9\n' },
  { name: 'empty file', text: '', args: { line: 'a' }, out: 'a\n' },
  // newline handling
  { name: 'missing final newline: added before appending', text: 'x', args: { line: 'a' }, out: 'x\na\n' },
  { name: 'missing final newline kept when the last line is replaced', text: 'x\na=1', args: { regexp: '^a=', line: 'a=2' }, out: 'x\na=2' },
  { name: 'CRLF file: replaced line keeps CRLF, others untouched', text: 'a=1\r\nb=1\r\n', args: { regexp: '^a=', line: 'a=2' }, out: 'a=2\r\nb=1\r\n' },
  { name: 'CRLF file: new line gets CRLF', text: 'a=1\r\n', args: { line: 'c=1' }, out: 'a=1\r\nc=1\r\n' },
  { name: 'CRLF line equal to line -> unchanged', text: 'a=1\r\n', args: { line: 'a=1' }, out: null },
  // insertafter / insertbefore
  { name: 'insertafter: after the LAST match', text: '[s]\nx\n[s]\ny\n', args: { line: 'k=v', insertafter: '^\\[s\\]' }, out: '[s]\nx\n[s]\nk=v\ny\n' },
  { name: 'insertafter firstmatch', text: '[s]\nx\n[s]\ny\n', args: { line: 'k=v', insertafter: '^\\[s\\]', firstmatch: true }, out: '[s]\nk=v\nx\n[s]\ny\n' },
  { name: 'insertafter the last line without newline', text: 'x\n[s]', args: { line: 'k=v', insertafter: '^\\[s\\]' }, out: 'x\n[s]\nk=v\n' },
  { name: 'insertafter no match -> EOF', text: 'x\n', args: { line: 'k=v', insertafter: '^nope' }, out: 'x\nk=v\n' },
  { name: 'insertafter EOF', text: 'x\n', args: { line: 'k=v', insertafter: 'EOF' }, out: 'x\nk=v\n' },
  { name: 'insertafter BOF', text: 'x\n', args: { line: 'k=v', insertafter: 'BOF' }, out: 'k=v\nx\n' },
  { name: 'insertbefore: before the LAST match', text: 'a\nend\nb\nend\n', args: { line: 'k', insertbefore: '^end' }, out: 'a\nend\nb\nk\nend\n' },
  { name: 'insertbefore BOF', text: 'x\n', args: { line: '#!/bin/sh', insertbefore: 'BOF' }, out: '#!/bin/sh\nx\n' },
  { name: 'insertbefore no match -> EOF', text: 'x\n', args: { line: 'k', insertbefore: '^nope' }, out: 'x\nk\n' },
  { name: 'regexp match wins over insertafter', text: 'a=1\n[s]\n', args: { regexp: '^a=', line: 'a=2', insertafter: '^\\[s\\]' }, out: 'a=2\n[s]\n' },
  { name: 'insertafter converged: the line is there', text: '[s]\nk=v\n', args: { line: 'k=v', insertafter: '^\\[s\\]' }, out: null },
  // backrefs
  { name: 'backrefs: \\1 from the match', text: '/swap none swap sw 0 0\n', args: { regexp: '^([^#].*swap.*)$', line: '# \\1', backrefs: true }, out: '# /swap none swap sw 0 0\n' },
  { name: 'backrefs converged (commented line does not match)', text: '# /swap none swap sw 0 0\n', args: { regexp: '^([^#].*swap.*)$', line: '# \\1', backrefs: true }, out: null },
  { name: 'backrefs no match -> unchanged (never added)', text: 'x\n', args: { regexp: '^(a)=', line: '\\1=2', backrefs: true }, out: null },
  { name: 'backrefs: Python named group', text: 'port=80\n', args: { regexp: '^(?P<k>port)=\\d+', line: '\\g<k>=8080', backrefs: true }, out: 'port=8080\n' },
  { name: 'without backrefs \\1 is literal', text: 'a=1\n', args: { regexp: '^a=', line: 'a=\\1' }, out: 'a=\\1\n' },
  // absent
  { name: 'absent by regexp removes all matches', text: 'a=1\nb\na=2\n', args: { state: 'absent', regexp: '^a=' }, out: 'b\n' },
  { name: 'absent by line', text: 'a\nb\na\n', args: { state: 'absent', line: 'a' }, out: 'b\n' },
  { name: 'absent converged', text: 'b\n', args: { state: 'absent', regexp: '^a=' }, out: null },
  { name: 'absent keeps a missing final newline elsewhere', text: 'a=1\nb', args: { state: 'absent', regexp: '^a=' }, out: 'b' },
  { name: 'absent removes a last line without newline', text: 'b\na=1', args: { state: 'absent', regexp: '^a=' }, out: 'b\n' },
  { name: 'absent CRLF', text: 'a\r\nb\r\n', args: { state: 'absent', line: 'a' }, out: 'b\r\n' },
];

describe('lineinfile edit (Ansible semantics)', () => {
  it.each(cases)('$name', ({ text, args, out }) => {
    const r = editLines(text, lineEdit({ path: '/f', ...args }));
    expect(r === null ? null : r.text).toBe(out);
    if (r !== null) expect(editLines(r.text, lineEdit({ path: '/f', ...args }))).toBeNull(); // converges
  });
});

describe('lineinfile plan', () => {
  const file = (t: string): ContentState => ({ kind: 'file', attrs: { mode: '0644', owner: 'root', uid: 0, group: 'root', gid: 0, size: Buffer.byteLength(t) }, content: Buffer.from(t) });
  it('a change: put with the rest kept, diff, summary', () => {
    expect(lineinfile.plan({ path: '/etc/f', regexp: '^a=', line: 'a=2', backup: true }, file('# c\na=1\n'))).toEqual([
      {
        summary: 'line replaced (/etc/f)',
        steps: [
          { kind: 'exec', cmd: { kind: 'sh', script: `cp -p -- /etc/f /etc/f."$(date +%Y%m%d%H%M%S)~"` } },
          { kind: 'put', path: '/etc/f', content: Buffer.from('# c\na=2\n'), owner: 'root', group: 'root' },
        ],
        diff: { path: '/etc/f', before: '# c\na=1\n', after: '# c\na=2\n' },
      },
    ]);
  });
  it('converged -> []', () => expect(lineinfile.plan({ path: '/etc/f', line: 'a=2' }, file('a=2\n'))).toEqual([]));
  it('converged content, other mode -> chmod only', () =>
    expect(lineinfile.plan({ path: '/etc/f', line: 'a=2', mode: '0600' }, file('a=2\n'))).toEqual([{ summary: 'mode 0644 -> 0600 (/etc/f)', steps: [{ kind: 'exec', cmd: ['chmod', '0600', '--', '/etc/f'] }] }]));
  it('missing file: error unless create', () => {
    expect(() => lineinfile.plan({ path: '/etc/f', line: 'a' }, { kind: 'absent' })).toThrow(/does not exist/);
    expect(lineinfile.plan({ path: '/etc/f', line: 'a', create: true, mode: '0600' }, { kind: 'absent' })).toEqual([
      { summary: 'create, line added (/etc/f)', steps: [{ kind: 'put', path: '/etc/f', content: Buffer.from('a\n'), mode: '0600' }], diff: { path: '/etc/f', before: null, after: 'a\n' } },
    ]);
    expect(lineinfile.plan({ path: '/etc/f', line: 'a', state: 'absent' }, { kind: 'absent' })).toEqual([]);
  });
  it.each<[string, LineinfileArgs, RegExp]>([
    ['present without line', { path: '/f', regexp: 'x' }, /needs line/],
    ['absent without regexp or line', { path: '/f', state: 'absent' }, /needs regexp or line/],
    ['backrefs without regexp', { path: '/f', line: 'x', backrefs: true }, /backrefs needs regexp/],
    ['both insert positions', { path: '/f', line: 'x', insertafter: 'a', insertbefore: 'b' }, /not both/],
    ['bad regexp', { path: '/f', line: 'x', regexp: '(' }, /regexp: invalid regular expression/],
    ['relative path', { path: 'f', line: 'x' }, /not absolute/],
  ])('fails: %s', (_n, args, msg) => {
    expect(() => lineinfile.plan(args, file(''))).toThrow(TaskFailure);
    expect(() => lineinfile.plan(args, file(''))).toThrow(msg);
  });
  it('binary file is refused', () => expect(() => lineinfile.plan({ path: '/f', line: 'x' }, file('\u0000'))).toThrow(/not UTF-8 text/));
});

describe('text lines and templates', () => {
  it.each(['', 'a', 'a\n', 'a\r\nb', '\n\n', 'a\rb\n'])('split/join round trip %j', (s) => expect(joinLines(splitLines(s))).toBe(s));
  it.each<[string, string]>([
    ['\\1-\\2', 'a-b'],
    ['\\g<1>\\g<name>', 'ab'],
    ['$1$<name>$&$$', 'abab$'],
    ['\\\\1\\n', '\\1\n'],
    ['\\9', ''],
  ])('expand %j', (t, out) => expect(expandTemplate(t, ['ab', 'a', 'b'], { name: 'b' })).toBe(out));
});

describe('lineinfile schema', () => {
  const validate = new Ajv({ allErrors: true, strict: false }).compile(lineinfile.args);
  it.each([
    [{ path: '/x', line: 'a' }, true],
    [{ path: '/x', line: 'a', state: 'gone' }, false],
    [{ line: 'a' }, false],
    [{ path: '/x', line: 'a', search_string: 'b' }, false],
  ])('%j valid=%s', (args, ok) => expect(validate(args)).toBe(ok));
  it('every property has a description', () => {
    for (const p of Object.values(lineinfile.args['properties'] as Record<string, { description?: string }>)) expect(p.description).toBeTruthy();
  });
});
