import { describe, expect, it } from 'vitest';
import command from '../../modules/command/index.js';
import file from '../../modules/file/index.js';
import { moduleRegistry } from '../../modules/index.js';
import { defineModule, type ModuleDef } from '../module-api/index.js';
import { moduleList, moduleReference } from './module-reference.js';

describe('moduleList', () => {
  it('one line per module, sorted, names aligned', () => {
    const text = moduleList(new Map<string, ModuleDef<unknown, unknown>>([['file', file], ['command', command]]));
    expect(text.split('\n')).toEqual([`command  ${command.summary}`, `file     ${file.summary}`, '']);
  });
  it('accepts any iterable; the real registry is listed sorted, one line per module', () => {
    expect(moduleList([file])).toBe(`file  ${file.summary}\n`);
    const names = moduleList(moduleRegistry).trim().split('\n').map((l) => l.split(/\s+/)[0]);
    expect(names).toEqual([...moduleRegistry.keys()].sort());
    expect(names).toEqual(expect.arrayContaining(['command', 'file', 'sysctl', 'copy', 'systemd_unit', 'package']));
    expect(moduleList([])).toBe('no modules\n');
  });
});

describe('moduleReference', () => {
  it('file: args table with types, required, defaults, choices, descriptions and examples', () => {
    const text = moduleReference(file);
    expect(text.startsWith(`file\n  Make a path`)).toBe(true);
    expect(text).toContain('\n\nArguments:\n  name   type            required  default  choices\n');
    expect(text).toContain('\n  path   string          yes       -        -\n      Absolute path');
    expect(text).toContain('\n  state  string          no        file     file, directory, absent, link, touch\n');
    expect(text).toContain('\n  mode   string|integer  no        -        -\n');
    expect(text).toContain('\n  force  boolean         no        false    -\n');
    expect(text).toContain('\n\nExamples:\n  - name: data directory\n    file:');
    expect(text).toContain('"0700"\n\n  - name: kubectl on PATH');
    expect(text.endsWith('state: absent\n')).toBe(true);
    for (const line of text.split('\n')) expect(line.length).toBeLessThanOrEqual(80);
  });

  it('command: free form, list type', () => {
    const text = moduleReference(command);
    expect(text).toContain('Free form: "command: TEXT" sets cmd to TEXT.');
    expect(text).toMatch(/^ {2}argv +list of string +no/m);
    expect(text).toContain("like Ansible's `shell` module");
  });

  it('secret args are marked', () => {
    const mod = defineModule<{ token: string }, null>({
      name: 'demo',
      summary: 'Demo.',
      args: { type: 'object', required: ['token'], properties: { token: { type: 'string', description: 'Join token.' } } },
      secretArgs: ['token'],
      read: async () => null,
      plan: () => [],
    });
    const text = moduleReference(mod);
    expect(text).toMatch(/^ {2}token \(secret\) +string +yes/m);
    expect(text.replace(/\s+/g, ' ')).toContain('SECRET: masked in all output; passed only on stdin or in 0600 files. Join token.');
    expect(text).not.toContain('Examples:');
  });
});
