import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { renderDeep } from '../../src/template/render.js';
import type { ControllerContext } from '../../src/module-api/index.js';
import type { ContentState } from '../copy/content-read.js';
import template from './index.js';

/** A controller context with the real template renderer and an in-memory templates/ dir. */
const ctx = (files: Record<string, string>, vars: Record<string, unknown>): ControllerContext => ({
  host: 'h1',
  resolvePath: (p, kind) => `/pb/${kind}/${p}`,
  readFile: async (p) => {
    const f = files[p];
    if (f === undefined) throw Object.assign(new Error('ENOENT'), { code: 'ENOENT' });
    return Buffer.from(f);
  },
  renderTemplate: (text, file) => String(renderDeep(text, vars as never, { file, line: 1, col: 1 })),
});
const hostFile = (t: string): ContentState => ({ kind: 'file', attrs: { mode: '0644', owner: 'root', uid: 0, group: 'root', gid: 0, size: t.length }, content: Buffer.from(t) });

describe('template', () => {
  const files = { '/pb/templates/k3s.yaml.hbs': 'node-name: {{ inventory_hostname }}\ntls-san:\n{{#each sans}}  - {{this}}\n{{/each}}' };
  const vars = { inventory_hostname: 'h1', sans: ['10.0.0.10', 'k3s.lab'] };

  it('renders on the controller; the diff shows the rendered text; the host file is never rendered', async () => {
    const args = await template.prepare!({ src: 'k3s.yaml.hbs', dest: '/etc/rancher/k3s/config.yaml', mode: '0600' }, ctx(files, vars));
    const rendered = 'node-name: h1\ntls-san:\n  - 10.0.0.10\n  - k3s.lab\n';
    expect(args.content).toBe(rendered);
    const onHost = 'node-name: {{ x }}\n';
    expect(template.plan(args, hostFile(onHost))).toEqual([
      {
        summary: 'update /etc/rancher/k3s/config.yaml; mode 0644 -> 0600',
        steps: [{ kind: 'put', path: '/etc/rancher/k3s/config.yaml', content: Buffer.from(rendered), mode: '0600', owner: 'root', group: 'root' }],
        diff: { path: '/etc/rancher/k3s/config.yaml', before: onHost, after: rendered },
      },
    ]);
    expect(template.plan(args, { ...hostFile(rendered), attrs: { ...hostFile(rendered).attrs, mode: '0600' } } as ContentState)).toEqual([]);
  });

  it('an undefined variable fails in prepare', async () => {
    await expect(template.prepare!({ src: 'k3s.yaml.hbs', dest: '/x' }, ctx(files, { inventory_hostname: 'h1' }))).rejects.toThrow(/sans/);
  });
  it('a missing template names the path looked at', async () => {
    await expect(template.prepare!({ src: 'nope.hbs', dest: '/x' }, ctx(files, vars))).rejects.toThrow(/looked for \/pb\/templates\/nope\.hbs/);
  });
  it('force: false leaves an existing file', async () => {
    const args = await template.prepare!({ src: 'k3s.yaml.hbs', dest: '/x', force: false }, ctx(files, vars));
    expect(template.plan(args, hostFile('other'))).toEqual([]);
  });

  const validate = new Ajv({ allErrors: true, strict: false }).compile(template.args);
  it.each([
    [{ src: 'a', dest: '/x' }, true],
    [{ src: 'a', dest: '/x', content: 'sneaky' }, false],
    [{ dest: '/x' }, false],
  ])('schema %j valid=%s', (args, ok) => expect(validate(args)).toBe(ok));
  it('every property has a description', () => {
    for (const p of Object.values(template.args['properties'] as Record<string, { description?: string }>)) expect(p.description).toBeTruthy();
  });
});
