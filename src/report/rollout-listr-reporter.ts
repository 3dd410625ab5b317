/**
 * The live rollout view on a terminal (listr2): one block per wave, one line per site under it
 * (waiting, then the task it is on, then its result line), collapsed to the wave's counts when
 * the wave ends unless a site failed; the failures of the wave printed under it; the closing
 * block (recap, grouped changes) at the end.
 *
 * A wave of more than LIVE_SITE_LINES sites (thousands, in one `100%` wave) shows one line per
 * concurrency *slot* instead (the site running in it), and the wave's line counts
 * ok/failed/running/waiting live: the terminal never holds a line per waiting site.
 *
 * Same bridge as listr-reporter.ts: handle() only updates a small model and queues segments;
 * a promise chain plays them in order, one short-lived Listr per wave whose site subtasks await
 * promises settled by site_end / wave_end. finish() settles everything and awaits the chain,
 * bounded by a timeout. Must not read process.argv/env.
 */
import { Listr, ListrLogger, ProcessOutput, type ListrRendererFactory, type ListrTask, type ListrTaskWrapper } from 'listr2';
import { palette, type Palette } from './ansi-style.js';
import { groupChanges } from './check-groups.js';
import { hostResultLines } from './host-lines.js';
import { listrIconColors } from './listr-reporter.js';
import type { HostResultEvent } from './run-event.js';
import { closingLines, rolloutBanner, siteEndLine, waveTitle, type RolloutTextOptions } from './rollout-text.js';
import { isSiteRunEvent, type RolloutEvent, type RolloutReporter, type SiteEndEvent, type WaveStartEvent } from '../rollout/rollout-event.js';

export interface RolloutListrOptions extends RolloutTextOptions {
  readonly out: NodeJS.WriteStream;
  readonly err?: NodeJS.WriteStream;
  /** 'test': listr2's TestRenderer, for tests. */
  readonly renderer?: 'default' | 'test';
  readonly finishTimeoutMs?: number;
}

type Wrapper = ListrTaskWrapper<unknown, ListrRendererFactory, ListrRendererFactory>;

interface SiteView {
  readonly site: string;
  title: string;
  end: SiteEndEvent | undefined;
  wrapper: Wrapper | undefined;
  settle: () => void;
  readonly settled: Promise<void>;
  done: boolean;
  readonly failures: HostResultEvent[];
}

/** One line of a big wave: the site currently running in this slot. */
interface SlotView {
  site: string | undefined;
  title: string;
  wrapper: Wrapper | undefined;
}

export const LIVE_SITE_LINES = 24;

interface WaveView {
  readonly start: WaveStartEvent;
  readonly sites: Map<string, SiteView>;
  /** Present for big waves (slot mode). */
  readonly slots: SlotView[] | undefined;
  readonly ended: Promise<void>;
  end: () => void;
  parent: Wrapper | undefined;
}

export class RolloutListrReporter implements RolloutReporter {
  readonly #o: RolloutListrOptions;
  readonly #p: Palette;
  readonly #results = new Map<string, HostResultEvent[]>();
  #chain: Promise<void> = Promise.resolve();
  #wave: WaveView | undefined;
  #check = false;
  #concurrency = 1;
  #finished = false;
  #dirty = new Set<SiteView>();
  #flushScheduled = false;

  constructor(opts: RolloutListrOptions) {
    this.#o = opts;
    this.#p = palette(opts.color);
  }

