import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import type { ContentState } from '../copy/content-read.js';
import type { HostsEntriesArgs } from './args.js';
import { hostsBlock } from './hosts-block.js';
import hostsEntries from './index.js';

const B = '# BEGIN K3PLAY MANAGED HOSTS';
const E = '# END K3PLAY MANAGED HOSTS';
const HOSTS = '127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost\n127.0.1.1\th1';
const file = (t: string): ContentState => ({ kind: 'file', attrs: { mode: '0644', owner: 'root', uid: 0, group: 'root', gid: 0, size: t.length }, content: Buffer.from(t) });
const put = (content: string) => ({ kind: 'put', path: '/etc/hosts', content: Buffer.from(content), owner: 'root', group: 'root' });

describe('hosts_entries plan', () => {
  const two = [
    { ip: '10.0.0.11', names: ['node1', 'node1.lab'] },
    { ip: 'fd00::12', names: ['node2'] },
  ];
  const withBlock = `${HOSTS}\n${B}\n10.0.0.11 node1 node1.lab\nfd00::12 node2\n${E}\n`;
  const cases: { name: string; args: HostsEntriesArgs; current: string; expected: unknown[] }[] = [
    { name: 'adds the block, keeps the rest byte for byte', args: { entries: two }, current: HOSTS, expected: [{ summary: 'block inserted (/etc/hosts)', steps: [put(withBlock)], diff: { path: '/etc/hosts', before: HOSTS, after: withBlock } }] },
    { name: 'converged', args: { entries: two }, current: withBlock, expected: [] },
    { name: 'entries as text lines (a template loop)', args: { entries: '10.0.0.11 node1 node1.lab\n\n  fd00::12   node2\n' }, current: withBlock, expected: [] },
    {
      name: 'one entry changes',
      args: { entries: [two[0]!, { ip: 'fd00::13', names: ['node2'] }] },
      current: withBlock,
      expected: [{ summary: 'block updated (/etc/hosts)', steps: [put(withBlock.replace('fd00::12', 'fd00::13'))], diff: { path: '/etc/hosts', before: withBlock, after: withBlock.replace('fd00::12', 'fd00::13') } }],
    },
    { name: 'absent removes only the block', args: { state: 'absent' }, current: withBlock, expected: [{ summary: 'block removed (/etc/hosts)', steps: [put(`${HOSTS}\n`)], diff: { path: '/etc/hosts', before: withBlock, after: `${HOSTS}\n` } }] },
  ];
  it.each(cases)('$name', ({ args, current, expected }) => expect(hostsEntries.plan(args, file(current))).toEqual(expected));
  it.each<[HostsEntriesArgs['entries'], RegExp]>([
    [[{ ip: '10.0.0.300', names: ['a'] }], /entries\[0\]\.ip "10\.0\.0\.300" is not an IPv4 or IPv6 address/],
    [[{ ip: '10.0.0.1', names: ['a b'] }], /"a b" is not a host name/],
    ['10.0.0.1\n', /has no names/],
  ])('fails: %j', (entries, msg) => expect(() => hostsBlock(entries ?? [])).toThrow(msg));
  const validate = new Ajv({ allErrors: true, strict: false }).compile(hostsEntries.args);
  it.each([
    [{ entries: [{ ip: '1.2.3.4', names: ['a'] }] }, true],
    [{ entries: 'x y' }, true],
    [{ entries: [{ ip: '1.2.3.4' }] }, false],
    [{ entries: [{ ip: '1.2.3.4', names: [] }] }, false],
  ])('schema %j valid=%s', (args, ok) => expect(validate(args)).toBe(ok));
});
