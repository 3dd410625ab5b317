/**
 * Line-oriented output for CI logs and pipes, readable like ansible-playbook: PLAY/TASK banners,
 * one line per host result (plus hint, diff and -v output), then the PLAY RECAP. Lines are
 * written whole, batched (batched-output.ts) and written at each task's, play's and the run's
 * end, at the latest FLUSH_MS after they were produced, on finish() and at exit: a long task
 * still shows its hosts' results as they come. Must not read the terminal or the environment.
 */
import { palette } from './ansi-style.js';
import { BatchedOutput } from './batched-output.js';
import { hostResultLines, playBanner, taskBanner, warningLine, type LineOptions } from './host-lines.js';
import { formatRecap } from './recap.js';
import type { Reporter, RunEvent } from './run-event.js';

export interface TextOut {
  write(s: string): unknown;
}

export interface PlainReporterOptions {
  out: TextOut;
  color: boolean;
  verbose: number;
  /** Print diffs; also turned on by run_start.diff. */
  diff: boolean;
}

const FLUSH_MS = 100;

export class PlainReporter implements Reporter {
  readonly #out: BatchedOutput;
  #lineOptions: LineOptions;
  #wroteSomething = false;

  constructor(opts: PlainReporterOptions) {
    this.#out = new BatchedOutput((text) => opts.out.write(text), FLUSH_MS);
    this.#lineOptions = { color: opts.color, verbose: opts.verbose, diff: opts.diff };
  }

  handle(e: RunEvent): void {
    const o = this.#lineOptions;
    switch (e.type) {
      case 'run_start':
        if (e.diff && !o.diff) this.#lineOptions = { ...o, diff: true };
        if (e.check) this.#write([palette(o.color).cyan('CHECK MODE: nothing will be changed')]);
        return;
      case 'play_start':
        return this.#block([palette(o.color).bold(playBanner(e))]);
      case 'task_start': {
        const lines = [palette(o.color).bold(taskBanner(e))];
        if (o.verbose >= 2) lines.push(`task path: ${e.loc}`);
        return this.#block(lines);
      }
      case 'host_result':
        return this.#write(hostResultLines(e, o));
      case 'warning':
        return this.#write([warningLine(e, o.color)]);
      case 'run_end':
        this.#block(formatRecap(e.recap, e.durationMs, o.color).replace(/\n$/, '').split('\n'));
        return this.#out.flush();
      case 'task_end':
      case 'play_end':
        return this.#out.flush();
    }
  }

  finish(): Promise<void> {
    this.#out.flush();
    return Promise.resolve();
  }

  /** Lines that start a block: separated from what came before by one empty line. */
  #block(lines: string[]): void {
    this.#write(this.#wroteSomething ? ['', ...lines] : lines);
  }

  #write(lines: string[]): void {
    if (lines.length === 0) return;
    this.#wroteSomething = true;
    this.#out.push(`${lines.join('\n')}\n`);
  }
}
