import { describe, expect, it } from 'vitest';
import type { RemoteShell } from './remote-shell.js';
import { RemoteShellPool } from './remote-shell-pool.js';

/** Shells that open when `release()` is called, so a test controls the order of events. */
function opener() {
  const pending: { resolve: (s: RemoteShell) => void; reject: (e: unknown) => void }[] = [];
  let n = 0;
  return {
    opened: () => n,
    open: () =>
      new Promise<RemoteShell>((resolve, reject) => {
        n++;
        pending.push({ resolve, reject });
      }),
    finish: (ok = true) => {
      const p = pending.shift()!;
      if (ok) p.resolve({ dead: false, close() {} } as unknown as RemoteShell);
      else p.reject(new Error('shell did not start'));
    },
  };
}

const tick = () => new Promise((r) => setImmediate(r));

describe('RemoteShellPool.prefill (connection warm-up)', () => {
  it('the first command waits for the prefilled shell instead of opening another', async () => {
    const o = opener();
    const pool = new RemoteShellPool(o.open, 4, () => true);
    pool.prefill();
    const used = pool.use(async () => 'ran');
    await tick();
    expect(o.opened()).toBe(1);
    o.finish();
    await expect(used).resolves.toBe('ran');
    expect(pool.size).toBe(1);
  });

  it('a prefilled shell nobody asked for yet waits idle for the first command', async () => {
    const o = opener();
    const pool = new RemoteShellPool(o.open, 4, () => true);
    pool.prefill();
    o.finish();
    await tick();
    await expect(pool.use(async () => 'ran')).resolves.toBe('ran');
    expect(o.opened()).toBe(1);
  });

  it("a prefill that fails is the first command's failure; the next command opens a shell", async () => {
    const o = opener();
    const pool = new RemoteShellPool(o.open, 4, () => true);
    pool.prefill();
    const first = pool.use(async () => 'ran');
    o.finish(false);
    await expect(first).rejects.toThrow('shell did not start');
    const second = pool.use(async () => 'again');
    await tick();
    o.finish();
    await expect(second).resolves.toBe('again');
    expect(o.opened()).toBe(2);
  });

  it('does nothing when the pool already has a shell', async () => {
    const o = opener();
    const pool = new RemoteShellPool(o.open, 4, () => true);
    const used = pool.use(async () => 'ran');
    await tick();
    pool.prefill();
    o.finish();
    await used;
    expect(o.opened()).toBe(1);
  });
});

describe('RemoteShellPool.closeAll', () => {
  it('closes its shells, or leaves them to the connection that is about to end; no command starts after it', async () => {
    for (const closeChannels of [true, false]) {
      let closed = 0;
      const pool = new RemoteShellPool(async () => ({ dead: false, close: () => closed++ }) as unknown as RemoteShell, 4, () => true);
      await pool.use(async () => 'warm');
      pool.closeAll(closeChannels);
      expect(closed).toBe(closeChannels ? 1 : 0);
      await expect(pool.use(async () => 'late')).rejects.toThrow('connection closed');
    }
  });
});
