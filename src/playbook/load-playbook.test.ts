/**
 * The loader against the fixtures in test/fixtures/playbooks: every broken playbook must fail
 * with exactly the text in its NN-name.expected.txt (what users see; UPDATE_EXPECTED=1 rewrites
 * them, review the diff), and the valid ones must load into the expected shape. The real module
 * registry is not used: a small stand-in registry keeps these tests about the loader.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { SchemaObject } from 'ajv';
import { describe, expect, test } from 'vitest';
import { ExitCode, K3playError } from '../errors/k3play-error.js';
import { formatError } from '../errors/print-error.js';
import { loadPlaybook, playHostPatterns, type LoadContext } from './load-playbook.js';
import { loadVarsFile } from './load-vars-file.js';
import type { Block, Task, TaskNode } from './types.js';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const fixtures = 'test/fixtures/playbooks';

const str = { type: 'string' };
const modules = new Map<string, { args: SchemaObject; freeForm?: string }>([
  ['sysctl', { args: { type: 'object', properties: { name: str, value: str, state: { enum: ['present', 'absent'] } }, required: ['name', 'value'], additionalProperties: false } }],
  [
    'command',
    {
      args: { type: 'object', properties: { cmd: str, argv: { type: 'array', items: str }, creates: str, removes: str, chdir: str }, additionalProperties: false },
      freeForm: 'cmd',
    },
  ],
  [
    'file',
    {
      args: {
        type: 'object',
        properties: { path: str, state: { enum: ['file', 'directory', 'touch', 'absent', 'link'] }, mode: str, owner: str, group: str },
        required: ['path'],
        additionalProperties: false,
      },
    },
  ],
  ['service', { args: { type: 'object', properties: { name: str, state: { enum: ['started', 'stopped', 'restarted', 'reloaded'] }, enabled: { type: 'boolean' } }, required: ['name'], additionalProperties: false } }],
]);
const ctx: LoadContext = { modules, cwd: repo };

async function failureText(file: string): Promise<{ text: string; error: K3playError }> {
  try {
    await loadPlaybook(file, ctx);
  } catch (e) {
    if (e instanceof K3playError) return { text: formatError(e), error: e };
    throw e;
  }
  throw new Error(`${file} loaded without problems`);
}

describe('broken playbooks report exactly the expected problems', () => {
  const dir = `${fixtures}/broken`;
  const files = readdirSync(`${repo}${dir}`).filter((f) => /^\d\d-.*\.yml$/.test(f)).sort();
  test('there are at least 15 of them', () => expect(files.length).toBeGreaterThanOrEqual(15));
  test.each(files)('%s', async (f) => {
    const { text, error } = await failureText(`${dir}/${f}`);
    expect(error.exitCode).toBe(ExitCode.invalidInput);
    const expectedFile = `${repo}${dir}/${f.replace(/\.yml$/, '.expected.txt')}`;
    if (process.env['UPDATE_EXPECTED']) writeFileSync(expectedFile, `${text}\n`);
    expect(`${text}\n`).toBe(readFileSync(expectedFile, 'utf8'));
  });
  test('the many-problems fixture reports them all at once', async () => {
    const { error } = await failureText(`${dir}/27-many-problems.yml`);
    expect(error.problems.length).toBeGreaterThanOrEqual(3);
  });
});

function names(nodes: readonly TaskNode[]): string[] {
  return nodes.flatMap((n) => (n.kind === 'task' ? [`${n.module}:${n.name ?? ''}`] : [`block[${names(n.block).join(',')}]`]));
}

describe('valid playbooks', () => {
  test.each(readdirSync(`${repo}${fixtures}/valid`).filter((f) => f.endsWith('.yml')))('%s loads', async (f) => {
    const pb = await loadPlaybook(`${fixtures}/valid/${f}`, ctx);
    expect(pb.file).toBe(`${fixtures}/valid/${f}`);
    expect(pb.plays.length).toBeGreaterThan(0);
  });

  test('every keyword is normalised into the Playbook shape', async () => {
    const pb = await loadPlaybook(`${fixtures}/valid/every-keyword.yml`, ctx);
    const play = pb.plays[0]!;
    expect(play).toMatchObject({
      name: 'prepare k3s servers',
      hosts: 'servers:&edge',
      loc: { file: `${fixtures}/valid/every-keyword.yml`, line: 2, col: 3 },
      varsFiles: [`${fixtures}/valid/vars/site.yml`],
      gatherFacts: 'smart',
      become: true,
      becomeUser: 'root',
      serial: [1, '50%'],
      maxFailPercentage: 20,
      anyErrorsFatal: false,
      order: 'sorted',
      strategy: 'linear',
      tags: ['k3s', 'prepare'],
      environment: { HTTPS_PROXY: 'http://proxy:3128', RETRIES: '3' },
    });
    expect(names(play.tasks)).toEqual([
      'sysctl:set sysctls',
      'command:install k3s',
      'command:wait for the API',
      'file:legacy loop',
      'block[debug:,set_fact:]',
      'pause:',
      'debug:',
    ]);
    const [sysctls, install, wait, legacy, group] = play.tasks as [Task, Task, Task, Task, Block];
    expect(sysctls).toMatchObject({
      args: { name: '{{ item.key }}', value: '{{ item.value }}' },
      argsLoc: { line: 33, col: 9 },
      loop: '{{ sysctls | dict2items }}',
      loopControl: { loopVar: 'item', label: '{{ item.key }}', indexVar: 'idx', pause: 0.5 },
      notify: ['reload sysctl'],
      tags: ['sysctl'],
      when: ['inventory_hostname in groups.servers'],
    });
    expect(install).toMatchObject({
      args: { cmd: '/usr/local/bin/install-k3s.sh', creates: '/usr/local/bin/k3s', chdir: '/tmp' },
      register: 'k3s_install',
      changedWhen: false,
      failedWhen: ['k3s_install.rc != 0', "'already' not in k3s_install.stderr"],
      environment: { INSTALL_K3S_VERSION: '{{ k3s_version }}' },
      ignoreErrors: false,
      noLog: true,
      checkMode: false,
      vars: { extra: 1 },
      notify: ['restart k3s'],
    });
    expect(wait).toMatchObject({ until: ['nodes.rc == 0'], retries: 10, delay: 3, runOnce: true, delegateTo: '{{ groups.servers[0] }}' });
    expect(legacy.loop).toEqual(['k3s', 'rancher']);
    expect(group).toMatchObject({ kind: 'block', when: ['k3s_install is changed'], anyErrorsFatal: true });
    expect(group.always[0]).toMatchObject({ module: 'meta', args: { action: 'flush_handlers' } });
    expect(play.preTasks[0]).toMatchObject({ module: 'assert', args: { that: ['ansible_facts.os_family == "Debian"', true] } });
    expect(play.handlers.map((h) => [h.name, h.listen])).toEqual([
      ['reload sysctl', []],
      ['restart k3s', ['k3s config changed']],
    ]);
    expect(playHostPatterns(pb)).toEqual([{ pattern: 'servers:&edge', loc: { file: `${fixtures}/valid/every-keyword.yml`, line: 3, col: 10 } }]);
  });

  test('import_playbook and import_tasks are expanded at load time', async () => {
    const pb = await loadPlaybook(`${fixtures}/valid/with-imports.yml`, ctx);
    expect(pb.plays.map((p) => p.name)).toEqual(['imported play', 'main play']);
    const imported = pb.plays[0]!;
    // import vars override the imported play's vars; its `when` guards every task list.
    expect(imported.vars).toEqual({ role: 'server' });
    expect(imported.tags).toEqual(['imported']);
    expect(imported.tasks).toMatchObject([{ kind: 'block', when: ['run_servers | default(true)'], block: [{ module: 'debug' }] }]);
    const main = pb.plays[1]!;
    expect(names(main.tasks)).toEqual(['block[file:create the directory,block[command:nested task]]', 'block[file:create the directory,block[command:nested task]]']);
    expect(main.tasks[0]).toMatchObject({ kind: 'block', vars: { dir: '/etc/k3play' }, when: ['prepare'] });
    expect(main.tasks[1]).toMatchObject({ kind: 'block', name: 'dynamic part', tags: ['common'] });
    const created = (main.tasks[0] as Block).block[0]!;
    expect(created.loc).toEqual({ file: `${fixtures}/valid/tasks/common.yml`, line: 1, col: 3 });
  });
});

describe('loadVarsFile', () => {
  test('reads a mapping and where each name is', async () => {
    const v = await loadVarsFile(`${fixtures}/vars/site.yml`, { cwd: repo });
    expect(v.vars).toEqual({ k3s_version: 'v1.30.2+k3s1', servers: ['s1', 's2'] });
    expect(v.varLocs['servers']).toEqual({ file: `${fixtures}/vars/site.yml`, line: 2, col: 1 });
  });
  test.each([
    ['not-a-mapping.yml', 'test/fixtures/playbooks/vars/not-a-mapping.yml:1:1\n  a vars file must be a mapping of variable names to values (got list)'],
    ['bad-name.yml', 'test/fixtures/playbooks/vars/bad-name.yml:2:1\n  "k3s-version" is not a valid variable name'],
    ['missing.yml', 'test/fixtures/playbooks/vars/missing.yml\n  cannot read vars file test/fixtures/playbooks/vars/missing.yml: no such file'],
  ])('%s', async (f, text) => {
    const e = await loadVarsFile(`${fixtures}/vars/${f}`, { cwd: repo }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(K3playError);
    expect(formatError(e)).toContain(text);
  });
});
