/**
 * The run journal: every event of a run appended to `.k3play/runs/<timestamp>-<runId8>.jsonl`
 * (0600), already masked by the event bus, so a run can be reported and audited afterwards.
 * Lines are buffered and written with one synchronous append at each task's, play's and the
 * run's end, at the latest FLUSH_MS after they arrived, and when the process exits (also on a
 * second Ctrl-C): a killed run keeps everything up to its last finished task. One write per
 * task instead of one asynchronous write per event (each a thread-pool round trip) was ~1/6
 * of the controller's per-host-task CPU on a 5-host run.
 */
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import path from 'node:path';
import { BatchedOutput } from './batched-output.js';
import type { Reporter, RunEvent } from './run-event.js';

const FLUSH_MS = 200;
const FLUSH_ON = new Set<RunEvent['type']>(['task_end', 'play_end', 'run_end']);

export class JournalReporter implements Reporter {
  #fd: number | undefined;
  #file: string | undefined;
  #finished = false;
  readonly #out = new BatchedOutput((text) => this.#append(text), FLUSH_MS);

  constructor(private readonly dir: string) {}

  /** Path of the journal, once the run has started. */
  get file(): string | undefined {
    return this.#file;
  }

  handle(event: RunEvent): void {
    if (this.#finished) return;
    if (this.#fd === undefined) {
      const stamp = new Date().toISOString().replace(/[:.]/g, '-');
      const id = event.type === 'run_start' ? event.runId.slice(0, 8) : 'run';
      mkdirSync(this.dir, { recursive: true, mode: 0o700 });
      this.#file = path.join(this.dir, `${stamp}-${id}.jsonl`);
      this.#fd = openSync(this.#file, 'a', 0o600);
    }
    this.#out.push(`${JSON.stringify(event)}\n`);
    if (FLUSH_ON.has(event.type)) this.#out.flush();
  }

  finish(): Promise<void> {
    this.#out.flush();
    this.#finished = true;
    if (this.#fd !== undefined) {
      closeSync(this.#fd);
      this.#fd = undefined;
    }
    return Promise.resolve();
  }

  #append(text: string): void {
    if (this.#fd === undefined) return;
    const bytes = Buffer.from(text);
    for (let off = 0; off < bytes.length; ) off += writeSync(this.#fd, bytes, off);
  }
}
