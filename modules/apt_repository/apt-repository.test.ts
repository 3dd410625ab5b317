import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { FakeConnection } from '../../src/connection/fake-connection.js';
import type { Change, ControllerContext } from '../../src/module-api/index.js';
import type { AptRepositoryArgs } from './args.js';
import aptRepository from './index.js';
import { parseReadFiles, repoPaths, type RepoFiles } from './read-files.js';
import { parseSourceLine, renderDeb822, renderListLine } from './source-entry.js';

const KEY = '-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nmDMEZ\n-----END PGP PUBLIC KEY BLOCK-----\n';
const URL_ = 'http://10.231.0.1:40117/';
const p = repoPaths('k3ptest');
const LIST = `deb [signed-by=${p.asc}] ${URL_} ./\n`;
const files = (over: Record<string, string | Buffer | null> = {}): RepoFiles => {
  const out: Record<string, Buffer | null> = { [p.list]: Buffer.from(LIST), [p.sources]: null, [p.asc]: Buffer.from(KEY), [p.gpg]: null };
  for (const [k, v] of Object.entries(over)) out[k] = v === null ? null : Buffer.from(v);
  return out;
};
const args = (over: Partial<AptRepositoryArgs> = {}): AptRepositoryArgs => ({ filename: 'k3ptest', repo: `deb ${URL_} ./`, key_content: KEY, ...over });
const update = (file: string): Change['steps'][number] => ({
  kind: 'exec',
  cmd: ['apt-get', 'update', '-q', '-o', `Dir::Etc::sourcelist=sources.list.d/${file}`, '-o', 'Dir::Etc::sourceparts=-', '-o', 'APT::Get::List-Cleanup=0'],
  env: { DEBIAN_FRONTEND: 'noninteractive' },
});

describe('apt_repository plan', () => {
  const deb822 = `Types: deb\nURIs: https://example.org/debian\nSuites: bookworm\nComponents: main contrib\nArchitectures: amd64 arm64\nSigned-By: ${p.asc}\n`;
  const cases: { name: string; args: AptRepositoryArgs; current: RepoFiles; expected: Change[] }[] = [
    { name: 'converged', args: args(), current: files(), expected: [] },
    { name: 'converged: key without final newline in args', args: args({ key_content: KEY.trim() }), current: files(), expected: [] },
    { name: 'converged: absent', args: { filename: 'k3ptest', state: 'absent' }, current: files({ [p.list]: null, [p.asc]: null }), expected: [] },
    {
      name: 'new: key then source, update of this source as the last step',
      args: args(),
      current: files({ [p.list]: null, [p.asc]: null }),
      expected: [
        { summary: `add signing key ${p.asc}`, steps: [{ kind: 'put', path: p.asc, content: KEY, mode: '0644' }], diff: { path: p.asc, before: null, after: KEY } },
        { summary: `add apt source ${p.list}`, steps: [{ kind: 'put', path: p.list, content: LIST, mode: '0644' }, update('k3ptest.list')], diff: { path: p.list, before: null, after: LIST } },
      ],
    },
    {
      name: 'signed-by in the repo line is replaced; update_cache: false',
      args: args({ repo: `deb [signed-by=/usr/share/keyrings/old.gpg] ${URL_} ./`, update_cache: false }),
      current: files({ [p.list]: `deb ${URL_} ./\n` }),
      expected: [{ summary: `update apt source ${p.list}`, steps: [{ kind: 'put', path: p.list, content: LIST, mode: '0644' }], diff: { path: p.list, before: `deb ${URL_} ./\n`, after: LIST } }],
    },
    {
      name: 'binary key replaces the armored one',
      args: { filename: 'k3ptest', repo: `deb ${URL_} ./`, key_base64: Buffer.from([0x99, 1, 2]).toString('base64'), update_cache: false },
      current: files(),
      expected: [
        { summary: `add signing key ${p.gpg}`, steps: [{ kind: 'put', path: p.gpg, content: Buffer.from([0x99, 1, 2]), mode: '0644' }] },
        { summary: `remove old apt key ${p.asc}`, steps: [{ kind: 'remove', path: p.asc }], diff: { path: p.asc, before: KEY, after: null } },
        {
          summary: `update apt source ${p.list}`,
          steps: [{ kind: 'put', path: p.list, content: `deb [signed-by=${p.gpg}] ${URL_} ./\n`, mode: '0644' }],
          diff: { path: p.list, before: LIST, after: `deb [signed-by=${p.gpg}] ${URL_} ./\n` },
        },
      ],
    },
    {
      name: 'deb822: .sources written, .list removed',
      args: args({ repo: 'deb [arch=amd64,arm64] https://example.org/debian bookworm main contrib', format: 'deb822' }),
      current: files(),
      expected: [
        { summary: `add apt source ${p.sources}`, steps: [{ kind: 'put', path: p.sources, content: deb822, mode: '0644' }], diff: { path: p.sources, before: null, after: deb822 } },
        { summary: `remove old apt source ${p.list}`, steps: [{ kind: 'remove', path: p.list }, update('k3ptest.sources')], diff: { path: p.list, before: LIST, after: null } },
      ],
    },
    {
      name: 'absent: source and key removed, no update',
      args: { filename: 'k3ptest', state: 'absent' },
      current: files(),
      expected: [
        { summary: `remove apt source ${p.list}`, steps: [{ kind: 'remove', path: p.list }], diff: { path: p.list, before: LIST, after: null } },
        { summary: `remove apt key ${p.asc}`, steps: [{ kind: 'remove', path: p.asc }], diff: { path: p.asc, before: KEY, after: null } },
      ],
    },
  ];
  it.each(cases)('$name', ({ args: a, current, expected }) => expect(aptRepository.plan(a, current)).toEqual(expected));

  it.each<[string, AptRepositoryArgs, RegExp]>([
    ['no repo', { filename: 'x' }, /needs repo/],
    ['not a source line', args({ repo: 'https://example.org/debian bookworm main' }), /not a one-line apt source/],
    ['flat suite with components', args({ repo: `deb ${URL_} ./ main` }), /flat repository/],
    ['suite without components', args({ repo: `deb ${URL_} bookworm` }), /at least one/],
    ['binary in key_content', args({ key_content: 'mDMEZ' }), /not an ASCII-armored/],
    ['deb822 with an unknown option', args({ repo: `deb [foo=bar] ${URL_} ./`, format: 'deb822' }), /no deb822 form/],
  ])('fails: %s', (_n, a, msg) => expect(() => aptRepository.plan(a, files())).toThrow(msg));
});

