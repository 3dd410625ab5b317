import { describe, expect, test } from 'vitest';
import { K3playError } from '../errors/k3play-error.js';
import { formatError } from '../errors/print-error.js';
import { Secret, isSecret, maskSecrets } from '../module-api/secret.js';
import { renderDeep, renderString, templateCacheSize } from './render.js';

const where = { file: 'playbooks/site.yml', line: 20, col: 14, what: 'task "write config" (copy)' };

const hostvars = {
  h1: { ansible_host: '10.0.0.1', etcd_port: 2380 },
  h2: { ansible_host: '10.0.0.2', etcd_port: 2380 },
  h3: { ansible_host: '10.0.0.3', etcd_port: 2380 },
};
const vars: Record<string, unknown> = {
  name: 'k3s',
  n: 3,
  port: '6443',
  enabled: true,
  nothing: null,
  list: ['a', 'b', 'c'],
  obj: { k: 'v', nested: { deep: 1 } },
  cfg: { cluster: 'edge', servers: 3 },
  padded: '  Mixed Case  ',
  encoded: Buffer.from('hello').toString('base64'),
  groups: { etcd: ['h1', 'h2', 'h3'], servers: ['h1', 'h2'] },
  hostvars,
  inventory_hostname: 'h1',
  token: new Secret('K10-super-secret-token'),
  // host data that looks like templates: must stay literal
  fact_motd: '{{ token }}',
  fact_block: '{{#each groups.etcd}}x{{/each}}',
  result: { stdout: '{{ constructor }}', rc: 0 },
};

const r = (text: string, v: Record<string, unknown> = vars) => renderString(text, v, where);

// [template, expected result]
const cases: [string, unknown][] = [
  ['plain text', 'plain text'],
  ['', ''],
  ['{{name}}', 'k3s'],
  ['{{ name }}', 'k3s'],
  ['v={{ name }}-{{n}}', 'v=k3s-3'],
  ['{{ n }}', 3],
  ['{{ enabled }}', true],
  ['{{ list }}', ['a', 'b', 'c']],
  ['{{ obj }}', { k: 'v', nested: { deep: 1 } }],
  ['{{ nothing }}', null],
  ['[{{ nothing }}]', '[]'],
  ['{{ obj.nested.deep }}', 1],
  ['{{ groups.etcd }}', ['h1', 'h2', 'h3']],
  ['list={{ list }}', 'list=["a","b","c"]'],
  ['{{ list.[1] }}', 'b'],
  ['{{ list.length }}', 3],
  ['{{default missing "fallback"}}', 'fallback'],
  ['{{default missing.deep.path "fallback"}}', 'fallback'],
  ['{{default nothing "fallback"}}', 'fallback'],
  ['{{default name "fallback"}}', 'k3s'],
  ['{{default missing 5}}', 5],
  ['{{join list ", "}}', 'a, b, c'],
  ['{{join list}}', 'a,b,c'],
  ['{{json cfg}}', '{"cluster":"edge","servers":3}'],
  ['{{yaml cfg}}', 'cluster: edge\nservers: 3\n'],
  ['{{to_int port}}', 6443],
  ['port {{to_int port}}', 'port 6443'],
  ['{{b64encode "hello"}}', 'aGVsbG8='],
  ['{{b64decode encoded}}', 'hello'],
  ['{{regex_replace "10.0.0.1:6443" ":\\d+$" ""}}', '10.0.0.1'],
  ['{{regex_replace "k3s-server-1" "^(\\w+)-.*-(\\d)$" "\\1 #\\2"}}', 'k3s #1'],
  ['{{lower padded}}', '  mixed case  '],
  ['{{upper name}}', 'K3S'],
  ['{{trim padded}}', 'Mixed Case'],
  ['{{lower (trim padded)}}', 'mixed case'],
  ['{{hostvars "h2" "ansible_host"}}', '10.0.0.2'],
  ['{{hostvars inventory_hostname "etcd_port"}}', 2380],
  ['{{ hostvars.h3.ansible_host }}', '10.0.0.3'],
  ['{{lookup (lookup hostvars "h1") "ansible_host"}}', '10.0.0.1'],
  ['{{#each (group "servers")}}[{{this}}]{{/each}}', '[h1][h2]'],
  ['{{#if (eq name "k3s")}}yes{{else}}no{{/if}}', 'yes'],
  ['{{#if (ne n 3)}}yes{{else}}no{{/if}}', 'no'],
  ['{{#if (and enabled (eq n 3))}}both{{/if}}', 'both'],
  ['{{#if (or nothing enabled)}}one{{/if}}', 'one'],
  ['{{#if (not nothing)}}empty{{/if}}', 'empty'],
  ['{{#unless enabled}}off{{else}}on{{/unless}}', 'on'],
  ['{{#with obj}}{{k}}/{{@root.name}}/{{../n}}{{/with}}', 'v/k3s/3'],
  ['{{#each list}}{{@index}}:{{this}}{{#unless @last}},{{/unless}}{{/each}}', '0:a,1:b,2:c'],
  ['{{#each cfg}}{{@key}}={{this}};{{/each}}', 'cluster=edge;servers=3;'],
  ['{{#each list as |item|}}{{item}}{{/each}}', 'abc'],
  ['\\{{ not_a_template }}', '{{ not_a_template }}'],
  ['{{!-- a comment --}}x', 'x'],
  ['{{eq n 3}}', true],
  // injection: values from hosts are inserted literally, never rendered again
  ['{{ fact_motd }}', '{{ token }}'],
  ['motd: {{ fact_motd }}', 'motd: {{ token }}'],
  ['{{ fact_block }}', '{{#each groups.etcd}}x{{/each}}'],
  ['out={{ result.stdout }}', 'out={{ constructor }}'],
];

