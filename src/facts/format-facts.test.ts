import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import { formatFacts } from './format-facts.js';
import { parseFacts } from './parse-facts.js';

const facts = parseFacts(readFileSync(new URL('./testdata/rocky8-selinux.txt', import.meta.url), 'utf8'));

describe('formatFacts', () => {
  test.each([
    { opts: {}, keys: ['facts'] },
    { opts: { ansible: true }, keys: ['facts', 'ansible_facts'] },
  ])('round-trips through YAML ($keys)', ({ opts, keys }) => {
    const text = formatFacts(facts, opts);
    const doc = parse(text) as Record<string, unknown>;
    expect(Object.keys(doc)).toEqual(keys);
    expect(doc['facts']).toEqual(JSON.parse(JSON.stringify(facts)));
    expect(text).not.toMatch(/[&*]a\d/); // no YAML anchors/aliases
  });

  test('reads like the facts', () => {
    expect(formatFacts(facts)).toContain('  hostname: rocky8-a\n');
  });
});
