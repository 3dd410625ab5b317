/**
 * `firewalld`: open or close a service/port in firewalld, or stop and disable firewalld itself.
 * read is ONE round trip (read-firewalld.ts); plan is the pure plan-firewalld.ts. A host
 * without firewalld is fine for "closed"/"stopped" (ok, no change) and a clear failure for "open".
 */
import { defineModule, TaskFailure } from '../../src/module-api/index.js';
import { firewalldArgsSchema, type FirewalldArgs } from './args.js';
import { planFirewalld, ruleOf } from './plan-firewalld.js';
import { firewalldReadScript, parseFirewalldRead, type FirewalldCurrent } from './read-firewalld.js';

export default defineModule<FirewalldArgs, FirewalldCurrent>({
  name: 'firewalld',
  summary: 'Open or close a firewalld service or port (permanent and running), or stop and disable firewalld; hosts without firewalld are ok for closing.',
  args: firewalldArgsSchema,
  examples: [
    `- name: Kubernetes API
  firewalld:
    port: 6443/tcp
    state: enabled`,
    `- name: no firewalld (kubeadm guide)
  firewalld:
    state: stopped`,
  ],

  async read(probe, args) {
    const r = await probe.exec(firewalldReadScript(ruleOf(args)));
    try {
      if (r.exitCode !== 0) throw new Error(`exit ${r.exitCode}: ${r.stderr.trim()}`);
      return parseFirewalldRead(r.stdout);
    } catch (err) {
      throw new TaskFailure(`cannot read the firewalld state: ${(err as Error).message}`);
    }
  },

  plan: planFirewalld,
});
