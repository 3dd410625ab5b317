/**
 * `k3play rollout --json`: every RolloutEvent (src/rollout/rollout-event.ts, schema version 1)
 * as one JSON object per line, as it happens, already masked. The last line is a
 * `rollout_end` when the rollout ended normally.
 */
import type { RolloutEvent, RolloutReporter } from '../rollout/rollout-event.js';

export class RolloutJsonReporter implements RolloutReporter {
  constructor(private readonly out: { write(s: string): unknown }) {}

  handle(e: RolloutEvent): void {
    this.out.write(`${JSON.stringify(e)}\n`);
  }

  finish(): Promise<void> {
    return Promise.resolve();
  }
}
