import { describe, expect, it } from 'vitest';
import { budgetExceeded, parseFailureBudget, parseWaves, planWaves } from './wave-plan.js';

const sites = (n: number) => Array.from({ length: n }, (_, i) => `s${i + 1}`);
const sizes = (w: ReturnType<typeof planWaves>) => w.map((x) => `${x.canary ? 'c' : ''}${x.sites.length}`);

describe('planWaves', () => {
  it.each([
    ['100%', 0, 12, ['12']],
    ['1,10%,100%', 0, 12, ['1', '1', '10']],
    ['1,10%,100%', 1, 12, ['c1', '1', '1', '9']],
    ['2,50%,100%', 1, 12, ['c1', '2', '6', '3']],
    ['3', 0, 10, ['3', '3', '3', '1']], // the last size repeats
    ['1%', 0, 5, ['1', '1', '1', '1', '1']], // at least one site per wave
    ['100%', 5, 3, ['c3']], // canary larger than the rollout
    ['100%', 0, 0, []],
  ])('--waves %s --canary %i over %i sites', (w, canary, n, want) => {
    const plan = planWaves(sites(n), { canary, waves: parseWaves(w) });
    expect(sizes(plan)).toEqual(want);
    expect(plan.flatMap((x) => x.sites)).toEqual(sites(n)); // every site once, in order
    expect(plan.map((x) => x.index)).toEqual(plan.map((_, i) => i + 1));
  });

  it('rejects bad sizes with a hint', () => {
    for (const bad of ['0', '1,,2', '10%%', '101%', 'all', '-1']) expect(() => parseWaves(bad), bad).toThrow(/bad wave size/);
  });
});

describe('failure budget', () => {
  it('is exceeded when MORE than N sites (P% of all) failed', () => {
    expect(budgetExceeded(parseFailureBudget('2'), 2, 12)).toBe(false);
    expect(budgetExceeded(parseFailureBudget('2'), 3, 12)).toBe(true);
    expect(budgetExceeded(parseFailureBudget('0'), 1, 12)).toBe(true);
    expect(budgetExceeded(parseFailureBudget('25%'), 3, 12)).toBe(false);
    expect(budgetExceeded(parseFailureBudget('25%'), 4, 12)).toBe(true);
    expect(budgetExceeded(undefined, 100, 100)).toBe(false);
    expect(() => parseFailureBudget('x')).toThrow(/bad failure budget/);
    expect(() => parseFailureBudget('150%')).toThrow(/bad failure budget/);
  });
});
