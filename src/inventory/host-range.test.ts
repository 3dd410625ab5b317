import { describe, expect, test } from 'vitest';
import { expandHostRange } from './host-range.js';

describe('expandHostRange', () => {
  test.each([
    ['plain', 'h1', ['h1']],
    ['numeric', 'h[1:3]', ['h1', 'h2', 'h3']],
    ['zero-padded', 'node[01:03]', ['node01', 'node02', 'node03']],
    ['zero-padded across a digit boundary', 'n[08:11]', ['n08', 'n09', 'n10', 'n11']],
    ['stride', 'h[1:10:4]', ['h1', 'h5', 'h9']],
    ['letters', 'db-[a:c].lab', ['db-a.lab', 'db-b.lab', 'db-c.lab']],
    ['empty start means 0', 'h[:2]', ['h0', 'h1', 'h2']],
    ['two ranges', 'r[1:2]n[a:b]', ['r1na', 'r1nb', 'r2na', 'r2nb']],
    ['single element', 'h[5:5]', ['h5']],
  ])('%s: %s', (_label, input, names) => {
    expect(expandHostRange(input)).toEqual({ names });
  });

  test.each([
    ['dash instead of colon', 'h[1-3]', 'bad host range "[1-3]" in "h[1-3]": expected [start:end] or [start:end:step]'],
    ['start > end', 'h[5:1]', 'bad host range "[5:1]" in "h[5:1]": start is greater than end'],
    ['mixed kinds', 'h[a:3]', 'bad host range "[a:3]" in "h[a:3]": start and end must both be numbers or both single letters'],
    ['uneven padding', 'h[01:100]', 'bad host range "[01:100]" in "h[01:100]": zero-padded start and end must have the same length'],
    ['unbalanced', 'h[1:3', 'bad host range in "h[1:3": unbalanced brackets'],
    ['zero step', 'h[1:3:0]', 'bad host range "[1:3:0]" in "h[1:3:0]": step must be at least 1'],
  ])('%s: %s', (_label, input, error) => {
    expect(expandHostRange(input)).toEqual({ error });
  });
});
