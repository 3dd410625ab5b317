/**
 * Per-host state during one run: the only mutable run state, owned by execute/. Each field has
 * one writer (the task runner for results, the play runner for flags).
 */
import type { Connection } from '../connection/types.js';
import { emptyRecap, type HostRecap } from '../report/run-event.js';

export class HostRun {
  /** Inventory variables, resolved (precedence applied) and with trusted templates rendered. */
  inventoryVars: Record<string, unknown>;
  /** Facts as template vars (`facts`, `ansible_*`); never rendered as templates. */
  factVars: Record<string, unknown> = {};
  factsGathered = false;
  /** register: and set_fact: values; never rendered as templates. */
  readonly runVars = new Map<string, unknown>();
  /** Failed in this play (cleared by rescue); failed hosts are left out of later plays. */
  failed = false;
  unreachable = false;
  /** meta: end_host, or any_errors_fatal stop. */
  ended = false;
  /** Check mode: an earlier task on this host would have changed something. */
  pendingChange = false;
  /** Failures counted in the recap since the innermost block began (for rescue bookkeeping). */
  blockFailures: number[] = [];
  readonly notified = new Set<string>();
  readonly recap: HostRecap = emptyRecap();
  conn: Connection | undefined;

  constructor(
    readonly name: string,
    inventoryVars: Record<string, unknown>,
  ) {
    this.inventoryVars = inventoryVars;
  }

  get active(): boolean {
    return !this.failed && !this.unreachable && !this.ended;
  }

  /** Variables a template may see, without play/task scope (for hostvars[...] lookups). */
  hostScope(): Record<string, unknown> {
    const out: Record<string, unknown> = { ...this.inventoryVars, ...this.factVars };
    for (const [k, v] of this.runVars) out[k] = v;
    return out;
  }

  countFailure(): void {
    this.recap.failed++;
    const top = this.blockFailures.length - 1;
    if (top >= 0) this.blockFailures[top]!++;
  }
}
