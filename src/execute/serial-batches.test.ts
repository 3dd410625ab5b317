import { describe, expect, it } from 'vitest';
import { serialBatches } from './serial-batches.js';

const hosts = ['h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'h7', 'h8', 'h9', 'h10'];

describe('serialBatches', () => {
  it.each([
    [[], [10]],
    [[3], [3, 3, 3, 1]],
    [['50%'], [5, 5]],
    [[1, '50%'], [1, 5, 4]],
    [[1, '25%', '100%'], [1, 2, 7]],
    [['1%'], [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]],
    [[20], [10]],
  ] as const)('serial %j -> batch sizes %j', (serial, sizes) => {
    const batches = serialBatches(hosts, serial as never);
    expect(batches.map((b) => b.length)).toEqual(sizes);
    expect(batches.flat()).toEqual(hosts);
  });
});
