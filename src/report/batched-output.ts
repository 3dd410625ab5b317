/**
 * Text collected and handed to `write` in one piece: when the owner flushes (a task's end), at
 * the latest `maxDelayMs` after the first piece arrived, and when the process exits (also through
 * process.exit, e.g. a second Ctrl-C). One write per task instead of one per event: each write is
 * a system call, and a write to a pipe also wakes its reader. `write` must be synchronous.
 */
export class BatchedOutput {
  #pending: string[] = [];
  #timer: NodeJS.Timeout | undefined;
  readonly #onExit = (): void => this.flush();

  constructor(
    private readonly write: (text: string) => void,
    private readonly maxDelayMs: number,
  ) {}

  push(text: string): void {
    if (this.#pending.length === 0) {
      this.#timer = setTimeout(() => this.flush(), this.maxDelayMs).unref();
      process.on('exit', this.#onExit);
    }
    this.#pending.push(text);
  }

  flush(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#pending.length === 0) return;
    const text = this.#pending.join('');
    this.#pending = [];
    process.off('exit', this.#onExit);
    this.write(text);
  }
}
