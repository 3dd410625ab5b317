/**
 * `swapoff`: no swap now and none after a reboot (kubelet's requirement). read is ONE round
 * trip (read-swap.ts: /proc/swaps, systemd swap units, fstab; no writes); plan is the pure
 * plan-swapoff.ts. Swap files are turned off and their fstab lines commented, never deleted.
 */
import { defineModule, TaskFailure } from '../../src/module-api/index.js';
import { swapoffArgsSchema, type SwapoffArgs } from './args.js';
import { planSwapoff } from './plan-swapoff.js';
import { parseSwapRead, swapReadScript, type SwapCurrent } from './read-swap.js';

export default defineModule<SwapoffArgs, SwapCurrent>({
  name: 'swapoff',
  summary: 'Turn swap off now and for good: swapoff the active areas, comment out fstab swap entries, mask systemd .swap units.',
  args: swapoffArgsSchema,
  examples: [
    `- name: no swap (kubelet refuses to run with swap by default)
  swapoff: {}`,
    `- name: leave systemd units alone
  swapoff:
    mask_units: false`,
  ],

  async read(probe, args) {
    const r = await probe.exec(swapReadScript(args.fstab ?? '/etc/fstab'));
    if (r.exitCode !== 0) throw new TaskFailure(`cannot read the swap state: exit ${r.exitCode}: ${r.stderr.trim()}`);
    try {
      return parseSwapRead(r.stdout);
    } catch (err) {
      throw new TaskFailure(`cannot read the swap state: ${(err as Error).message}`, `output was: ${JSON.stringify(r.stdout.slice(0, 300))}`);
    }
  },

  plan: planSwapoff,
});