  handle(e: RolloutEvent): void {
    if (this.#finished) return;
    if (isSiteRunEvent(e)) {
      const sv = this.#wave?.sites.get(e.site);
      if (e.type === 'host_result') {
        let list = this.#results.get(e.site);
        if (!list) this.#results.set(e.site, (list = []));
        list.push(e);
        if (sv && (e.status === 'unreachable' || (e.status === 'failed' && !e.ignored))) sv.failures.push(e);
      }
      if (sv && e.type === 'task_start') this.#retitle(sv, `${e.site}: ${this.#p.dim(e.task)}`);
      return;
    }
    switch (e.type) {
      case 'rollout_start':
        this.#check = e.check;
        this.#concurrency = e.siteConcurrency;
        return this.#text(rolloutBanner(e).concat(e.check ? [this.#p.cyan('CHECK MODE: nothing will be changed')] : []));
      case 'wave_start':
        return this.#startWave(e);
      case 'site_start': {
        const sv = this.#wave?.sites.get(e.site);
        const slots = this.#wave?.slots;
        if (slots) {
          const free = slots.find((x) => x.site === undefined || this.#wave!.sites.get(x.site)?.done) ?? slots[0]!;
          free.site = e.site;
        }
        if (sv) this.#retitle(sv, `${e.site}: ${this.#p.dim('starting')}`);
        return;
      }
      case 'site_end': {
        const sv = this.#wave?.sites.get(e.site);
        if (!sv) return this.#text([siteEndLine(e, this.#o.color)]);
        sv.end = e;
        sv.title = siteEndLine(e, this.#o.color);
        sv.settle();
        if (this.#wave?.slots) this.#retitle(sv, sv.title);
        return;
      }
      case 'wave_end':
        return this.#endWave();
      case 'rollout_stop':
        this.#endWave();
        return this.#text(['', this.#p.red(`STOPPED: ${e.message}`)]);
      case 'rollout_end':
        this.#endWave();
        return this.#text(['', ...closingLines(e, groupChanges(this.#results), this.#check, this.#o)]);
    }
  }

  async finish(): Promise<void> {
    if (this.#finished) return;
    this.#finished = true;
    this.#endWave();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, this.#o.finishTimeoutMs ?? 10_000);
      timer.unref();
    });
    await Promise.race([this.#chain, timeout]);
    clearTimeout(timer);
  }

  #startWave(e: WaveStartEvent): void {
    this.#endWave();
    let end = (): void => undefined;
    const ended = new Promise<void>((r) => (end = r));
    const big = e.sites.length > LIVE_SITE_LINES;
    const slots = big ? Array.from({ length: Math.max(1, Math.min(this.#concurrency, LIVE_SITE_LINES, e.sites.length)) }, (): SlotView => ({ site: undefined, title: this.#p.dim('idle'), wrapper: undefined })) : undefined;
    const wave: WaveView = { start: e, sites: new Map(), slots, ended, end, parent: undefined };
    for (const site of e.sites) {
      let settle = (): void => undefined;
      const settled = new Promise<void>((r) => (settle = r));
      const sv: SiteView = { site, title: `${site}: ${this.#p.dim('waiting')}`, end: undefined, wrapper: undefined, settle: () => undefined, settled, done: false, failures: [] };
      sv.settle = () => {
        sv.done = true;
        settle();
      };
      wave.sites.set(site, sv);
    }
    this.#wave = wave;
    this.#enqueue(() => this.#runWave(wave));
  }

  #endWave(): void {
    const w = this.#wave;
    if (!w) return;
    this.#wave = undefined;
    for (const sv of w.sites.values()) if (!sv.done) sv.settle();
    w.end();
  }

  #retitle(sv: SiteView, title: string): void {
    sv.title = title;
    this.#dirty.add(sv);
    if (this.#flushScheduled) return;
    this.#flushScheduled = true;
    setImmediate(() => {
      this.#flushScheduled = false;
      const w = this.#wave;
      for (const s of this.#dirty) {
        if (s.wrapper && !s.done) s.wrapper.title = s.title;
        const slot = w?.slots?.find((x) => x.site === s.site);
        if (slot) {
          slot.title = s.title;
          if (slot.wrapper) slot.wrapper.title = s.title;
        }
      }
      if (w?.slots && w.parent) w.parent.title = this.#waveSummary(w, true);
      this.#dirty.clear();
    });
  }

  #text(lines: string[]): void {
    this.#enqueue(async () => {
      if (lines.length > 0) this.#o.out.write(`${lines.join('\n')}\n`);
    });
  }

  #enqueue(fn: () => Promise<void>): void {
    this.#chain = this.#chain.then(fn).catch((err: unknown) => {
      (this.#o.err ?? process.stderr).write(`k3play: live view failed: ${err instanceof Error ? err.message : String(err)}\n`);
    });
  }

  async #runWave(w: WaveView): Promise<void> {
    const slotTasks = (w.slots ?? []).map((slot) => ({
      title: slot.title,
      task: async (_ctx: unknown, t: Wrapper) => {
        slot.wrapper = t;
        await w.ended;
        slot.wrapper = undefined;
        t.title = slot.title;
      },
    }));
    const siteTasks: ListrTask<unknown, ListrRendererFactory, ListrRendererFactory>[] = [...w.sites.values()].map((sv) => ({
      title: sv.title,
      task: async (_ctx: unknown, t: Wrapper) => {
        sv.wrapper = t;
        if (t.title !== sv.title) t.title = sv.title;
        await sv.settled;
        sv.wrapper = undefined;
        if (!sv.end) {
          t.title = `${sv.site}: ${this.#p.dim('not started')}`;
          t.skip(t.title);
        } else {
          t.title = sv.title;
          if (sv.end.status !== 'ok') throw new Error(sv.title);
        }
        if ([...w.sites.values()].every((s) => s.done) && w.parent) w.parent.title = this.#waveSummary(w);
      },
    }));
    const tasks = w.slots ? slotTasks : siteTasks;
    const listr = new Listr<unknown, ListrRendererFactory, ListrRendererFactory>(
      [
        {
          title: waveTitle(w.start),
          task: (_ctx: unknown, parent: Wrapper) => {
            w.parent = parent;
            return parent.newListr(tasks, { concurrent: true, exitOnError: false });
          },
        },
      ],
      this.#listrOptions(),
    );
    await listr.run();
    if (w.slots) this.#o.out.write(`${this.#waveSummary(w)}\n`);
    const details = [...w.sites.values()].flatMap((sv) =>
      sv.failures.flatMap((r) => hostResultLines(r, { color: this.#o.color, verbose: this.#o.verbose, diff: false }).map((l) => `  [${sv.site}] ${l}`)),
    );
    if (details.length > 0) this.#o.out.write(`${details.join('\n')}\n`);
  }

  #waveSummary(w: WaveView, live = false): string {
    const p = this.#p;
    const ends = [...w.sites.values()].map((s) => s.end);
    const ok = ends.filter((e) => e?.status === 'ok').length;
    const bad = ends.filter((e) => e && e.status !== 'ok').length;
    const skipped = ends.filter((e) => !e).length;
    const cells = [p.green(`ok=${ok}`)];
    if (bad > 0) cells.push(p.red(`failed=${bad}`));
    if (live) {
      const running = (w.slots ?? []).filter((x) => x.site !== undefined && !w.sites.get(x.site)?.done).length;
      cells.push(`running=${running}`, p.dim(`waiting=${Math.max(0, skipped - running)}`));
    } else if (skipped > 0) cells.push(p.yellow(`not started=${skipped}`));
    return `${waveTitle(w.start)}  ${cells.join(' ')}`;
  }

  #listrOptions(): ConstructorParameters<typeof Listr<unknown, ListrRendererFactory, ListrRendererFactory>>[1] {
    const processOutput = new ProcessOutput(this.#o.out, this.#o.err ?? process.stderr, { leaveEmptyLine: false });
    const logger = new ListrLogger({ useIcons: this.#o.renderer !== 'test', toStderr: [], processOutput });
    const common = { exitOnError: false, registerSignalListeners: false, silentRendererCondition: false, fallbackRendererCondition: false };
    if (this.#o.renderer === 'test') {
      return {
        ...common,
        renderer: 'test' as unknown as ListrRendererFactory,
        rendererOptions: { logger, task: ['title', 'hasFailed', 'isSkipped', 'isCompleted'], messagesToStderr: [], output: false, prompt: false },
      };
    }
    return {
      ...common,
      renderer: 'default' as unknown as ListrRendererFactory,
      rendererOptions: { logger, color: listrIconColors(this.#p), collapseSubtasks: true, showErrorMessage: false },
      fallbackRenderer: 'simple' as unknown as ListrRendererFactory,
      fallbackRendererOptions: { logger },
    };
  }
}
