import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { FactsCache, defaultFactsCacheDir, stableFacts } from './facts-cache.js';
import { parseFacts } from './parse-facts.js';

const facts = parseFacts(readFileSync(new URL('./testdata/debian12-nspawn.txt', import.meta.url), 'utf8'));
const T0 = Date.parse('2024-06-01T12:00:00Z');

let dir: string;
beforeEach(() => {
  dir = join(mkdtempSync(join(tmpdir(), 'k3play-facts-')), 'cache');
});
afterEach(() => {
  rmSync(join(dir, '..'), { recursive: true, force: true });
});

describe('per-run layer', () => {
  test('get/set/forgetHost', () => {
    const c = new FactsCache();
    expect(c.get('h1')).toBeUndefined();
    c.set('h1', facts);
    c.set('h2', facts);
    expect(c.get('h1')).toBe(facts);
    c.forgetHost('h1');
    expect(c.get('h1')).toBeUndefined();
    expect(c.get('h2')).toBe(facts);
  });
});

describe('persistent layer', () => {
  test.each([
    { name: 'fresh', ageSeconds: 0, hit: true },
    { name: 'just under the TTL', ageSeconds: 3599, hit: true },
    { name: 'at the TTL', ageSeconds: 3600, hit: false },
    { name: 'past the TTL', ageSeconds: 90_000, hit: false },
    { name: 'written in the future (clock skew)', ageSeconds: -60, hit: false },
  ])('TTL: $name', async ({ ageSeconds, hit }) => {
    const c = new FactsCache({ dir, ttlSeconds: 3600 });
    await c.savePersistent('h1', facts, T0);
    const got = await c.loadPersistent('h1', T0 + ageSeconds * 1000);
    expect(got === null).toBe(!hit);
  });

  test('default TTL is a day', async () => {
    const c = new FactsCache({ dir, now: () => T0 });
    await c.savePersistent('h1', facts);
    expect(await c.loadPersistent('h1', T0 + 86_399_000)).not.toBeNull();
    expect(await c.loadPersistent('h1', T0 + 86_400_000)).toBeNull();
  });

  test('only stable facts are stored; volatile ones come back null', async () => {
    const c = new FactsCache({ dir });
    await c.savePersistent('h1', facts, T0);
    const raw = JSON.parse(readFileSync(join(dir, 'h1.json'), 'utf8'));
    expect(raw).toMatchObject({ version: 1, host: 'h1', gatheredAt: '2024-06-01T12:00:00.000Z' });
    expect(raw.facts.epoch).toBeNull();
    expect(raw.facts.memory).toEqual({ totalMb: 7953, availableMb: null });
    expect(await c.loadPersistent('h1', T0)).toEqual(stableFacts(facts));
  });

  test('atomic write: 0600 file in a 0700 dir, no temp files left, overwrite keeps 0600', async () => {
    const c = new FactsCache({ dir });
    await c.savePersistent('h1', facts, T0);
    await c.savePersistent('h1', { ...facts, hostname: 'renamed' }, T0 + 1000);
    expect(readdirSync(dir)).toEqual(['h1.json']);
    expect(statSync(join(dir, 'h1.json')).mode & 0o777).toBe(0o600);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect((await c.loadPersistent('h1', T0 + 1000))?.hostname).toBe('renamed');
  });

  test('forgetHost removes the persistent copy too; a later save makes it usable again', async () => {
    const c = new FactsCache({ dir });
    await c.savePersistent('h1', facts, T0);
    c.forgetHost('h1');
    expect(readdirSync(dir)).toEqual([]);
    expect(await c.loadPersistent('h1', T0)).toBeNull();
    await c.savePersistent('h1', facts, T0);
    expect(await c.loadPersistent('h1', T0)).not.toBeNull();
  });

  test.each([
    { name: 'not JSON', content: '{"version": 1, "host": "h1", ' },
    { name: 'another host', content: JSON.stringify({ version: 1, host: 'h2', gatheredAt: '2024-06-01T12:00:00Z', facts }) },
    { name: 'another version', content: JSON.stringify({ version: 2, host: 'h1', gatheredAt: '2024-06-01T12:00:00Z', facts }) },
    { name: 'no facts', content: JSON.stringify({ version: 1, host: 'h1', gatheredAt: '2024-06-01T12:00:00Z' }) },
  ])('a corrupt file counts as absent: $name', async ({ content }) => {
    const c = new FactsCache({ dir });
    await c.savePersistent('h1', facts, T0);
    writeFileSync(join(dir, 'h1.json'), content);
    expect(await c.loadPersistent('h1', T0)).toBeNull();
  });

  test('host names cannot escape the directory', async () => {
    const c = new FactsCache({ dir });
    await c.savePersistent('../evil', facts, T0);
    expect(readdirSync(dir)).toEqual(['..%2Fevil.json']);
  });

  test('without a directory the persistent layer is a no-op', async () => {
    const c = new FactsCache();
    await c.savePersistent('h1', facts, T0);
    expect(await c.loadPersistent('h1', T0)).toBeNull();
    c.forgetHost('h1');
  });

  test('default directory is under .k3play/', () => {
    expect(defaultFactsCacheDir('proj')).toBe(join('proj', '.k3play', 'facts'));
  });
});
