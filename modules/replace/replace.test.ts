import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import type { ContentState } from '../copy/content-read.js';
import { replaceEdit, type ReplaceArgs } from './args.js';
import { editReplace } from './edit-replace.js';
import replace from './index.js';

/** Ansible behaviour cases: (file text, args) -> new text, or null = unchanged. */
const cases: { name: string; text: string; args: Omit<ReplaceArgs, 'path'>; out: string | null }[] = [
  { name: 'every match', text: 'a1 a2\na3\n', args: { regexp: 'a(\\d)', replace: 'b\\1' }, out: 'b1 b2\nb3\n' },
  { name: 'multiline ^ $', text: 'x=1\ny=2\nx=3', args: { regexp: '^x=(\\d)$', replace: 'x=[$1]' }, out: 'x=[1]\ny=2\nx=[3]' },
  { name: 'no match -> unchanged', text: 'a\n', args: { regexp: 'zzz', replace: 'y' }, out: null },
  { name: 'replacement equal to match -> unchanged', text: 'a\n', args: { regexp: 'a', replace: 'a' }, out: null },
  { name: 'default replace deletes', text: 'a # c\n', args: { regexp: ' # .*$' }, out: 'a\n' },
  { name: 'named group', text: 'port 80\n', args: { regexp: '(?P<p>port) \\d+', replace: '\\g<p> 8080' }, out: 'port 8080\n' },
  { name: 'comment out swap, CRLF kept', text: 'UUID=1 / ext4 0 1\r\n/swap none swap sw 0 0\r\n', args: { regexp: '^([^#\\r\\n].*\\sswap\\s.*?)$', replace: '# \\1' }, out: 'UUID=1 / ext4 0 1\r\n# /swap none swap sw 0 0\r\n' },
  { name: 'after: only the text after the first match', text: 'v=1\n[b]\nv=1\n', args: { regexp: 'v=1', replace: 'v=2', after: '\\[b\\]' }, out: 'v=1\n[b]\nv=2\n' },
  { name: 'before: only the text before the match', text: 'v=1\n[b]\nv=1\n', args: { regexp: 'v=1', replace: 'v=2', before: '\\[b\\]' }, out: 'v=2\n[b]\nv=1\n' },
  { name: 'after and before: between them (non-greedy)', text: 'v\n<a>\nv\n</a>\nv\n</a>\n', args: { regexp: 'v', replace: 'w', after: '<a>', before: '</a>' }, out: 'v\n<a>\nw\n</a>\nv\n</a>\n' },
  { name: 'bounds that do not match -> unchanged', text: 'v\n', args: { regexp: 'v', replace: 'w', after: 'nope' }, out: null },
  { name: 'dollar in the replacement stays literal', text: 'home\n', args: { regexp: 'home', replace: '$HOME' }, out: '$HOME\n' },
];

describe('replace edit (Ansible semantics)', () => {
  it.each(cases)('$name', ({ text, args, out }) => {
    const r = editReplace(text, replaceEdit({ path: '/f', ...args }));
    expect(r === null ? null : r.text).toBe(out);
  });
  it('summary counts replacements', () => expect(editReplace('a a a', replaceEdit({ path: '/f', regexp: 'a', replace: 'b' }))?.summary).toBe('3 replacements'));
  it('bad pattern is a TaskFailure naming the argument', () => expect(() => replaceEdit({ path: '/f', regexp: 'x', after: '(' })).toThrow(/after: invalid regular expression/));
});

describe('replace plan', () => {
  const file = (t: string): ContentState => ({ kind: 'file', attrs: { mode: '0644', owner: 'root', uid: 0, group: 'root', gid: 0, size: t.length }, content: Buffer.from(t) });
  it('change with validate', () => {
    expect(replace.plan({ path: '/etc/c', regexp: 'false', replace: 'true', validate: 'check %s' }, file('x = false\n'))).toEqual([
      { summary: '1 replacement (/etc/c)', steps: [{ kind: 'put', path: '/etc/c', content: Buffer.from('x = true\n'), owner: 'root', group: 'root', validate: 'check %s' }], diff: { path: '/etc/c', before: 'x = false\n', after: 'x = true\n' } },
    ]);
  });
  it('converged -> []', () => expect(replace.plan({ path: '/etc/c', regexp: 'false', replace: 'true' }, file('x = true\n'))).toEqual([]));
  it('missing file fails', () => expect(() => replace.plan({ path: '/etc/c', regexp: 'a' }, { kind: 'absent' })).toThrow(/does not exist/));
  const validate = new Ajv({ allErrors: true, strict: false }).compile(replace.args);
  it.each([
    [{ path: '/x', regexp: 'a' }, true],
    [{ path: '/x' }, false],
    [{ path: '/x', regexp: 'a', backrefs: true }, false],
  ])('schema %j valid=%s', (args, ok) => expect(validate(args)).toBe(ok));
  it('every property has a description', () => {
    for (const p of Object.values(replace.args['properties'] as Record<string, { description?: string }>)) expect(p.description).toBeTruthy();
  });
});
