import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import type { ContentState } from '../copy/content-read.js';
import { blockEdit, type BlockinfileArgs } from './args.js';
import { editBlock } from './edit-block.js';
import blockinfile from './index.js';

const B = '# BEGIN K3PLAY MANAGED BLOCK';
const E = '# END K3PLAY MANAGED BLOCK';
const edit = (a: Omit<BlockinfileArgs, 'path'>) => blockEdit(a, a.state ?? 'present', a.block ?? '');

/** Ansible behaviour cases: (file text, args) -> new text, or null = unchanged. */
const cases: { name: string; text: string; args: Omit<BlockinfileArgs, 'path'>; out: string | null }[] = [
  { name: 'insert at EOF', text: 'a\n', args: { block: 'x\ny\n' }, out: `a\n${B}\nx\ny\n${E}\n` },
  { name: 'insert into an empty file', text: '', args: { block: 'x' }, out: `${B}\nx\n${E}\n` },
  { name: 'insert after a last line without newline', text: 'a', args: { block: 'x' }, out: `a\n${B}\nx\n${E}\n` },
  { name: 'converged', text: `a\n${B}\nx\n${E}\nb`, args: { block: 'x' }, out: null },
  { name: 'update in place, rest byte-identical', text: `a\r\n${B}\nold\n${E}\nb`, args: { block: 'new\nmore' }, out: `a\r\n${B}\nnew\nmore\n${E}\nb` },
  { name: 'CRLF file: block gets CRLF', text: 'a\r\n', args: { block: 'x' }, out: `a\r\n${B}\r\nx\r\n${E}\r\n` },
  { name: 'insertafter: after the LAST match', text: '[s]\n1\n[s]\n2\n', args: { block: 'x', insertafter: '^\\[s\\]' }, out: `[s]\n1\n[s]\n${B}\nx\n${E}\n2\n` },
  { name: 'insertafter no match -> EOF', text: 'a\n', args: { block: 'x', insertafter: '^nope' }, out: `a\n${B}\nx\n${E}\n` },
  { name: 'insertbefore: before the LAST match', text: 'a\nend\nb\nend\n', args: { block: 'x', insertbefore: '^end' }, out: `a\nend\nb\n${B}\nx\n${E}\nend\n` },
  { name: 'insertbefore BOF', text: 'a\n', args: { block: 'x', insertbefore: 'BOF' }, out: `${B}\nx\n${E}\na\n` },
  { name: 'existing block stays where it is (insertafter ignored)', text: `${B}\nold\n${E}\n[s]\n`, args: { block: 'new', insertafter: '^\\[s\\]' }, out: `${B}\nnew\n${E}\n[s]\n` },
  { name: 'absent removes block and markers', text: `a\n${B}\nx\n${E}\nb\n`, args: { state: 'absent' }, out: 'a\nb\n' },
  { name: 'absent at EOF', text: `a\n${B}\nx\n${E}`, args: { state: 'absent' }, out: 'a\n' },
  { name: 'empty block removes', text: `a\n${B}\nx\n${E}\n`, args: { block: '' }, out: 'a\n' },
  { name: 'absent converged', text: 'a\n', args: { state: 'absent' }, out: null },
  { name: 'custom marker and begin/end words', text: 'a\n', args: { block: 'x', marker: '// {mark} mine', marker_begin: 'start', marker_end: 'stop' }, out: 'a\n// start mine\nx\n// stop mine\n' },
  { name: 'a second block with another marker is independent', text: `${B}\nx\n${E}\n`, args: { block: 'y', marker: '# {mark} OTHER' }, out: `${B}\nx\n${E}\n# BEGIN OTHER\ny\n# END OTHER\n` },
  { name: 'blank lines inside the block are kept', text: '', args: { block: 'x\n\ny\n' }, out: `${B}\nx\n\ny\n${E}\n` },
  { name: 'only a begin marker: block appended, stray marker kept', text: `${B}\nz\n`, args: { block: 'x' }, out: `${B}\nz\n${B}\nx\n${E}\n` },
];

describe('blockinfile edit (Ansible semantics)', () => {
  it.each(cases)('$name', ({ text, args, out }) => {
    const r = editBlock(text, edit(args));
    expect(r === null ? null : r.text).toBe(out);
  });
  it.each(cases.filter((c) => c.out !== null && !c.name.startsWith('only a begin')))('converges: $name', ({ args, out }) => {
    expect(editBlock(out as string, edit(args))).toBeNull();
  });
  it.each<[Omit<BlockinfileArgs, 'path'>, RegExp]>([
    [{ block: 'x', marker: '# mine' }, /has no \{mark\}/],
    [{ block: 'x', insertafter: 'a', insertbefore: 'b' }, /not both/],
    [{ block: 'x', marker_begin: 'X', marker_end: 'X' }, /must differ/],
  ])('fails: %j', (args, msg) => expect(() => edit(args)).toThrow(msg));
});

describe('blockinfile plan', () => {
  const file = (t: string): ContentState => ({ kind: 'file', attrs: { mode: '0644', owner: 'root', uid: 0, group: 'root', gid: 0, size: t.length }, content: Buffer.from(t) });
  it('insert: one put, diff, summary', () => {
    expect(blockinfile.plan({ path: '/etc/m', block: 'overlay' }, file('a\n'))).toEqual([
      { summary: 'block inserted (/etc/m)', steps: [{ kind: 'put', path: '/etc/m', content: Buffer.from(`a\n${B}\noverlay\n${E}\n`), owner: 'root', group: 'root' }], diff: { path: '/etc/m', before: 'a\n', after: `a\n${B}\noverlay\n${E}\n` } },
    ]);
  });
  it('converged -> []', () => expect(blockinfile.plan({ path: '/etc/m', block: 'overlay\n' }, file(`${B}\noverlay\n${E}\n`))).toEqual([]));
  it('absent on a missing file -> []', () => expect(blockinfile.plan({ path: '/etc/m', state: 'absent' }, { kind: 'absent' })).toEqual([]));
  it('missing file without create fails', () => expect(() => blockinfile.plan({ path: '/etc/m', block: 'x' }, { kind: 'absent' })).toThrow(/\/etc\/m does not exist/));
  const validate = new Ajv({ allErrors: true, strict: false }).compile(blockinfile.args);
  it.each([
    [{ path: '/x', block: 'a' }, true],
    [{ path: '/x', block: 'a', state: 'maybe' }, false],
    [{ block: 'a' }, false],
  ])('schema %j valid=%s', (args, ok) => expect(validate(args)).toBe(ok));
  it('every property has a description', () => {
    for (const p of Object.values(blockinfile.args['properties'] as Record<string, { description?: string }>)) expect(p.description).toBeTruthy();
  });
});
