/**
 * `systemd_unit`: a systemd unit's file (or one drop-in), enablement, mask and running state.
 * read is ONE round trip (read-unit.ts); plan is the pure plan-unit.ts. Units live in
 * /etc/systemd/system; packaged units in /lib/systemd/system are never written (use a drop-in).
 */
import { defineModule, TaskFailure } from '../../src/module-api/index.js';
import { systemdUnitArgsSchema, unitName, type SystemdUnitArgs } from './args.js';
import { dropinPath, planUnit } from './plan-unit.js';
import { parseUnitRead, unitReadScript, type UnitCurrent } from './read-unit.js';

export default defineModule<SystemdUnitArgs, UnitCurrent>({
  name: 'systemd_unit',
  summary: 'Write a systemd unit file or drop-in, and enable, mask, start, stop, restart or reload the unit.',
  args: systemdUnitArgsSchema,
  examples: [
    `- name: etcd unit, started without waiting for quorum
  systemd_unit:
    name: etcd
    content: "{{ lookup_etcd_unit }}"
    enabled: true
    state: started
    no_block: true`,
    `- name: raise haproxy's file limit
  systemd_unit:
    name: haproxy.service
    dropin:
      name: 10-k3play.conf
      content: |
        [Service]
        LimitNOFILE=1048576
    restart_on_change: true`,
    `- name: no firewalld
  systemd_unit:
    name: firewalld
    state: stopped
    enabled: false`,
  ],

  async read(probe, args) {
    const name = unitName(args.name);
    const r = await probe.exec(unitReadScript(name, dropinPath(args)));
    try {
      if (r.exitCode !== 0) throw new Error(`exit ${r.exitCode}: ${r.stderr.trim()}`);
      return parseUnitRead(r.stdout);
    } catch (err) {
      throw new TaskFailure(`cannot read the state of ${name}: ${(err as Error).message}`, 'the systemd_unit module needs systemd (PID 1) and base64 on the host');
    }
  },

  plan: planUnit,
});
