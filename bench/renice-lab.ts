/**
 * Gives a bench lab's hosts the bench's scheduling priority: every process in each host's
 * network namespace (systemd and its services on full hosts, sshd on light hosts) is reniced,
 * and what they start later (sshd's session children) inherits it. On a machine busy with other
 * work this keeps the lab's side of a measurement from waiting for the CPU; both tools use the
 * same hosts, so the comparison stays side by side. Touches only processes of this lab.
 */
import type { LabState } from '../src/lab/lab-state.js';
import { runCommand } from '../src/lab/run-command.js';
import { netnsPids } from '../src/lab/process-info.js';

export async function reniceLab(state: LabState, nice: number): Promise<number> {
  const pids = netnsPids(state.hosts.map((h) => h.netns));
  if (pids.length > 0) await runCommand(['renice', '-n', String(nice), '-p', ...pids.map(String)]);
  return pids.length;
}
