import { mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { withLabNetLock } from './net-lock.js';

const dir = mkdtempSync(path.join(tmpdir(), 'k3play-netlock-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('withLabNetLock', () => {
  it('runs critical sections one at a time and removes the lock after', async () => {
    const file = path.join(dir, 'a.lock');
    const order: string[] = [];
    const section = (id: string) => async () => {
      order.push(`${id}+`);
      await new Promise((r) => setTimeout(r, 50));
      order.push(`${id}-`);
    };
    await Promise.all([withLabNetLock(section('a'), file), withLabNetLock(section('b'), file)]);
    expect(order.join(' ')).toMatch(/^(a\+ a- b\+ b-|b\+ b- a\+ a-)$/);
    expect(existsSync(file)).toBe(false);
  });

  it('takes over a lock whose owner is gone, and releases it when the section throws', async () => {
    const file = path.join(dir, 'b.lock');
    writeFileSync(file, '999999999 12345\n'); // no such process
    await expect(withLabNetLock(async () => { throw new Error('boom'); }, file)).rejects.toThrow('boom');
    expect(existsSync(file)).toBe(false);
  });
});