describe('renderString', () => {
  test.each(cases)('%s', (text, expected) => {
    expect(r(text)).toEqual(expected);
  });
});

describe('cluster idioms', () => {
  test('ETCD_INITIAL_CLUSTER from the etcd group and hostvars', () => {
    const t =
      'ETCD_INITIAL_CLUSTER={{#each (group "etcd")}}{{this}}=https://{{hostvars this "ansible_host"}}:{{hostvars this "etcd_port"}}{{#unless @last}},{{/unless}}{{/each}}';
    expect(r(t)).toBe('ETCD_INITIAL_CLUSTER=h1=https://10.0.0.1:2380,h2=https://10.0.0.2:2380,h3=https://10.0.0.3:2380');
  });
  test('haproxy backend lines from the servers group', () => {
    const t = [
      'backend k3s_api',
      '    balance roundrobin',
      '{{#each (group "servers")}}',
      '    server {{this}} {{hostvars this "ansible_host"}}:{{@root.port}} check',
      '{{/each}}',
    ].join('\n');
    expect(r(t)).toBe(
      ['backend k3s_api', '    balance roundrobin', '    server h1 10.0.0.1:6443 check', '    server h2 10.0.0.2:6443 check', ''].join('\n'),
    );
  });
});

function problemOf(fn: () => unknown) {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(K3playError);
    return (e as K3playError).problems[0]!;
  }
  throw new Error('expected an error');
}

// [template, message part, hint part]
const failures: [string, string, string][] = [
  ['{{ nmae }}', 'undefined variable "nmae"', 'did you mean "name"?'],
  ['a {{ missing }} b', 'undefined variable "missing"', 'group_vars/'],
  ['{{ obj.kk }}', 'undefined variable "obj.kk": "obj" has no key "kk"', 'did you mean "k"?'],
  ['{{ obj.nested.deep.x }}', '"obj.nested.deep" is number, it has no "x"', ''],
  ['{{ list.[7] }}', 'it has no index 7', ''],
  ['{{upper missing}}', 'undefined variable "missing"', ''],
  ['{{#if missing}}x{{/if}}', 'undefined variable "missing"', ''],
  ['{{#each list}}{{name}}{{/each}}', 'undefined variable "name"', '@root.name'],
  ['{{hostvars "h9" "ansible_host"}}', 'unknown host "h9"', ''],
  ['{{hostvars "h1" "ansibel_host"}}', 'has no key "ansibel_host"', 'did you mean "ansible_host"?'],
  ['{{#each (group "etdc")}}{{/each}}', 'unknown group "etdc"', 'did you mean "etcd"?'],
  ['{{lowr name}}', 'unknown helper "lowr"', 'did you mean "lower"?'],
  ['{{#foreach list}}{{/foreach}}', 'unknown block helper', '#each'],
  ['{{> partial}}', 'partials', ''],
  ['{{ name | upper }}', 'template syntax error', 'not Jinja'],
  ['{{ name }', 'template syntax error', ''],
  ['{{#if x}}', 'template syntax error', ''],
  ['{{to_int name}}', 'to_int: cannot convert', ''],
  ['{{join name}}', 'join: expected a list', ''],
  ['{{regex_replace name "(" ""}}', 'invalid pattern', ''],
  ['{{default missing}}', 'default: expected 2 arguments', 'usage'],
  ['{{lookup obj "nope"}}', 'expression is undefined', 'default'],
  // prototype access: an error, never code
  ['{{constructor}}', '"constructor" is not allowed', ''],
  ['{{__proto__}}', '"__proto__" is not allowed', ''],
  ['{{obj.constructor.name}}', '"constructor" is not allowed', ''],
  ['{{lookup this "constructor"}}', '"constructor" is not allowed', ''],
  ['{{lookup obj "__proto__"}}', '"__proto__" is not allowed', ''],
  ['{{#with obj}}{{constructor}}{{/with}}', '"constructor" is not allowed', ''],
  ['{{toString}}', 'undefined variable "toString"', ''],
  ['{{name.toUpperCase}}', 'has no "toUpperCase"', ''],
  ['{{lookup name "toUpperCase"}}', 'expression is undefined', ''],
];

