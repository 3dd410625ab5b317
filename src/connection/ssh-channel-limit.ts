/**
 * A counting semaphore for the channels of one ssh connection: sshd refuses more than
 * MaxSessions (default 10) open channels per connection, so k3play keeps below it (default 8).
 * Unlike p-limit it can be asked "is there room?" (`tryAcquire`, `available`) so the shell pool
 * grows only while room remains for short-lived channels (kill, streamed put). No I/O.
 */
export class ChannelLimit {
  #inUse = 0;
  readonly #waiters: (() => void)[] = [];

  constructor(readonly max: number) {
    if (!(max >= 1)) throw new Error(`channel limit must be >= 1 (got ${max})`);
  }

  get available(): number {
    return this.max - this.#inUse;
  }

  tryAcquire(): boolean {
    if (this.#inUse >= this.max) return false;
    this.#inUse++;
    return true;
  }

  acquire(): Promise<void> {
    if (this.tryAcquire()) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  release(): void {
    const next = this.#waiters.shift();
    if (next) next(); // the permit passes straight to the next waiter
    else this.#inUse = Math.max(0, this.#inUse - 1);
  }
}
