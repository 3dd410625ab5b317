import { describe, expect, test } from 'vitest';
import { K3playError } from '../errors/k3play-error.js';
import { formatError } from '../errors/print-error.js';
import { Secret } from '../module-api/secret.js';
import { compileExpression, evaluate, evaluateCondition, expressionCacheSize } from './expression.js';

const where = { file: 'playbooks/site.yml', line: 12, col: 13 };

const vars: Record<string, unknown> = {
  a: 1,
  b: 2,
  s: 'hello',
  empty: '',
  zero: 0,
  nothing: null,
  list: [1, 2, 3],
  names: ['h1', 'h2'],
  obj: { k: 'v', n: 3 },
  port: '6443',
  flag: true,
  yes_str: 'yes',
  kernel: '5.15.0-91-generic',
  k3s_version: 'v1.29.4+k3s1',
  groups: { etcd: ['h1', 'h2', 'h3'], servers: ['h1'] },
  hostvars: { h1: { ansible_host: '10.0.0.1', x: 1 }, h2: { ansible_host: '10.0.0.2' } },
  inventory_hostname: 'h1',
  result: { rc: 0, changed: true, failed: false, stdout: 'active', stdout_lines: ['active'] },
  bad: { rc: 1, changed: false, failed: true, stderr: 'boom' },
  skippedres: { skipped: true, changed: false },
  token: new Secret('s3cr3t-token'),
  tmpl: '{{ secret }}',
};

// [expression, expected value]
const values: [string, unknown][] = [
  ['1', 1],
  ['"str"', 'str'],
  ["'single'", 'single'],
  ['true', true],
  ['True', true],
  ['False', false],
  ['none', null],
  ['None', null],
  ['null', null],
  ['a', 1],
  ['a == 1', true],
  ['a != 1', false],
  ['a < b', true],
  ['a <= 1', true],
  ['b > a', true],
  ['b >= 3', false],
  ['s == "hello"', true],
  ['"a" < "b"', true],
  ['a == 1 and b == 2', true],
  ['a == 1 and b == 3', false],
  ['a == 2 or b == 2', true],
  ['not flag', false],
  ['not a == 2', true],
  ['(a == 1 or b == 1) and not flag', false],
  ['2 in list', true],
  ['5 in list', false],
  ['5 not in list', true],
  ['"ell" in s', true],
  ['"k" in obj', true],
  ['"zz" not in obj', true],
  ['inventory_hostname in groups.etcd', true],
  ["inventory_hostname in groups['servers']", true],
  ["groups['etcd'][0]", 'h1'],
  ['groups.etcd[-1]', 'h3'],
  ['groups.etcd.1', 'h2'],
  ["hostvars['h1'].ansible_host", '10.0.0.1'],
  ['hostvars[inventory_hostname].x', 1],
  ['result.rc', 0],
  ['result.rc == 0', true],
  ['result.stdout_lines[0]', 'active'],
  ['obj.k', 'v'],
  ['x is defined', false],
  ['x is undefined', true],
  ['a is defined', true],
  ['x.y.z is defined', false],
  ['obj.nope is not defined', true],
  ['not x is defined', true],
  ['nothing is none', true],
  ['a is none', false],
  ['result is changed', true],
  ['result is failed', false],
  ['bad is failed', true],
  ['bad is succeeded', false],
  ['result is success', true],
  ['skippedres is skipped', true],
  ['result is not changed', false],
  ['kernel is match("5\\.15")', true],
  ['kernel is match("15")', false],
  ['kernel is search("15")', true],
  ["k3s_version is version('v1.28.0', '>=')", true],
  ["kernel is version('6.1', '<')", true],
  ['list | length', 3],
  ['s | length == 5', true],
  ['obj | length', 2],
  ['port | int', 6443],
  ['port | int > 443', true],
  ['"abc" | int', 0],
  ['yes_str | bool', true],
  ['"no" | bool', false],
  ['s | upper', 'HELLO'],
  ['"  X " | trim | lower', 'x'],
  ['x | default(5)', 5],
  ['x | d("v")', 'v'],
  ['nothing | default(7)', 7],
  ['empty | default("e", true)', 'e'],
  ['a | default(9)', 1],
  ['x.y | default(1) + 1', 2],
  ['names | join(",")', 'h1,h2'],
  ['names | first', 'h1'],
  ['names | last', 'h2'],
  ['a ~ "-" ~ s', '1-hello'],
  ['a + b * 2', 5],
  ['(a + b) * 2', 6],
  ['-a', -1],
  ['7 % 3', 1],
  ['[1, 2] == [1, 2]', true],
  ['list | length > 2 and list[0] == 1', true],
  ['a or x', 1],
  ['zero or "fallback"', 'fallback'],
  ['tmpl', '{{ secret }}'],
  ['tmpl == "{{ secret }}"', true],
  ['token == "s3cr3t-token"', true],
  ['{{ a == 1 }}', true],
  ['  {{ result is changed }}  ', true],
];

