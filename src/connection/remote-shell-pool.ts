/**
 * The persistent shells of one (host, become user): a small pool that hands an idle shell to
 * each command, queues commands when all are busy, and grows up to `maxShells` only while the
 * host's channel budget allows (`canGrow`). A dead shell (timeout, crash) is dropped; the next
 * command gets a fresh one. `prefill` opens the first shell before any command asks (connection
 * warm-up); the first command then waits for that shell instead of opening another. It owns no
 * connection and no timers of its own; opening shells and killing timed-out commands are the
 * caller's (ssh-connection.ts).
 */
import type { RemoteShell } from './remote-shell.js';

export class RemoteShellPool {
  readonly #shells = new Set<RemoteShell>();
  readonly #idle: RemoteShell[] = [];
  readonly #waiters: { resolve: (s: RemoteShell) => void; reject: (e: unknown) => void }[] = [];
  #opening = 0;
  #closed = false;
  /** A prefill's shell still opening, not yet claimed by a command. */
  #pending: Promise<RemoteShell> | undefined;

  constructor(
    private readonly openShell: () => Promise<RemoteShell>,
    private readonly maxShells: number,
    private readonly canGrow: () => boolean,
  ) {}

  get size(): number {
    return this.#shells.size;
  }

  /** Runs `fn` with exclusive use of one live shell. */
  async use<T>(fn: (shell: RemoteShell) => Promise<T>): Promise<T> {
    const shell = await this.#acquire();
    try {
      return await fn(shell);
    } finally {
      this.#release(shell);
    }
  }

  /** Opens the first shell now, unless the pool has one; failures are left to the next command. */
  prefill(): void {
    if (this.#closed || this.#shells.size + this.#opening > 0) return;
    const p = this.#openNew();
    this.#pending = p;
    p.then(
      (s) => {
        if (this.#pending !== p) return; // claimed: the command releases it
        this.#pending = undefined;
        this.#release(s);
      },
      () => {
        if (this.#pending === p) this.#pending = undefined;
      },
    );
  }

  /**
   * No more commands: waiters are rejected. `closeChannels` false when the whole SSH connection
   * is about to end (its disconnect ends every channel; closing each first cost a CHANNEL_CLOSE
   * and sshd's EOF, exit-status and close replies per shell at the end of every run).
   */
  closeAll(closeChannels = true): void {
    this.#closed = true;
    if (closeChannels) for (const s of this.#shells) s.close();
    this.#shells.clear();
    this.#idle.length = 0;
    for (const w of this.#waiters.splice(0)) w.reject(new Error('connection closed'));
  }

  #acquire(): Promise<RemoteShell> {
    if (this.#closed) return Promise.reject(new Error('connection closed'));
    while (this.#idle.length > 0) {
      const s = this.#idle.pop() as RemoteShell;
      if (!s.dead) return Promise.resolve(s);
      this.#shells.delete(s);
    }
    if (this.#pending) {
      // The prefill's shell is this command's; if it fails to open, so does this command, as
      // it would have opening its own.
      const p = this.#pending;
      this.#pending = undefined;
      return p;
    }
    const total = this.#shells.size + this.#opening;
    if (total === 0 || (total < this.maxShells && this.canGrow())) return this.#openNew();
    return new Promise((resolve, reject) => this.#waiters.push({ resolve, reject }));
  }

  async #openNew(): Promise<RemoteShell> {
    this.#opening++;
    try {
      const s = await this.openShell();
      this.#shells.add(s);
      return s;
    } finally {
      this.#opening--;
    }
  }

  #release(shell: RemoteShell): void {
    if (shell.dead || this.#closed) {
      this.#shells.delete(shell);
      if (!this.#closed) shell.close();
      // A waiter may now have no shell to wait for: open a fresh one for it.
      const w = this.#waiters.shift();
      if (w) this.#openNew().then(w.resolve, w.reject);
      return;
    }
    const w = this.#waiters.shift();
    if (w) w.resolve(shell);
    else this.#idle.push(shell);
  }
}
