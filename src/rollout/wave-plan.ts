/**
 * How a rollout's sites are split into waves, and when the failure budget is spent. Pure.
 *
 * - `--canary N`: the first N sites form a wave of their own; any failure there stops the
 *   rollout.
 * - `--waves 1,10%,100%`: wave sizes, as Ansible's `serial` list: each entry is the size of the
 *   next wave (a count, or a percentage of all the rollout's sites, at least 1), and the last
 *   entry repeats until every site has a wave. Waves run one after another; inside a wave up to
 *   `--site-concurrency` sites run at once.
 * - `--max-failed-sites N|P%`: the budget is exceeded when more than N sites (more than P% of
 *   all sites) have failed; then no new site starts, running sites finish.
 */
import { K3playError } from '../errors/k3play-error.js';

export interface Wave {
  /** 1-based, in run order (the canary, when present, is wave 1). */
  readonly index: number;
  readonly canary: boolean;
  readonly sites: readonly string[];
}

export type WaveSize = { readonly count: number } | { readonly percent: number };

export function parseWaves(text: string): WaveSize[] {
  const parts = text.split(',').map((s) => s.trim());
  const out: WaveSize[] = [];
  for (const p of parts) {
    const m = /^(\d+)(%?)$/.exec(p);
    const n = m ? Number(m[1]) : NaN;
    if (!m || n < 1 || (m[2] === '%' && n > 100)) {
      throw new K3playError({
        context: '--waves',
        message: `bad wave size ${JSON.stringify(p)} in ${JSON.stringify(text)}`,
        hint: 'comma-separated counts or percentages of all sites, e.g. --waves 1,10%,100% (the last size repeats)',
      });
    }
    out.push(m[2] === '%' ? { percent: n } : { count: n });
  }
  return out;
}

export function planWaves(sites: readonly string[], opts: { canary: number; waves: readonly WaveSize[] }): Wave[] {
  const total = sites.length;
  const out: Wave[] = [];
  let next = 0;
  if (opts.canary > 0 && total > 0) {
    out.push({ index: 1, canary: true, sites: sites.slice(0, opts.canary) });
    next = Math.min(opts.canary, total);
  }
  const sizes = opts.waves.length > 0 ? opts.waves : [{ percent: 100 }];
  let i = 0;
  while (next < total) {
    const s = sizes[Math.min(i, sizes.length - 1)]!;
    const size = Math.max(1, 'count' in s ? s.count : Math.floor((total * s.percent) / 100));
    out.push({ index: out.length + 1, canary: false, sites: sites.slice(next, next + size) });
    next += size;
    i++;
  }
  return out;
}

export type FailureBudget = { readonly count: number } | { readonly percent: number };

export function parseFailureBudget(text: string): FailureBudget {
  const m = /^(\d+)(%?)$/.exec(text.trim());
  const n = m ? Number(m[1]) : NaN;
  if (!m || (m[2] === '%' && n > 100)) {
    throw new K3playError({
      context: '--max-failed-sites',
      message: `bad failure budget ${JSON.stringify(text)}`,
      hint: 'a number of sites (--max-failed-sites 2) or a percentage of all sites (--max-failed-sites 5%)',
    });
  }
  return m[2] === '%' ? { percent: n } : { count: n };
}

export function budgetExceeded(budget: FailureBudget | undefined, failed: number, total: number): boolean {
  if (!budget) return false;
  return 'count' in budget ? failed > budget.count : failed * 100 > budget.percent * total;
}

export function budgetText(b: FailureBudget): string {
  return 'count' in b ? String(b.count) : `${b.percent}%`;
}