describe('evaluate', () => {
  test.each(values)('%s', (text, expected) => {
    expect(evaluate(compileExpression(text, where), vars)).toEqual(expected);
  });
});

// [condition, expected truthiness]
const truthiness: [string | boolean, boolean][] = [
  ['empty', false],
  ['zero', false],
  ['nothing', false],
  ['list', true],
  ['[]', false],
  ['obj', true],
  ['s', true],
  [true, true],
  [false, false],
];

describe('evaluateCondition truthiness', () => {
  test.each(truthiness)('%s', (text, expected) => {
    expect(evaluateCondition(text, vars, where)).toBe(expected);
  });
});

// [expression, substring of the error message, substring of the hint (or '')]
const errors: [string, string, string][] = [
  ['x', 'undefined variable "x"', 'group_vars/'],
  ['resutl.rc == 0', 'undefined variable "resutl.rc"', 'did you mean "result"?'],
  ['result.rcc == 0', 'undefined variable "result.rcc"', 'did you mean "rc"?'],
  ['x == 1', 'undefined variable "x"', 'is defined'],
  ['not x', 'undefined variable "x"', ''],
  ['x | length', 'undefined variable "x"', ''],
  ['a ==', 'unexpected end of expression', ''],
  ['a = 1', 'unexpected character "="', 'compare with =='],
  ['a && b', 'unexpected character "&"', 'use `and`'],
  ['(a == 1', 'expected ")"', 'to close'],
  ['a == 1)', 'unexpected ")"', ''],
  ['a b', 'unexpected "b"', 'operator is missing'],
  ['"unterminated', 'unterminated string', ''],
  ['', 'empty expression', ''],
  ['a < b < 3', 'chained comparisons', 'and'],
  ['s | nosuchfilter', 'unknown filter "nosuchfilter"', 'filters:'],
  ['s | lenght', 'unknown filter "lenght"', 'did you mean "length"?'],
  ['s is defind', 'unknown test "defind"', 'did you mean "defined"?'],
  ['s is match', '"match" takes 1 argument', ''],
  ['port > 443', 'cannot compare string with number', '| int'],
  ['list < 1', 'cannot compare list with number', ''],
  ['1 in 5', '"in" needs a list, string or mapping', ''],
  ['s - 1', '"-" needs numbers', ''],
  ['a / 0', 'division by zero', ''],
  ['s is changed', 'expects a registered task result', 'register'],
  ['s is match("(")', 'invalid regular expression', ''],
  ['and', 'unexpected keyword "and"', ''],
  // malicious input
  ['constructor', '"constructor" is not allowed', 'blocked'],
  ['__proto__', '"__proto__" is not allowed', ''],
  ['obj.constructor', '"constructor" is not allowed', ''],
  ['s.__proto__', '"__proto__" is not allowed', ''],
  ['obj.prototype', '"prototype" is not allowed', ''],
  ['x.constructor.constructor("return process")()', '"constructor" is not allowed', ''],
  ['obj["constructor"]', '"constructor" is not allowed', ''],
  ['obj["__pro" ~ "to__"]', '"__proto__" is not allowed', ''],
  ['obj.toString', 'undefined variable "obj.toString"', ''],
  ['s.toUpperCase', 'undefined variable "s.toUpperCase"', ''],
  ['list.map', 'undefined variable "list.map"', ''],
  ['hasOwnProperty', 'undefined variable "hasOwnProperty"', ''],
  ['this', 'undefined variable "this"', ''],
  ['this.constructor', '"constructor" is not allowed', ''],
  ['s.length()', 'function calls are not allowed', 'filters'],
  ['len(list)', 'function calls are not allowed', ''],
  ['process.exit(1)', 'function calls are not allowed', ''],
  ['globalThis', 'undefined variable "globalThis"', ''],
  ['a; process', 'unexpected character ";"', ''],
  ['`x`', 'unexpected character "`"', ''],
  ['a == 1'.padEnd(5000, ' ') + 'x', 'expression too long', 'set_fact'],
  ['('.repeat(200) + 'a' + ')'.repeat(200), 'nested too deeply', ''],
  ['not '.repeat(200) + 'a', 'nested too deeply', ''],
  ['{{ a }} and {{ b }}', 'unexpected character "{"', 'bare expressions'],
];