describe('apt_repository sources', () => {
  it('round-trips options', () => {
    const e = parseSourceLine('deb [ arch=amd64 trusted=yes ] https://x/ stable main');
    expect(renderListLine(e, '/k.asc')).toBe('deb [arch=amd64 trusted=yes signed-by=/k.asc] https://x/ stable main\n');
    expect(renderDeb822(e, null)).toBe('Types: deb\nURIs: https://x/\nSuites: stable\nComponents: main\nArchitectures: amd64\nTrusted: yes\n');
  });
});

describe('apt_repository read and prepare', () => {
  const paths = [p.list, p.sources, p.asc, p.gpg];
  it('parses the captured read', () => expect(parseReadFiles(readFileSync(new URL('./testdata/read-list-and-asc.txt', import.meta.url), 'utf8'), paths)).toEqual(files()));
  it('is one round trip', async () => {
    const fake = new FakeConnection().on(/base64/, { stdout: readFileSync(new URL('./testdata/read-list-and-asc.txt', import.meta.url), 'utf8') });
    expect(aptRepository.plan(args(), await aptRepository.read(fake, args()))).toEqual([]);
    expect(fake.callsOf('exec')).toHaveLength(1);
  });
  const ctx = (content: Buffer): ControllerContext => ({ host: 'h', resolvePath: (x) => `/pb/${x}`, readFile: async () => content, renderTemplate: (t) => t });
  it('prepare: armored key_src -> key_content', async () =>
    expect(await aptRepository.prepare?.({ filename: 'k', key_src: 'k.asc' }, ctx(Buffer.from(KEY)))).toEqual({ filename: 'k', key_content: KEY }));
  it('prepare: binary key_src -> key_base64', async () =>
    expect(await aptRepository.prepare?.({ filename: 'k', key_src: 'k.gpg' }, ctx(Buffer.from([0x99, 0, 1])))).toEqual({ filename: 'k', key_base64: 'mQAB' }));
});

describe('apt_repository schema', () => {
  const validate = new Ajv({ allErrors: true, strict: true }).compile(aptRepository.args);
  it.each([
    [{ filename: 'k8s', repo: 'deb https://x/ /' }, true],
    [{ filename: 'k8s', state: 'absent' }, true],
    [{ filename: '../etc', repo: 'x' }, false],
    [{ repo: 'x' }, false],
    [{ filename: 'k', format: 'yaml' }, false],
  ])('%j valid=%s', (a, ok) => expect(validate(a)).toBe(ok));
  it('every property has a description', () => {
    for (const x of Object.values(aptRepository.args['properties'] as Record<string, { description?: string }>)) expect(x.description).toBeTruthy();
  });
});
