/**
 * The playbook language, case by case: each a small playbook run for real (local connection)
 * with the expected trace of results and recap, as ansible-playbook would produce them.
 */
import { stat } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { runCase } from './run-text.js';

describe('playbook language', () => {
  it('hostvars of a group that includes the current host, in play vars (as Ansible: hostvars[inventory_hostname] works)', async () => {
    const r = await runCase({
      inventory: `[etcd]\nh1 addr=10.0.0.1\nh2 addr=10.0.0.2\n`,
      playbook: `
- hosts: etcd
  gather_facts: false
  vars:
    members: '{{#each (group "etcd")}}{{this}}={{hostvars this "addr"}}{{#unless @last}},{{/unless}}{{/each}}'
  tasks:
    - debug: { msg: "{{ members }}" }
`,
    });
    expect(r.results.map((x) => `${x.host}:${x.msg}`)).toEqual(['h1:h1=10.0.0.1,h2=10.0.0.2', 'h2:h1=10.0.0.1,h2=10.0.0.2']);
  });

  it('serial: [1, 50%] runs batches of 1, then 2, then 2, each batch through all tasks', async () => {
    const r = await runCase({
      playbook: `
- hosts: all
  gather_facts: false
  serial: [1, "50%"]
  tasks:
    - name: a
      command: "true"
      changed_when: false
    - name: b
      command: "true"
      changed_when: false
`,
    });
    const batches = r.events.filter((e) => e.type === 'play_start' && e.batch).map((e) => (e.type === 'play_start' ? e.hosts : []));
    expect(batches).toEqual([['h1'], ['h2', 'h3'], ['h4', 'h5']]);
    expect(r.trace.slice(0, 4)).toEqual(['a:h1:ok', 'b:h1:ok', 'a:h2:ok', 'a:h3:ok']);
    expect(r.exitCode).toBe(0);
  });

  it('a handler notified twice runs once, at the end of the play', async () => {
    const r = await runCase({
      playbook: `
- hosts: h1
  gather_facts: false
  tasks:
    - name: first
      command: "true"
      notify: restart
    - name: second
      command: "true"
      notify: restart
    - name: last task
      command: "true"
      changed_when: false
  handlers:
    - name: restart
      command: "true"
`,
    });
    expect(r.trace).toEqual(['first:h1:changed', 'second:h1:changed', 'last task:h1:ok', 'restart:h1:changed']);
  });

  it('handlers listen to topics and do not run on a failed host', async () => {
    const r = await runCase({
      playbook: `
- hosts: h1,h2
  gather_facts: false
  tasks:
    - name: change
      command: "true"
      notify: web changed
    - name: fail on h2
      command: "false"
      when: inventory_hostname == 'h2'
  handlers:
    - name: reload haproxy
      command: "true"
      listen: web changed
`,
    });
    expect(r.trace).toEqual(['change:h1:changed', 'change:h2:changed', 'fail on h2:h1:skipped', 'fail on h2:h2:failed', 'reload haproxy:h1:changed']);
    expect(r.recap['h2']!.failed).toBe(1);
    expect(r.exitCode).toBe(2);
  });

  it('block / rescue / always run in order; a rescued failure is not a failure', async () => {
    const r = await runCase({
      playbook: `
- hosts: h1
  gather_facts: false
  tasks:
    - block:
        - name: in block
          command: "false"
        - name: never reached
          command: "true"
      rescue:
        - name: rescue
          command: "true"
      always:
        - name: always
          command: "true"
    - name: after
      command: "true"
`,
    });
    expect(r.trace).toEqual(['in block:h1:failed', 'rescue:h1:changed', 'always:h1:changed', 'after:h1:changed']);
    expect(r.recap['h1']).toMatchObject({ failed: 0, rescued: 1 });
    expect(r.exitCode).toBe(0);
  });

  it('always runs even when rescue fails, and the host stays failed', async () => {
    const r = await runCase({
      playbook: `
- hosts: h1
  gather_facts: false
  tasks:
    - block:
        - { name: b, command: "false" }
      rescue:
        - { name: r, command: "false" }
      always:
        - { name: a, command: "true" }
    - { name: after, command: "true" }
`,
    });
    expect(r.trace).toEqual(['b:h1:failed', 'r:h1:failed', 'a:h1:changed']);
    expect(r.exitCode).toBe(2);
  });

  it('until with retries: retried until the condition holds', async () => {
    const r = await runCase({
      playbook: `
- hosts: h1
  gather_facts: false
  tasks:
    - name: count
      command: "echo x >> $DIR/count && wc -l < $DIR/count"
      register: c
      until: c.stdout | int >= 3
      retries: 5
      delay: 0
    - debug: { msg: "attempts={{ c.attempts }}" }
`,
    });
    expect(r.results[0]!.status).toBe('changed');
    expect(r.results[1]!.msg).toBe('attempts=3');
  });

  it('until that never holds fails after retries', async () => {
    const r = await runCase({
      playbook: `
- hosts: h1
  gather_facts: false
  tasks:
    - command: "echo no"
      register: c
      until: "'yes' in c.stdout"
      retries: 2
      delay: 0
`,
    });
    expect(r.results[0]!.status).toBe('failed');
    expect(r.results[0]!.msg).toMatch(/retries exhausted \(3 attempts\)/);
  });

  it('run_once + delegate_to: runs on one host, result registered for all', async () => {
    const r = await runCase({
      playbook: `
- hosts: servers
  gather_facts: false
  tasks:
    - name: once
      command: "echo {{ inventory_hostname }}"
      run_once: true
      delegate_to: h5
      register: out
    - debug: { msg: "{{ out.stdout }}" }
`,
    });
    expect(r.trace.filter((t) => t.startsWith('once'))).toEqual(['once:h1:changed']);
    expect(r.results.find((x) => x.task === 'once')!.delegatedTo).toBe('h5');
    expect(r.results.filter((x) => x.module === 'debug').map((x) => x.msg)).toEqual(['h1', 'h1', 'h1']);
  });

  it('delegate_to from a template: the result names the rendered host, and register holds no delegatedTo', async () => {
    const r = await runCase({
      playbook: `
- hosts: h1
  gather_facts: false
  vars:
    seed: h5
  tasks:
    - name: on the seed
      command: "echo {{ inventory_hostname }}"
      delegate_to: "{{ seed }}"
      register: out
    - debug: { msg: "{{#each out}}{{@key}} {{/each}}" }
`,
    });
    expect(r.results.find((x) => x.task === 'on the seed')!.delegatedTo).toBe('h5');
    const keys = r.results.find((x) => x.module === 'debug')!.msg!.split(' ');
    expect(keys).toContain('stdout');
    expect(keys).not.toContain('delegatedTo');
  });

  it('tags: always runs under --tags, never runs only when asked', async () => {
    const playbook = `
- hosts: h1
  gather_facts: false
  tasks:
    - { name: t-prep, command: "true", tags: [prep] }
    - { name: t-always, command: "true", tags: [always] }
    - { name: t-never, command: "true", tags: [never, debug] }
    - { name: t-none, command: "true" }
`;
    const names = (t: string[]) => t.map((x) => x.split(':')[0]);
    expect(names((await runCase({ playbook })).trace)).toEqual(['t-prep', 't-always', 't-none']);
    expect(names((await runCase({ playbook, opts: { tags: ['prep'] } })).trace)).toEqual(['t-prep', 't-always']);
    expect(names((await runCase({ playbook, opts: { tags: ['debug'] } })).trace)).toEqual(['t-always', 't-never']);
    expect(names((await runCase({ playbook, opts: { skipTags: ['always'] } })).trace)).toEqual(['t-prep', 't-none']);
  });

  it('loop over a list of dicts with loop_control.label and loop_var', async () => {
    const r = await runCase({
      playbook: `
- hosts: h1
  gather_facts: false
  tasks:
    - name: users
      command: "echo {{ u.name }}:{{ u.uid }}"
      loop:
        - { name: alice, uid: 1001 }
        - { name: bob, uid: 1002 }
      loop_control:
        loop_var: u
        label: "{{ u.name }}"
      register: res
    - debug: { msg: "{{ res.results.1.stdout }} {{ res.changed }}" }
`,
    });
    expect(r.trace.slice(0, 2)).toEqual(['users:h1:changed:alice', 'users:h1:changed:bob']);
    expect(r.results[2]!.msg).toBe('bob:1002 true');
    expect(r.recap['h1']).toMatchObject({ ok: 2, changed: 1 });
  });

  it('when on registered results: rc, is failed, is changed, is skipped', async () => {
    const r = await runCase({
      playbook: `
- hosts: h1
  gather_facts: false
  tasks:
    - { name: probe, command: "exit 3", register: p, ignore_errors: true }
    - { name: on-rc, command: "true", when: p.rc == 3 }
    - { name: on-failed, command: "true", when: p is failed }
    - { name: on-success, command: "true", when: p is succeeded }
    - { name: skipper, command: "true", when: false, register: s }
    - { name: on-skipped, command: "true", when: s is skipped }
`,
    });
    expect(r.trace).toEqual(['probe:h1:failed', 'on-rc:h1:changed', 'on-failed:h1:changed', 'on-success:h1:skipped', 'skipper:h1:skipped', 'on-skipped:h1:changed']);
    expect(r.recap['h1']).toMatchObject({ ignored: 1, failed: 0, skipped: 2 });
    expect(r.exitCode).toBe(0);
  });

  it('changed_when / failed_when decide from the result', async () => {
    const r = await runCase({
      playbook: `
- hosts: h1
  gather_facts: false
  tasks:
    - { name: quiet, command: "echo same", register: q, changed_when: "'changed' in q.stdout" }
    - { name: picky, command: "echo ERROR here", register: p, failed_when: "'ERROR' in p.stdout" }
`,
    });
    expect(r.trace).toEqual(['quiet:h1:ok', 'picky:h1:failed']);
    expect(r.results[1]!.msg).toMatch(/failed_when condition held/);
  });

  it('set_fact, assert and fail', async () => {
    const r = await runCase({
      playbook: `
- hosts: h1,h2
  gather_facts: false
  tasks:
    - set_fact: { n: 3, name2: "{{ inventory_hostname }}-x" }
    - assert: { that: ["n == 3", "name2 is match('h[12]-x')"] }
    - fail: { msg: "stop {{ name2 }}" }
      when: inventory_hostname == 'h2'
`,
    });
    expect(r.results.filter((x) => x.module === 'assert').map((x) => x.status)).toEqual(['ok', 'ok']);
    const f = r.results.find((x) => x.module === 'fail' && x.host === 'h2')!;
    expect(f.status).toBe('failed');
    expect(f.msg).toBe('stop h2-x');
  });

  it('any_errors_fatal stops every host after one failure', async () => {
    const r = await runCase({
      playbook: `
- hosts: servers
  gather_facts: false
  any_errors_fatal: true
  tasks:
    - { name: one, command: "false", when: inventory_hostname == 'h2' }
    - { name: two, command: "true" }
`,
    });
    expect(r.trace.filter((t) => t.startsWith('two'))).toEqual([]);
    expect(r.exitCode).toBe(2);
  });

  it('max_fail_percentage stops the run when exceeded', async () => {
    const r = await runCase({
      playbook: `
- hosts: all
  gather_facts: false
  max_fail_percentage: 20
  tasks:
    - { name: one, command: "false", when: "inventory_hostname in ['h1', 'h2']" }
    - { name: two, command: "true" }
`,
    });
    expect(r.trace.filter((t) => t.startsWith('two'))).toEqual([]);
    expect(r.events.some((e) => e.type === 'warning' && /max_fail_percentage/.test(e.message))).toBe(true);
  });

  it('meta: flush_handlers runs notified handlers at that point', async () => {
    const r = await runCase({
      playbook: `
- hosts: h1
  gather_facts: false
  tasks:
    - { name: change, command: "true", notify: h }
    - meta: flush_handlers
    - { name: after, command: "true", changed_when: false }
  handlers:
    - { name: h, command: "true" }
`,
    });
    expect(r.trace).toEqual(['change:h1:changed', 'h:h1:changed', 'after:h1:ok']);
  });

  it('strategy: free lets hosts run ahead', async () => {
    const r = await runCase({
      playbook: `
- hosts: h1,h2
  gather_facts: false
  strategy: free
  tasks:
    - { name: slow, command: "sleep 0.3", when: inventory_hostname == 'h1' }
    - { name: fast, command: "true" }
`,
    });
    const fastH2 = r.trace.indexOf('fast:h2:changed');
    const slowH1 = r.trace.indexOf('slow:h1:changed');
    expect(fastH2).toBeGreaterThanOrEqual(0);
    expect(fastH2).toBeLessThan(slowH1);
  });

  it('check_mode per task: false applies even under --check; true only checks', async () => {
    const r = await runCase({
      playbook: `
- hosts: h1
  gather_facts: false
  tasks:
    - { name: real, file: { path: "$DIR/real", state: directory }, check_mode: false }
    - { name: checked, file: { path: "$DIR/checked", state: directory } }
`,
      opts: { check: true },
      inspect: async (dir) => {
        expect((await stat(`${dir}/real`)).isDirectory()).toBe(true);
        // stat, not readFile: reading a directory that check mode wrongly created fails too.
        await expect(stat(`${dir}/checked`)).rejects.toMatchObject({ code: 'ENOENT' });
      },
    });
    expect(r.trace).toEqual(['real:h1:changed', 'checked:h1:changed']);
    expect(r.results[0]!.check).toBeUndefined();
    expect(r.results[1]!.check).toBe(true);
  });

  it('no_log hides output and messages', async () => {
    const r = await runCase({
      playbook: `
- hosts: h1
  gather_facts: false
  tasks:
    - { name: secret, command: "echo hunter2-password; false", no_log: true }
`,
    });
    const text = JSON.stringify(r.events);
    expect(text).not.toContain('hunter2-password');
    expect(r.results[0]!.msg).toMatch(/no_log/);
  });

  it('host data is never rendered as a template (registered output with {{ }} stays literal)', async () => {
    const r = await runCase({
      playbook: `
- hosts: h1
  gather_facts: false
  vars:
    secret_thing: SHOULD-NOT-APPEAR
  tasks:
    - name: host says a template
      command: "printf '%s' '{{ \\"{{\\" }} secret_thing }}'"
      register: out
    - set_fact: { copied: "{{ out.stdout }}" }
    - debug: { msg: "{{ copied }}" }
`,
    });
    const dbg = r.results.find((x) => x.module === 'debug')!;
    expect(dbg.msg).toBe('{{ secret_thing }}');
    expect(JSON.stringify(r.events)).not.toContain('SHOULD-NOT-APPEAR');
  });

  it('import_tasks with vars, and vars_files', async () => {
    const r = await runCase({
      playbook: `
- hosts: h1
  gather_facts: false
  vars_files: [vars.yml]
  tasks:
    - import_tasks: tasks/greet.yml
      vars: { who: imported }
`,
      files: {
        'vars.yml': 'greeting: hello\n',
        'tasks/greet.yml': '- debug: { msg: "{{ greeting }} {{ who }}" }\n',
      },
    });
    expect(r.results[0]!.msg).toBe('hello imported');
  });

  it('an undefined variable fails the task with its location and a hint; other hosts go on', async () => {
    const r = await runCase({
      playbook: `
- hosts: h1,h2
  gather_facts: false
  tasks:
    - debug: { msg: "{{ api_hots }}" }
      when: inventory_hostname == 'h1'
    - { name: next, command: "true" }
`,
      inventory: '[all]\nh1\nh2\n[all:vars]\nansible_connection=local\napi_host=1.2.3.4\n',
    });
    const f = r.results.find((x) => x.host === 'h1')!;
    expect(f.status).toBe('failed');
    expect(f.msg).toMatch(/site\.yml:\d+:\d+: undefined variable "api_hots"/);
    expect(f.hint).toMatch(/did you mean "api_host"/);
    expect(r.trace).toContain('next:h2:changed');
  });

  it('inventory and play vars may refer to each other; rendered in dependency order', async () => {
    const r = await runCase({
      playbook: `
- hosts: h1
  gather_facts: false
  vars:
    url: "https://{{ vip }}:{{ port }}"
    port: 6443
  tasks:
    - debug: { msg: "{{ url }}" }
`,
      inventory: '[all]\nh1\n[all:vars]\nansible_connection=local\nvip=10.231.0.250\n',
    });
    expect(r.results[0]!.msg).toBe('https://10.231.0.250:6443');
  });
});

