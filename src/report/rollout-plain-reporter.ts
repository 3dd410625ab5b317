/**
 * Plain rollout lines, for CI and pipes: one line when a wave or a site starts and ends, the
 * failures of every site as they happen (prefixed `[site]`, the same text as `k3play run`'s
 * plain output), all host results with -v, and the closing block. Collects each site's
 * host results for the grouped changes at the end. Never reads process state.
 */
import { hostResultLines, warningLine } from './host-lines.js';
import { palette } from './ansi-style.js';
import { banner } from './recap.js';
import { groupChanges } from './check-groups.js';
import type { HostResultEvent } from './run-event.js';
import { closingLines, rolloutBanner, siteEndLine, waveTitle, type RolloutTextOptions } from './rollout-text.js';
import { isSiteRunEvent, type RolloutEvent, type RolloutReporter } from '../rollout/rollout-event.js';

export class RolloutPlainReporter implements RolloutReporter {
  readonly #out: { write(s: string): unknown };
  readonly #o: RolloutTextOptions;
  readonly #results = new Map<string, HostResultEvent[]>();
  #check = false;
  #wrote = false;

  constructor(opts: RolloutTextOptions & { out: { write(s: string): unknown } }) {
    this.#out = opts.out;
    this.#o = opts;
  }

  handle(e: RolloutEvent): void {
    const p = palette(this.#o.color);
    if (isSiteRunEvent(e)) {
      if (e.type === 'host_result') {
        this.#collect(e.site, e);
        const worth = this.#o.verbose > 0 || e.status === 'failed' || e.status === 'unreachable';
        if (worth) this.#write(hostResultLines(e, { color: this.#o.color, verbose: this.#o.verbose, diff: this.#o.verbose > 0 && this.#o.diff }).map((l) => `[${e.site}] ${l}`));
      } else if (e.type === 'warning') this.#write([`[${e.site}] ${warningLine(e, this.#o.color)}`]);
      else if (e.type === 'task_start' && this.#o.verbose > 1) this.#write([`[${e.site}] TASK [${e.task}]`]);
      return;
    }
    switch (e.type) {
      case 'rollout_start':
        this.#check = e.check;
        this.#write(rolloutBanner(e).concat(e.check ? [p.cyan('CHECK MODE: nothing will be changed')] : []));
        return;
      case 'wave_start':
        return this.#write(['', p.bold(banner(waveTitle(e)))]);
      case 'site_start': {
        const resumed = e.resumedHosts ? `, resuming ${e.resumedHosts.join(', ')}` : '';
        return this.#write([`${e.site}: started (${e.hosts.length} ${e.hosts.length === 1 ? 'host' : 'hosts'}${resumed})`]);
      }
      case 'site_end':
        return this.#write([siteEndLine(e, this.#o.color)]);
      case 'wave_end':
        return;
      case 'rollout_stop':
        return this.#write(['', p.red(`STOPPED: ${e.message}`)]);
      case 'rollout_end':
        return this.#write(['', ...closingLines(e, groupChanges(this.#results), this.#check, this.#o)]);
    }
  }

  finish(): Promise<void> {
    return Promise.resolve();
  }

  #collect(site: string, e: HostResultEvent): void {
    let list = this.#results.get(site);
    if (!list) this.#results.set(site, (list = []));
    list.push(e);
  }

  #write(lines: string[]): void {
    if (lines.length === 0) return;
    if (!this.#wrote && lines[0] === '') lines = lines.slice(1);
    this.#wrote = true;
    this.#out.write(`${lines.join('\n')}\n`);
  }
}

