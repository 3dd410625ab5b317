/**
 * The event bus between the engine and the reporters. `emit` masks each event (registered
 * Secret values plus `extraMask()`), then hands the same masked copy to every reporter in order.
 * A reporter that throws is reported once on stderr and never breaks the run; the others go on.
 * `finish` awaits every reporter's flush (a failing finish is reported too) and never rejects.
 * This file must not format anything: rendering belongs to the reporters. Generic over the
 * event type: `k3play run` carries RunEvents, `k3play rollout` RolloutEvents (the same masking).
 */
import { maskEvent } from './masker.js';
import type { RunEvent } from './run-event.js';

export interface EventBusOptions {
  /** Further values to mask (e.g. no_log output), read at every emit. */
  extraMask?: () => string[];
  /** Where reporter failures are reported; default process.stderr. */
  errOut?: { write(s: string): unknown };
}

export interface EventBus<E extends { readonly type: string } = RunEvent> {
  emit(event: E): void;
  finish(): Promise<void>;
}

/** A consumer of events of type E (Reporter is the RunEvent one). */
export interface EventReporter<E> {
  handle(event: E): void;
  finish(): Promise<void>;
}

export function createEventBus<E extends { readonly type: string } = RunEvent>(
  reporters: readonly EventReporter<E>[],
  opts: EventBusOptions = {},
): EventBus<E> {
  const errOut = opts.errOut ?? process.stderr;
  const list = reporters;
  const failed = new Set<EventReporter<E>>();
  let finished = false;

  const report = (reporter: EventReporter<E>, what: string, err: unknown): void => {
    if (failed.has(reporter)) return;
    failed.add(reporter);
    const name = reporter.constructor?.name ?? 'reporter';
    const detail = err instanceof Error ? err.message : String(err);
    try {
      errOut.write(`k3play: ${name} failed in ${what}: ${detail} (output may be incomplete)\n`);
    } catch {
      // nowhere left to report to
    }
  };

  return {
    emit(event) {
      if (finished) return;
      const masked = maskEvent(event, opts.extraMask?.() ?? []);
      for (const reporter of list) {
        try {
          reporter.handle(masked);
        } catch (err) {
          report(reporter, `handle(${event.type})`, err);
        }
      }
    },
    async finish() {
      if (finished) return;
      finished = true;
      await Promise.all(
        list.map(async (reporter) => {
          try {
            await reporter.finish();
          } catch (err) {
            report(reporter, 'finish()', err);
          }
        }),
      );
    },
  };
}