describe('playbook language: corner cases found while documenting', () => {
  it('failed_when with a list fails only when every condition holds (ANDed, as Ansible)', async () => {
    const r = await runCase({
      playbook: `
- hosts: h1
  gather_facts: false
  tasks:
    - name: both
      command: "echo ERROR"
      register: out
      ignore_errors: true
      failed_when: ["'ERROR' in out.stdout", "out.rc == 0"]
    - name: one
      command: "echo ERROR"
      register: out2
      failed_when: ["'ERROR' in out2.stdout", "out2.rc == 1"]
`,
    });
    expect(r.trace).toEqual(['both:h1:failed', 'one:h1:changed']);
  });

  it("meta honours when (its own and a block's)", async () => {
    const r = await runCase({
      playbook: `
- hosts: h1,h2
  gather_facts: false
  tasks:
    - meta: end_host
      when: inventory_hostname == 'h2'
    - { name: after, command: "true" }
`,
    });
    expect(r.trace).toEqual(['after:h1:changed']);
  });

  it('dict2items turns a mapping into a loop of {key, value}', async () => {
    const r = await runCase({
      playbook: `
- hosts: h1
  gather_facts: false
  vars:
    sysctls: { net.ipv4.ip_forward: "1", vm.swappiness: "0" }
  tasks:
    - debug: { msg: "{{ item.key }}={{ item.value }}" }
      loop: "{{dict2items sysctls}}"
`,
    });
    expect(r.results.map((x) => x.msg)).toEqual(['net.ipv4.ip_forward=1', 'vm.swappiness=0']);
  });
});
