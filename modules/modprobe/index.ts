/**
 * `modprobe`: a kernel module loaded now and at boot (or unloaded and not loaded at boot).
 * read is ONE round trip (read-modprobe.ts: /proc/modules and other evidence, capabilities,
 * the modules-load.d / modprobe.d files; no writes); plan is the pure plan-modprobe.ts.
 */
import { defineModule, TaskFailure } from '../../src/module-api/index.js';
import { modprobeArgsSchema, type ModprobeArgs } from './args.js';
import { planModprobe } from './plan-modprobe.js';
import { modprobeReadScript, parseModprobeRead, type ModprobeCurrent } from './read-modprobe.js';

export default defineModule<ModprobeArgs, ModprobeCurrent>({
  name: 'modprobe',
  summary: 'Load (or unload) a kernel module now and at boot via /etc/modules-load.d and /etc/modprobe.d.',
  args: modprobeArgsSchema,
  examples: [
    `- name: kernel modules for Kubernetes networking
  modprobe:
    name: "{{ item }}"
  loop: [overlay, br_netfilter]`,
    `- name: conntrack without helpers
  modprobe:
    name: nf_conntrack
    params: nf_conntrack_helper=0`,
  ],

  async read(probe, args) {
    const r = await probe.exec(modprobeReadScript(args.name));
    if (r.exitCode !== 0) throw new TaskFailure(`cannot read the state of module ${args.name}: exit ${r.exitCode}: ${r.stderr.trim()}`);
    try {
      return parseModprobeRead(r.stdout);
    } catch (err) {
      throw new TaskFailure(`cannot read the state of module ${args.name}: ${(err as Error).message}`, `output was: ${JSON.stringify(r.stdout.slice(0, 300))}`);
    }
  },

  plan: planModprobe,
});
