/**
 * Smaller loader cases than the fixture files, written to a temp dir per case: each playbook
 * either loads (and a value is checked) or fails with problems whose formatted text contains
 * the expected lines. Stand-in modules only.
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { K3playError } from '../errors/k3play-error.js';
import { formatError } from '../errors/print-error.js';
import { loadPlaybook } from './load-playbook.js';
import type { Playbook, Task } from './types.js';

const str = { type: 'string' };
const modules = new Map([
  ['sysctl', { args: { type: 'object', properties: { name: str, value: str }, required: ['name', 'value'], additionalProperties: false } }],
  ['command', { args: { type: 'object', properties: { cmd: str, chdir: str }, additionalProperties: false }, freeForm: 'cmd' }],
  ['service', { args: { type: 'object', properties: { name: str, state: str }, required: ['name'], additionalProperties: false } }],
]);

const root = mkdtempSync(join(tmpdir(), 'k3play-playbook-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;

async function load(files: Record<string, string>): Promise<Playbook | string> {
  const dir = join(root, String(n++));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  try {
    return await loadPlaybook('main.yml', { modules, cwd: dir });
  } catch (e) {
    if (e instanceof K3playError) return formatError(e);
    throw e;
  }
}

const play = (tasks: string): string => `- hosts: all\n  tasks:\n${tasks}`;

describe('problems', () => {
  test.each<[string, Record<string, string>, string[]]>([
    ['loop over a bare name', { 'main.yml': play('    - command: echo\n      loop: servers\n') }, ['loop: must be a list or a template', 'did you mean loop: "{{ servers }}"?']],
    ['with_dict', { 'main.yml': play('    - command: echo\n      with_dict: {a: 1}\n') }, ['"with_dict" is not supported', 'use loop:']],
    ['listen on a task', { 'main.yml': play('    - command: echo\n      listen: x\n') }, ['main.yml:4:7  task #1 (command)', 'listen: only handlers listen']],
    ['rescue without block', { 'main.yml': play('    - rescue: []\n') }, ['rescue: needs a "block:" list']],
    ['loop on a block', { 'main.yml': play('    - block: []\n      loop: [1]\n') }, ['block #1', '"loop" cannot be used on a block']],
    ['block in handlers', { 'main.yml': '- hosts: all\n  handlers:\n    - block: []\n' }, ['block is not supported in handlers yet']],
    ['task not a mapping', { 'main.yml': play('    - just a string\n') }, ['task #1 must be a mapping (got string "just a string")']],
    ['tasks not a list', { 'main.yml': '- hosts: all\n  tasks: {command: x}\n' }, ['tasks: must be list (got mapping)', 'write a list']],
    ['module at play level', { 'main.yml': '- hosts: all\n  command: x\n' }, ['unknown play keyword "command"', '"command" is a module: put the task in a list under "tasks:"']],
    ['a task where a play should be', { 'main.yml': '- name: x\n  command: /bin/true\n' }, ['missing "hosts:"', 'this looks like a task, not a play']],
    ['become_method su', { 'main.yml': '- hosts: all\n  become_method: su\n' }, ['become_method: "su" is not supported']],
    ['bad var name', { 'main.yml': '- hosts: all\n  vars:\n    my-var: 1\n' }, ['main.yml:3:5  play #1', 'vars: "my-var" is not a valid variable name']],
    ['set_fact bad name', { 'main.yml': play('    - set_fact: {a-b: 1}\n') }, ['args: "a-b" is not a valid variable name']],
    ['debug msg and var', { 'main.yml': play('    - debug: {msg: a, var: b}\n') }, ['give either "msg" or "var", not both']],
    ['serial percentage over 100', { 'main.yml': '- hosts: all\n  serial: [1, "150%"]\n' }, ['serial[1]: percentage must be between 1% and 100% (got "150%")']],
    ['import_playbook with play keywords', { 'main.yml': '- import_playbook: b.yml\n  hosts: all\n', 'b.yml': '- hosts: all\n' }, ['unknown keyword "hosts" for import_playbook']],
    ['task file that is a playbook', { 'main.yml': play('    - import_tasks: t.yml\n'), 't.yml': '- hosts: all\n  tasks: []\n' }, ['t.yml:1:3  task #1', 'unknown task keyword "hosts"', 'this looks like a play, not a task']],
    ['task file that is a mapping', { 'main.yml': play('    - import_tasks: t.yml\n'), 't.yml': 'hosts: all\n' }, ['a task file must be a list of tasks (got mapping)', 'this looks like a playbook']],
    ['task file importing itself', { 'main.yml': play('    - import_tasks: t/a.yml\n'), 't/a.yml': '- import_tasks: a.yml\n' }, ['t/a.yml:1:17', 'import cycle: t/a.yml → t/a.yml']],
    ['templated import', { 'main.yml': play('    - import_tasks: "{{ f }}"\n') }, ['import_tasks: the file name cannot be a template']],
    ['a stray second document', { 'main.yml': '- hosts: all\n  tasks: []\n---\n- hosts: all\n' }, ['main.yml:3:1', 'more than one YAML document in this file', 'remove the extra `---` separator']],
    ['syntax error in an imported file', { 'main.yml': play('    - import_tasks: t.yml\n'), 't.yml': '- command: [a\n' }, ['t.yml:', 'YAML syntax error']],
    ['unknown module without suggestion', { 'main.yml': play('    - kubectl_apply: {}\n') }, ['unknown module "kubectl_apply"', 'run "k3play modules" for the list']],
    ['block keyword typo', { 'main.yml': play('    - block: []\n      whne: x\n') }, ['unknown block keyword "whne"', 'did you mean "when"?']],
    ['notify with listen names offered', { 'main.yml': '- hosts: all\n  tasks:\n    - command: x\n      notify: zzz\n  handlers:\n    - name: a\n      command: x\n      listen: b\n' }, ['notify: no handler "zzz" in this play', 'handlers of this play: "a", "b"']],
    ['register on import_tasks', { 'main.yml': play('    - import_tasks: t.yml\n      register: r\n'), 't.yml': '[]\n' }, ['"register" cannot be used on import_tasks']],
    ['become as a template', { 'main.yml': play('    - command: x\n      become: "{{ b }}"\n') }, ['become: must be boolean (got string "{{ b }}")', 'cannot be a template']],
  ])('%s', async (_name, files, wants) => {
    const out = await load(files);
    expect(typeof out).toBe('string');
    for (const w of wants) expect(out).toContain(w);
  });
});

describe('loads', () => {
  test('templated args are left for later; free-form maps to the freeForm arg', async () => {
    const pb = (await load({ 'main.yml': play('    - sysctl: {name: x, value: "{{ v }}"}\n    - command: /bin/true\n      args: {chdir: /tmp}\n') })) as Playbook;
    expect(typeof pb).toBe('object');
    expect((pb.plays[0]!.tasks as Task[]).map((t) => t.args)).toEqual([{ name: 'x', value: '{{ v }}' }, { cmd: '/bin/true', chdir: '/tmp' }]);
  });
  test('hosts as a list; play name defaults to hosts; notify by listen', async () => {
    const pb = (await load({ 'main.yml': '- hosts: [a, b]\n  tasks:\n    - command: x\n      notify: t\n  handlers:\n    - command: y\n      listen: t\n' })) as Playbook;
    expect(pb.plays[0]).toMatchObject({ hosts: 'a,b', name: 'a,b', gatherFacts: true, serial: [], strategy: 'linear', order: 'inventory' });
  });
  test('a problem in an args: value points at that line', async () => {
    const out = await load({ 'main.yml': play('    - sysctl: {name: x}\n      args:\n        value: 1\n') });
    expect(out).toContain('main.yml:5:9  task #1 (sysctl)\n  args.value: must be string (got number 1)');
  });
});
