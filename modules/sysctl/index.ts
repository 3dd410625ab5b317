/**
 * `sysctl`: a kernel parameter persisted in a sysctl.d file and set in the running kernel.
 * read is ONE round trip (read-sysctl.ts: /proc/sys + the file, no writes); plan is the pure
 * plan-sysctl.ts. It never runs `sysctl --system` (that would apply other files' settings too).
 */
import { defineModule, TaskFailure } from '../../src/module-api/index.js';
import { DEFAULT_SYSCTL_FILE, sysctlArgsSchema, type SysctlArgs } from './args.js';
import { planSysctl } from './plan-sysctl.js';
import { parseSysctlRead, sysctlReadScript, type SysctlCurrent } from './read-sysctl.js';

export default defineModule<SysctlArgs, SysctlCurrent>({
  name: 'sysctl',
  summary: 'Set a kernel parameter at runtime (/proc/sys) and persist it in a sysctl.d file, or remove it from that file.',
  args: sysctlArgsSchema,
  examples: [
    `- name: forward IPv4 packets
  sysctl:
    name: net.ipv4.ip_forward
    value: "1"`,
    `- name: no swapping (persist only where /proc/sys/vm is read-only, e.g. containers)
  sysctl:
    name: vm.swappiness
    value: 0
    ignore_readonly: true`,
    `- name: bridged traffic through iptables (needs br_netfilter loaded)
  sysctl:
    name: net.bridge.bridge-nf-call-iptables
    value: "1"
    sysctl_file: /etc/sysctl.d/90-kubernetes.conf`,
  ],

  async read(probe, args) {
    const file = args.sysctl_file ?? DEFAULT_SYSCTL_FILE;
    const r = await probe.exec(sysctlReadScript(args.name, file));
    if (r.exitCode !== 0) throw new TaskFailure(`cannot read sysctl ${args.name}: exit ${r.exitCode}: ${r.stderr.trim()}`);
    try {
      return parseSysctlRead(args.name, r.stdout);
    } catch (err) {
      throw new TaskFailure(`cannot read sysctl ${args.name}: ${(err as Error).message}`, `output was: ${JSON.stringify(r.stdout.slice(0, 300))}`);
    }
  },

  plan: planSysctl,
});
