/**
 * `selinux`: the SELinux mode in /etc/selinux/config and, where SELinux runs, right now
 * (setenforce). read is ONE round trip (read-selinux.ts: getenforce + the config, no writes);
 * plan is the pure plan-selinux.ts. It never reboots: a change across "disabled" says
 * "reboot required" in its summary.
 */
import { defineModule, TaskFailure } from '../../src/module-api/index.js';
import { selinuxArgsSchema, type SelinuxArgs } from './args.js';
import { planSelinux } from './plan-selinux.js';
import { parseSelinuxRead, selinuxReadScript, type SelinuxCurrent } from './read-selinux.js';

export default defineModule<SelinuxArgs, SelinuxCurrent>({
  name: 'selinux',
  summary: 'Set the SELinux mode (enforcing, permissive, disabled) in its config and at runtime; a no-op where SELinux is absent unless enforcing is asked.',
  args: selinuxArgsSchema,
  examples: [
    `- name: SELinux permissive now, disabled after the next reboot (kubeadm guides)
  selinux:
    state: disabled`,
    `- selinux: { state: permissive }`,
  ],

  async read(probe, args) {
    const r = await probe.exec(selinuxReadScript(args.config ?? '/etc/selinux/config'));
    if (r.exitCode !== 0) throw new TaskFailure(`cannot read the SELinux state: exit ${r.exitCode}: ${r.stderr.trim()}`);
    try {
      return parseSelinuxRead(r.stdout);
    } catch (err) {
      throw new TaskFailure(`cannot read the SELinux state: ${(err as Error).message}`, `output was: ${JSON.stringify(r.stdout.slice(0, 300))}`);
    }
  },

  plan: planSelinux,
});
