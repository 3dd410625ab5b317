/**
 * The build's precompiled validators (dist/validators/*.cjs, scripts/build-validators.mjs) cover
 * every schema the CLI validates with, and behave exactly like validators compiled at run time:
 * same verdict, same errors, same coercion and defaults.
 */
import { createRequire } from 'node:module';
import { Ajv, type ValidateFunction } from 'ajv';
import { describe, expect, it } from 'vitest';
import { moduleRegistry } from '../../modules/index.js';
import * as pb from '../../src/playbook/playbook-schema.js';
import { AJV_OPTIONS, validatorKey } from '../../src/schema/validator-profiles.js';
import { repoRoot } from './cli.js';

const req = createRequire(import.meta.url);
const table = new Proxy({} as Record<string, ValidateFunction | undefined>, {
  get: (_t, key: string) => {
    try {
      const m = req(`${repoRoot}/dist/validators/${key}.cjs`) as ValidateFunction & { default?: ValidateFunction };
      return m.default ?? m;
    } catch {
      return undefined;
    }
  },
});
const loadSchemas = [pb.playSchema, pb.taskKeywordsSchema, pb.blockKeywordsSchema, pb.taskImportSchema, pb.importPlaybookSchema, ...Object.values(pb.engineActionArgs).map((a) => a.args)];

describe('precompiled validators', () => {
  it('exist for the playbook shape, engine actions and every module, in both profiles', () => {
    const missing: string[] = [];
    for (const s of loadSchemas) if (!table[validatorKey('load', s)]) missing.push(`load ${JSON.stringify(s).slice(0, 60)}`);
    for (const m of moduleRegistry.values()) {
      if (!table[validatorKey('load', m.args)]) missing.push(`load ${m.name}`);
      if (!table[validatorKey('run', m.args)]) missing.push(`run ${m.name}`);
    }
    expect(missing).toEqual([]);
  });

  it('give the same verdicts, errors, coercions and defaults as run-time compiled ones', () => {
    const samples: [string, unknown][] = [
      ['sysctl', { name: 'net.ipv4.ip_forward', value: 1 }],
      ['sysctl', { name: 'x', value: '1', reload: 'yes' }],
      ['sysctl', { nmae: 'x' }],
      ['file', { path: '/etc/x', state: 'directory', mode: '0755' }],
      ['file', { path: 7, state: 'dir' }],
      ['command', { cmd: 'true', creates: '/x' }],
      ['systemd_unit', { name: 'k3s', enabled: 'true', state: 'started' }],
      ['package', { name: ['a', 'b'], hold: 1 }],
    ];
    for (const profile of ['load', 'run'] as const) {
      const ajv = new Ajv(AJV_OPTIONS[profile]);
      for (const [name, data] of samples) {
        const schema = moduleRegistry.get(name)!.args;
        const pre = table[validatorKey(profile, schema)]!;
        const live = ajv.compile(schema);
        const a = structuredClone(data);
        const b = structuredClone(data);
        expect([pre(a), pre.errors ?? null, a], `${profile} ${name} ${JSON.stringify(data)}`).toEqual([live(b), live.errors ?? null, b]);
      }
    }
  });
});
