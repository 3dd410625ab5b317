import { describe, expect, test } from 'vitest';
import { LabCpuCounter, quietOver } from './lab-idle.js';

describe('lab idle detection', () => {
  test('quiet only once a whole window has at most the allowed CPU share', () => {
    // 1 s window, 2% of a core = 20 ms = 2 ticks at USER_HZ 100.
    expect(quietOver([], 1000, 0.02)).toBe(false);
    expect(quietOver([{ atMs: 0, ticks: 0 }, { atMs: 600, ticks: 0 }], 1000, 0.02)).toBe(false); // window not yet covered
    expect(quietOver([{ atMs: 0, ticks: 0 }, { atMs: 1000, ticks: 2 }], 1000, 0.02)).toBe(true);
    expect(quietOver([{ atMs: 0, ticks: 0 }, { atMs: 1000, ticks: 3 }], 1000, 0.02)).toBe(false);
    // A busy start does not count once it is older than the window.
    const s = [
      { atMs: 0, ticks: 0 },
      { atMs: 200, ticks: 50 },
      { atMs: 1200, ticks: 51 },
    ];
    expect(quietOver(s, 1000, 0.02)).toBe(true);
  });

  test('the CPU counter never goes down when a process exits, and counts a newcomer in full', () => {
    const c = new LabCpuCounter();
    const self = process.pid;
    const first = c.sample([self]);
    expect(first).toBeGreaterThanOrEqual(0);
    const until = Date.now() + 60;
    while (Date.now() < until) {
      // burn CPU so this process's ticks grow
    }
    const second = c.sample([self]);
    expect(second).toBeGreaterThan(first);
    // Our process "left" the set (and a pid that does not exist is ignored): the total stays.
    expect(c.sample([999999999])).toBe(second);
    // It comes back as a newcomer: all its ticks are added again, never subtracted.
    expect(c.sample([self])).toBeGreaterThan(second);
  });
});
