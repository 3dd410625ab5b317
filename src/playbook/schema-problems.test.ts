/** Wording of ajv errors and did-you-mean, driven by small tables. */
import { describe, expect, test } from 'vitest';
import { formatProblem } from '../errors/print-error.js';
import { parseYamlSource } from '../errors/yaml-source.js';
import { didYouMean, levenshtein } from '../errors/did-you-mean.js';
import { checkSchema, describeValue, typeWords } from './schema-problems.js';
import type { SourceDoc } from './yaml-file.js';

function doc(text: string): SourceDoc {
  return { ...parseYamlSource(text, 'x.yml'), abs: '/x.yml', text };
}

describe('did you mean', () => {
  test.each([
    ['whn', ['when', 'name'], 'did you mean "when"?'],
    ['sysctll', ['sysctl', 'service'], 'did you mean "sysctl"?'],
    ['hots', ['hosts', 'tags'], 'did you mean "hosts"?'],
    ['zzzzzz', ['when', 'name'], undefined],
  ])('%s', (word, cands, want) => expect(didYouMean(word, cands)).toBe(want));
  test('levenshtein', () => expect(levenshtein('kitten', 'sitting')).toBe(3));
});

describe('value words', () => {
  test.each([
    [1, 'number 1'],
    [true, 'boolean true'],
    ['a', 'string "a"'],
    [null, 'nothing'],
    [[1], 'list'],
    [{}, 'mapping'],
  ])('%j', (v, want) => expect(describeValue(v)).toBe(want));
  test('type lists', () => expect(typeWords(['string', 'boolean', 'array'])).toBe('string, boolean or list'));
});

describe('checkSchema', () => {
  const schema = {
    type: 'object',
    properties: {
      port: { anyOf: [{ type: 'integer' }, { type: 'string', pattern: '^\\d+$' }] },
      mode: { type: 'string' },
      on: { type: 'boolean' },
      list: { type: 'array', items: { type: 'string' } },
    },
    additionalProperties: false,
  };
  test.each([
    ['port: [1]', 'x.yml:1:1\n  port: must be integer or string (got list)'],
    ['port: abc', 'x.yml:1:1\n  port: must match the pattern ^\\d+$ (got string "abc")'],
    ['mode: 0644', 'x.yml:1:1\n  mode: must be string (got number 644)\n  hint: quote it in YAML: mode: "0644"'],
    ['on: yes', 'x.yml:1:1\n  on: must be boolean (got string "yes")\n  hint: write on: true (yes/no are plain strings in YAML 1.2)'],
    ['list: [a, 2]', 'x.yml:1:11\n  list[1]: must be string (got number 2)\n  hint: quote it in YAML: - "2"'],
    ['mdoe: x', 'x.yml:1:1\n  unknown key "mdoe"\n  hint: did you mean "mode"?'],
    ['mode: "{{ m }}"\non: "{{ b }}"', ''],
  ])('%s', (yaml, want) => {
    const src = doc(yaml);
    const text = checkSchema(schema, src.value, { src, at: [], forgiveTemplates: true }).map(formatProblem).join('\n\n');
    expect(text).toBe(want);
  });
});
