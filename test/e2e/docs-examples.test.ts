/**
 * Every ```yaml example of docs/playbook.md must be valid k3play: complete playbooks (a list of
 * plays) and task lists (wrapped into a one-play playbook) are run through the real CLI,
 * `k3play validate`, and must exit 0. Conditions and templates inside them are also compiled,
 * because validate does not render anything. A block whose first line is `# file: PATH` is also
 * written to PATH in the shared temp directory, so examples can import it (import_tasks,
 * import_playbook, vars_files); a `# file:` block that is a plain mapping (a vars file) is only
 * written. Any other shape of yaml block is an error, so no example goes unchecked.
 * Examples using a module that is documented but not registered yet (see PENDING_MODULES) are
 * reported as skipped, not passed.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BLOCK_KEYWORDS, TASK_KEYWORDS } from '../../src/playbook/playbook-schema.js';
import { ENGINE_ACTIONS } from '../../src/playbook/types.js';
import { compileExpression } from '../../src/template/index.js';
import { prepareTemplate } from '../../src/template/rewrite-ast.js';
import { k3play, repoRoot } from './cli.js';

/** Modules the docs may show before they exist in modules/index.ts. */
const PENDING_MODULES = new Set(['shell', 'copy', 'template']);
const NON_MODULE_KEYS = new Set<string>([...TASK_KEYWORDS, ...BLOCK_KEYWORDS, ...ENGINE_ACTIONS, 'import_tasks', 'include_tasks']);
const TASK_LIST_KEYS = ['pre_tasks', 'tasks', 'post_tasks', 'handlers', 'block', 'rescue', 'always'];
const CONDITION_KEYS = new Set(['when', 'until', 'changed_when', 'failed_when']);

interface Example {
  readonly line: number;
  readonly text: string;
  readonly value: unknown;
  readonly file?: string;
  readonly kind: 'playbook' | 'tasks' | 'file-only' | 'invalid';
}

const DOC = 'docs/playbook.md';

function extractExamples(markdown: string): Example[] {
  const out: Example[] = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (lines[i]!.trim() !== '```yaml') continue;
    const start = i + 1;
    let end = start;
    while (end < lines.length && lines[end]!.trim() !== '```') end++;
    const text = `${lines.slice(start, end).join('\n')}\n`;
    i = end;
    const file = /^#\s*file:\s*(\S+)/.exec(lines[start] ?? '')?.[1];
    let value: unknown;
    try {
      value = parse(text);
    } catch {
      out.push({ line: start, text, value: undefined, kind: 'invalid', ...(file ? { file } : {}) });
      continue;
    }
    out.push({ line: start, text, value, kind: classify(value, file), ...(file ? { file } : {}) });
  }
  return out;
}

function isMapping(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function classify(v: unknown, file: string | undefined): Example['kind'] {
  if (Array.isArray(v) && v.length > 0 && v.every(isMapping)) {
    return v.some((p) => 'hosts' in p || 'import_playbook' in p) ? 'playbook' : 'tasks';
  }
  return file !== undefined && isMapping(v) ? 'file-only' : 'invalid';
}

/** A task list as the body of `tasks:` of a one-play playbook. */
function wrapTasks(text: string): string {
  const body = text
    .split('\n')
    .map((l) => (l === '' ? l : `    ${l}`))
    .join('\n');
  return `- hosts: all\n  gather_facts: false\n  tasks:\n${body}`;
}

/** Module keys of every task in a playbook or task list. */
function moduleKeys(nodes: unknown, out = new Set<string>()): Set<string> {
  if (!Array.isArray(nodes)) return out;
  for (const n of nodes) {
    if (!isMapping(n)) continue;
    if ('hosts' in n || 'import_playbook' in n) {
      for (const k of TASK_LIST_KEYS) moduleKeys(n[k], out);
      continue;
    }
    for (const k of Object.keys(n)) if (!NON_MODULE_KEYS.has(k)) out.add(k);
    for (const k of ['block', 'rescue', 'always']) moduleKeys(n[k], out);
  }
  return out;
}

/** Compiles every condition and template string (validate does not render them). */
function compileAll(v: unknown, key: string | undefined, where: { file: string; line: number; col: number }): void {
  if (typeof v === 'string') {
    if (key !== undefined && (CONDITION_KEYS.has(key) || key === 'that' || key === 'var')) compileExpression(v, where);
    else if (v.includes('{{')) prepareTemplate(v);
    return;
  }
  if (typeof v === 'boolean' || v === null || typeof v !== 'object') return;
  if (Array.isArray(v)) {
    for (const x of v) compileAll(x, key !== undefined && (CONDITION_KEYS.has(key) || key === 'that') ? key : undefined, where);
    return;
  }
  for (const [k, x] of Object.entries(v)) compileAll(x, k, where);
}

const examples = extractExamples(readFileSync(join(repoRoot, DOC), 'utf8'));
const checked = examples.filter((e) => e.kind === 'playbook' || e.kind === 'tasks');
let dir = '';
let registered = new Set<string>();

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'k3play-docs-'));
  for (const e of examples) {
    if (e.file === undefined) continue;
    mkdirSync(dirname(join(dir, e.file)), { recursive: true });
    writeFileSync(join(dir, e.file), e.text);
  }
  const r = await k3play(['modules']);
  expect(r.code).toBe(0);
  registered = new Set(r.stdout.split('\n').map((l) => /^(\w+)\s{2,}/.exec(l)?.[1]).filter((n): n is string => n !== undefined));
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe(`${DOC} examples`, () => {
  it('has an example for every play and task keyword, all of a known shape', () => {
    expect(checked.length).toBeGreaterThanOrEqual(40);
    expect(examples.filter((e) => e.kind === 'invalid').map((e) => `${DOC}:${e.line}`)).toEqual([]);
  });

  // Concurrent: each example spawns the CLI; ctx.expect binds assertions to their own test.
  it.concurrent.for(checked.map((e) => [`${DOC}:${e.line} (${e.kind})`, e] as const))('%s', async ([, e], ctx) => {
    const missing = [...moduleKeys(e.value)].filter((m) => !registered.has(m));
    const pending = missing.filter((m) => PENDING_MODULES.has(m));
    if (pending.length > 0 && pending.length === missing.length) {
      ctx.skip(`module ${pending.join(', ')} is not registered yet`);
      return;
    }
    compileAll(e.value, undefined, { file: DOC, line: e.line + 1, col: 1 });
    const name = `example-${e.line}.yml`;
    writeFileSync(join(dir, name), e.kind === 'playbook' ? e.text : wrapTasks(e.text));
    const r = await k3play(['validate', name], { cwd: dir });
    ctx.expect(r.stderr).toBe('');
    ctx.expect(r.code).toBe(0);
  });
});
