import { describe, expect, it } from 'vitest';
import { BatchedOutput } from './batched-output.js';

describe('BatchedOutput', () => {
  it('writes what was pushed in one piece on flush, and nothing when nothing is pending', () => {
    const writes: string[] = [];
    const out = new BatchedOutput((t) => writes.push(t), 10_000);
    out.push('a\n');
    out.push('b\n');
    expect(writes).toEqual([]);
    out.flush();
    out.flush();
    expect(writes).toEqual(['a\nb\n']);
  });

  it('writes at the latest after maxDelayMs, and listens for the process exit only while something is pending', async () => {
    const writes: string[] = [];
    const out = new BatchedOutput((t) => writes.push(t), 20);
    const before = process.listenerCount('exit');
    out.push('late\n');
    expect(process.listenerCount('exit')).toBe(before + 1);
    await new Promise((r) => setTimeout(r, 60));
    expect(writes).toEqual(['late\n']);
    expect(process.listenerCount('exit')).toBe(before);
  });
});
