/**
 * `wait_for`: wait until a port listens (or stops) or a file appears, disappears or matches.
 * read checks the condition ONCE (one round trip); when it holds the plan is [] (ok). When it
 * does not, the plan is one `maybe` Change whose single exec step polls ON THE HOST until the
 * condition holds or `timeout` passes (then the task fails with "timed out ..."). Its summary
 * starts with "waited for": a wait changes nothing on the host, so the engine may report such
 * a change as ok rather than changed (Ansible reports wait_for as ok). In check mode the task
 * says it would wait; it does not wait.
 */
import { defineModule, sh, TaskFailure } from '../../src/module-api/index.js';
import { waitForArgsSchema, type WaitForArgs } from './args.js';
import { pollScript, waitCondition } from './wait-condition.js';

export interface WaitForCurrent {
  /** The condition held when read. */
  readonly holds: boolean;
}

export default defineModule<WaitForArgs, WaitForCurrent>({
  name: 'wait_for',
  summary: 'Wait (on the host) until a TCP port is open or closed, or a file is present, absent or contains a pattern.',
  args: waitForArgsSchema,
  examples: [
    `- name: wait for the API server
  wait_for:
    port: 6443
    timeout: 120`,
    `- name: wait for the join token
  wait_for:
    path: /var/lib/rancher/k3s/server/node-token`,
    `- name: wait until etcd logs that it is ready
  wait_for:
    path: /var/log/etcd.log
    search_regex: ready to serve client requests`,
  ],

  async read(probe, args) {
    const cond = waitCondition(args);
    const r = await probe.exec(sh`if ${cond.test}; then echo holds=1; else echo holds=0; fi`);
    if (r.exitCode !== 0 || !/^holds=[01]$/m.test(r.stdout)) {
      throw new TaskFailure(`wait_for: cannot check ${cond.what}: exit ${r.exitCode}: ${r.stderr.trim()}`);
    }
    return { holds: /^holds=1$/m.test(r.stdout) };
  },

  plan(args, current) {
    const cond = waitCondition(args);
    if (current.holds) return [];
    const timeout = args.timeout ?? 300;
    const delay = args.delay ?? 0;
    return [
      {
        summary: `waited for ${cond.what} (timeout ${timeout} s)`,
        steps: [{ kind: 'exec', cmd: pollScript(cond, timeout, delay, args.sleep ?? 1), timeoutMs: (timeout + delay + 30) * 1000 }],
        maybe: true,
      },
    ];
  },
});
