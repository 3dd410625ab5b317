/**
 * The run journal: every event of a run appended to `.k3play/runs/<timestamp>-<runId8>.jsonl`
 * (0600), already masked by the event bus, so a run can be reported and audited afterwards.
 * Lines are written as events arrive (a killed run keeps everything up to the kill).
 */
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import path from 'node:path';
import type { Reporter, RunEvent } from './run-event.js';

export class JournalReporter implements Reporter {
  #stream: WriteStream | undefined;
  #file: string | undefined;

  constructor(private readonly dir: string) {}

  /** Path of the journal, once the run has started. */
  get file(): string | undefined {
    return this.#file;
  }

  handle(event: RunEvent): void {
    if (!this.#stream) {
      const stamp = new Date().toISOString().replace(/[:.]/g, '-');
      const id = event.type === 'run_start' ? event.runId.slice(0, 8) : 'run';
      mkdirSync(this.dir, { recursive: true, mode: 0o700 });
      this.#file = path.join(this.dir, `${stamp}-${id}.jsonl`);
      this.#stream = createWriteStream(this.#file, { flags: 'a', mode: 0o600 });
    }
    this.#stream.write(`${JSON.stringify(event)}\n`);
  }

  finish(): Promise<void> {
    const s = this.#stream;
    if (!s) return Promise.resolve();
    return new Promise((resolve) => s.end(resolve));
  }
}