describe('errors', () => {
  test.each(errors)('%s', (text, message, hint) => {
    let caught: unknown;
    try {
      evaluate(compileExpression(text, where), vars);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(K3playError);
    const p = (caught as K3playError).problems[0]!;
    expect(p.message).toContain(message);
    if (hint !== '') expect(p.hint ?? '').toContain(hint);
    expect(p.loc?.file).toBe('playbooks/site.yml');
  });
});

describe('error positions', () => {
  test('syntax error column points inside the expression', () => {
    try {
      compileExpression('a == 1 and b ==', where);
      expect.unreachable();
    } catch (e) {
      const p = (e as K3playError).problems[0]!;
      expect(p.loc).toEqual({ file: 'playbooks/site.yml', line: 12, col: 13 + 15 });
      expect(p.message).toContain('column 16');
    }
  });
  test('undefined variable column points at the variable', () => {
    try {
      evaluateCondition('a == 1 and missing_var', vars, where);
      expect.unreachable();
    } catch (e) {
      const p = (e as K3playError).problems[0]!;
      expect(p.loc?.col).toBe(13 + 11);
      expect(formatError(e)).toMatch(/playbooks\/site.yml:12:24\n {2}undefined variable "missing_var"/);
    }
  });
  test('braces are stripped and the column still counts them', () => {
    const ex = compileExpression('{{ nope }}', where);
    expect(ex.deprecatedBraces).toBe(true);
    expect(() => evaluate(ex, vars)).toThrow(/undefined variable "nope"/);
    try {
      evaluate(ex, vars);
    } catch (e) {
      expect((e as K3playError).problems[0]!.loc?.col).toBe(13 + 3);
    }
  });
});

describe('cache and safety', () => {
  test('compiled expressions are cached by text', () => {
    compileExpression('cache_probe == 1', where);
    const n = expressionCacheSize();
    for (let i = 0; i < 100; i++) compileExpression('cache_probe == 1', where);
    expect(expressionCacheSize()).toBe(n);
  });
  test('functions in data are never called', () => {
    let called = false;
    const v = { f: () => (called = true), o: { g: () => (called = true) } };
    expect(evaluate(compileExpression('f is defined', where), v)).toBe(false);
    expect(() => evaluate(compileExpression('o.g', where), v)).toThrow(/undefined variable "o.g"/);
    expect(called).toBe(false);
  });
  test('inherited properties are invisible', () => {
    const proto = { secretish: 1 };
    const v = { o: Object.create(proto) as Record<string, unknown> };
    expect(evaluate(compileExpression('o.secretish is defined', where), v)).toBe(false);
  });
  test('a value that looks like a template is data', () => {
    expect(evaluate(compileExpression('tmpl ~ "!"', where), vars)).toBe('{{ secret }}!');
  });
});