describe('errors', () => {
  test.each(failures)('%s', (text, message, hint) => {
    const p = problemOf(() => r(text));
    expect(p.message).toContain(message);
    if (hint !== '') expect(p.hint ?? '').toContain(hint);
    expect(p.loc?.file).toBe('playbooks/site.yml');
    expect(p.context).toBe('task "write config" (copy)');
  });

  test('undefined variable points at file:line:col of the variable inside the template', () => {
    const p = problemOf(() => r('url: https://{{ api_hots }}:6443', { api_host: 'x' }));
    expect(p.loc).toEqual({ file: 'playbooks/site.yml', line: 20, col: 14 + 16 });
    expect(formatError(new K3playError(p))).toBe(
      [
        'playbooks/site.yml:20:30  task "write config" (copy)',
        '  undefined variable "api_hots" (template line 1, column 17)',
        '  hint: did you mean "api_host"?; define it in group_vars/, host_vars/, play vars or with -e',
      ].join('\n'),
    );
  });

  test('on a later template line only the line is known', () => {
    const p = problemOf(() => r('line one\nline two {{ nope }}'));
    expect(p.loc).toEqual({ file: 'playbooks/site.yml', line: 21, col: 0 });
    expect(p.message).toContain('template line 2, column 13');
  });
});

describe('caching', () => {
  test('the same text is compiled once', () => {
    const text = 'cache probe {{ name }} {{ n }}';
    r(text);
    const size = templateCacheSize();
    for (let i = 0; i < 500; i++) expect(r(text, { ...vars, n: i })).toBe(`cache probe k3s ${i}`);
    expect(templateCacheSize()).toBe(size);
  });
  test('text without {{ is not compiled', () => {
    const size = templateCacheSize();
    expect(r('no template here at all')).toBe('no template here at all');
    expect(templateCacheSize()).toBe(size);
  });
});

describe('renderDeep', () => {
  test('renders strings in objects and arrays, not keys', () => {
    const out = renderDeep(
      { '{{ name }}': '{{ name }}', list: ['{{ n }}', 1, true, null], nested: { hosts: '{{ groups.servers }}', secret: vars['token'] } },
      vars,
      where,
    );
    expect(out).toEqual({ '{{ name }}': 'k3s', list: [3, 1, true, null], nested: { hosts: ['h1', 'h2'], secret: vars['token'] } });
  });
});

describe('secrets', () => {
  test('a whole-string secret stays a Secret', () => {
    const v = r('{{ token }}');
    expect(isSecret(v)).toBe(true);
    expect(String(v)).toBe('********');
  });
  test('interpolated secret: real value for the host, masked when displayed', () => {
    const v = r('Authorization: Bearer {{ token }}');
    expect(v).toBe('Authorization: Bearer K10-super-secret-token');
    expect(maskSecrets(v as string)).not.toContain('K10-super-secret-token');
  });
  test('a helper given a secret returns a secret, and derived text is masked', () => {
    const enc = r('{{b64encode token}}');
    expect(isSecret(enc)).toBe(true);
    expect((enc as Secret).reveal()).toBe(Buffer.from('K10-super-secret-token').toString('base64'));
    const line = r('token_b64: {{b64encode token}}') as string;
    expect(line).toContain(Buffer.from('K10-super-secret-token').toString('base64'));
    expect(maskSecrets(`log: ${line}`)).not.toContain(Buffer.from('K10-super-secret-token').toString('base64'));
  });
  test('default keeps the secret type', () => {
    expect(isSecret(r('{{default token "x"}}'))).toBe(true);
  });
});

describe('a template that is one plain variable path', () => {
  // `{{~ x ~}}` is the same template for handlebars but not a plain path: it always compiles.
  test.each(['name', 'n', 'nothing', 'list', 'list.length', 'padded.length', 'obj.nested.deep', 'groups.etcd', 'hostvars.h2.ansible_host', 'token'])(
    '{{ %s }} gives what the compiled form gives',
    (path) => {
      const fast = r(`{{ ${path} }}`);
      expect(fast).toEqual(r(`{{~ ${path} ~}}`));
      if (path === 'token') expect(isSecret(fast)).toBe(true);
    },
  );

  test.each(['missing', 'obj.kk', 'nothing.x', 'list.x', 'name.first', 'toString', 'obj.constructor'])('{{ %s }} fails as the compiled form does', (path) => {
    const message = (text: string): string => {
      try {
        r(text);
      } catch (e) {
        // The column differs by the `~`; everything else must be the same.
        return formatError(e as K3playError).replace('{{~ ', '{{ ').replace(' ~}}', ' }}').replace(/:20:\d+/g, ':20:C').replace(/column \d+/g, 'column C');
      }
      return 'no error';
    };
    expect(message(`{{ ${path} }}`)).not.toBe('no error');
    expect(message(`{{ ${path} }}`)).toBe(message(`{{~ ${path} ~}}`));
  });

  test('helpers and literals are not variables', () => {
    expect(r('{{ true }}')).toBe(true);
    expect(r('{{ this.name }}')).toBe('k3s');
  });
});
