/**
 * `--json` output, a stable machine interface (schema version 1).
 *
 * mode 'lines' (default, JSON Lines): one RunEvent per line, written as it arrives, exactly the
 * objects defined in run-event.ts (already masked by the event bus). The last line is always a
 * `run_end` event: if the run ended abnormally without one, finish() writes one synthesized from
 * the host results seen, with `exitCode: 1`.
 *
 *   {"type":"run_start","runId":"...","playbook":"site.yml","check":false,"diff":false,"time":"<ISO 8601>"}
 *   {"type":"play_start","play":"k3s servers","hosts":["h1","h2"]}
 *   {"type":"task_start","play":"...","task":"...","module":"sysctl","hosts":["h1"],"loc":"site.yml:12:7"}
 *   {"type":"host_result","task":"...","module":"...","host":"h1","status":"changed",
 *    "changes":[{"summary":"...","diff":{"path":"/etc/x","before":"...","after":null}}],"durationMs":12}
 *   {"type":"task_end","task":"...","durationMs":N}  {"type":"play_end","play":"..."}
 *   {"type":"warning","host":"h1","message":"..."}
 *   {"type":"run_end","recap":{"h1":{"ok":3,"changed":1,"unreachable":0,"failed":0,"skipped":0,
 *    "rescued":0,"ignored":0}},"durationMs":1234,"exitCode":0}
 *
 * mode 'document': nothing is written until finish(), which writes one JSON document
 *   {"version":1,"events":[...every event, run_end last...],"recap":{...},"exitCode":0}
 *
 * Optional fields are omitted when absent (never null). Additions are backwards compatible;
 * a removal or a change of meaning bumps `version`.
 */
import {
  emptyRecap,
  type HostRecap,
  type HostStatus,
  type Reporter,
  type RunEndEvent,
  type RunEvent,
} from './run-event.js';

export const JSON_SCHEMA_VERSION = 1;

export interface JsonDocument {
  readonly version: typeof JSON_SCHEMA_VERSION;
  readonly events: readonly RunEvent[];
  readonly recap: RunEndEvent['recap'];
  readonly exitCode: number;
}

export interface JsonReporterOptions {
  out: { write(s: string): unknown };
  mode?: 'lines' | 'document';
}

export class JsonReporter implements Reporter {
  readonly #out: JsonReporterOptions['out'];
  readonly #mode: 'lines' | 'document';
  readonly #events: RunEvent[] = [];
  readonly #recap: Record<string, HostRecap> = {};
  readonly #startedAt = Date.now();
  #end: RunEndEvent | undefined;
  #finished = false;

  constructor(opts: JsonReporterOptions) {
    this.#out = opts.out;
    this.#mode = opts.mode ?? 'lines';
  }

  handle(e: RunEvent): void {
    if (this.#finished) return;
    if (e.type === 'run_end') this.#end = e;
    if (e.type === 'host_result') this.#count(e.host, e.status, e.ignored === true);
    if (this.#mode === 'document') this.#events.push(e);
    else this.#out.write(`${JSON.stringify(e)}\n`);
  }

  finish(): Promise<void> {
    if (this.#finished) return Promise.resolve();
    this.#finished = true;
    let end = this.#end;
    if (!end) {
      end = { type: 'run_end', recap: this.#recap, durationMs: Date.now() - this.#startedAt, exitCode: 1 };
      if (this.#mode === 'lines') this.#out.write(`${JSON.stringify(end)}\n`);
      else this.#events.push(end);
    }
    if (this.#mode === 'document') {
      const doc: JsonDocument = { version: JSON_SCHEMA_VERSION, events: this.#events, recap: end.recap, exitCode: end.exitCode };
      this.#out.write(`${JSON.stringify(doc)}\n`);
    }
    return Promise.resolve();
  }

  /**
   * Only for a synthesized run_end (best effort, per result): counts as ansible does, where
   * `changed` is also `ok` and an ignored failure is `ok` + `ignored`.
   */
  #count(host: string, status: HostStatus, ignored: boolean): void {
    const r = (this.#recap[host] ??= emptyRecap());
    if (status === 'failed' && ignored) {
      r.ok += 1;
      r.ignored += 1;
    } else {
      if (status === 'changed') r.ok += 1;
      r[status] += 1;
    }
  }
}
