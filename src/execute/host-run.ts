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
  readonly runVars = new VersionedMap<string, unknown>();
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

  #scope: { runVersion: number; facts: Record<string, unknown>; value: Record<string, unknown> } | undefined;

  /**
   * Variables a template may see, without play/task scope (for hostvars[...] lookups). Built
   * once and reused until facts or run vars change: every task on every host asks for every
   * host's scope, so rebuilding it each time would cost O(hosts²) object copies per task.
   */
  hostScope(): Record<string, unknown> {
    const c = this.#scope;
    if (c && c.runVersion === this.runVars.version && c.facts === this.factVars) return c.value;
    const value: Record<string, unknown> = { ...this.inventoryVars, ...this.factVars };
    for (const [k, v] of this.runVars) value[k] = v;
    this.#scope = { runVersion: this.runVars.version, facts: this.factVars, value };
    return value;
  }

  countFailure(): void {
    this.recap.failed++;
    const top = this.blockFailures.length - 1;
    if (top >= 0) this.blockFailures[top]!++;
  }
}

/** A Map that counts its writes, so readers can cache what they derive from it. */
export class VersionedMap<K, V> extends Map<K, V> {
  version = 0;
  override set(key: K, value: V): this {
    this.version++;
    return super.set(key, value);
  }
  override delete(key: K): boolean {
    this.version++;
    return super.delete(key);
  }
  override clear(): void {
    this.version++;
    super.clear();
  }
}
