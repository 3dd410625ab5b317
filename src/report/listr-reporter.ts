/**
 * The live TTY view, rendered with listr2: one line per task with one sub-line per host (spinner
 * while running, then ok/changed/failed/skipped), collapsed when the task ends unless a host
 * failed; under it, the details worth keeping (changes, failures with hints, debug messages,
 * diffs, -v output; the same text as the plain reporter), and the PLAY RECAP at the end.
 *
 * Bridge: listr2 runs tasks, the engine emits events. handle() only updates a small model
 * (TaskView/HostView) and queues "segments" (text, or one task); a promise chain plays them in
 * order, one short-lived Listr per task whose host subtasks await promises resolved by events.
 * So handle() is cheap, events may arrive faster than rendering, and text is only written while
 * no Listr holds the terminal. finish() settles every open promise (an abnormal end leaves none
 * pending), then awaits the chain, bounded by a timeout: it always resolves.
 * Must not read process.argv/env; the caller decides color and the streams.
 */
import {
  Listr,
  ListrDefaultRendererLogLevels,
  ListrLogger,
  ProcessOutput,
  type ListrRendererFactory,
  type ListrTask,
  type ListrTaskWrapper,
} from 'listr2';
import { palette, type Palette } from './ansi-style.js';
import { hostResultLines, playBanner, warningLine, type LineOptions } from './host-lines.js';
import { formatRecap } from './recap.js';
import type { HostResultEvent, HostStatus, Reporter, RunEvent, TaskStartEvent } from './run-event.js';

export interface ListrReporterOptions {
  /** The terminal. */
  out: NodeJS.WriteStream;
  /** Hijacked (buffered) by listr2 while a task renders; default process.stderr. */
  err?: NodeJS.WriteStream;
  color: boolean;
  verbose: number;
  diff: boolean;
  /** 'test': listr2's TestRenderer (one serialized line per listr event) for tests. */
  renderer?: 'default' | 'test';
  /** Upper bound for finish() to wait for the renderer; default 10 s. */
  finishTimeoutMs?: number;
}

type Wrapper = ListrTaskWrapper<unknown, ListrRendererFactory, ListrRendererFactory>;

interface Deferred {
  readonly promise: Promise<void>;
  resolve(): void;
}

function deferred(): Deferred {
  let resolve = (): void => undefined;
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

/** Worst-first: the status a host shows for a task with several results (loop items). */
const RANK: Record<HostStatus, number> = { unreachable: 4, failed: 3, changed: 2, ok: 1, skipped: 0 };

interface HostView {
  readonly host: string;
  status: HostStatus | undefined;
  ignored: boolean;
  title: string;
  wrapper: Wrapper | undefined;
  readonly final: Deferred;
  settled: boolean;
  /** Why the host ended without a result (interrupted run). */
  noResult: string;
}

interface TaskView {
  readonly start: TaskStartEvent;
  readonly hosts: Map<string, HostView>;
  readonly results: HostResultEvent[];
  readonly ended: Deferred;
  isEnded: boolean;
  parent: Wrapper | undefined;
}

type Segment =
  | { readonly kind: 'text'; readonly lines: string[]; readonly block: boolean }
  | { readonly kind: 'task'; readonly view: TaskView };

export class ListrReporter implements Reporter {
  readonly #opts: ListrReporterOptions;
  readonly #p: Palette;
  #lines: LineOptions;
  #chain: Promise<void> = Promise.resolve();
  #current: TaskView | undefined;
  #dirty = new Set<HostView>();
  #flushScheduled = false;
  #wroteSomething = false;
  #finished = false;
  #renderError = false;

  constructor(opts: ListrReporterOptions) {
    this.#opts = opts;
    this.#p = palette(opts.color);
    this.#lines = { color: opts.color, verbose: opts.verbose, diff: opts.diff };
  }

  handle(e: RunEvent): void {
    if (this.#finished) return;
    switch (e.type) {
      case 'run_start':
        if (e.diff) this.#lines = { ...this.#lines, diff: true };
        if (e.check) this.#text([this.#p.cyan('CHECK MODE: nothing will be changed')]);
        return;
      case 'play_start':
        this.#endCurrent('no result');
        return this.#text([this.#p.bold(playBanner(e))], true);
      case 'task_start':
        return this.#startTask(e);
      case 'host_result':
        return this.#result(e);
      case 'task_end':
        return this.#endCurrent('no result');
      case 'play_end':
        return;
      case 'warning':
        return this.#text([warningLine(e, this.#opts.color)]);
      case 'run_end':
        this.#endCurrent('interrupted');
        return this.#text(formatRecap(e.recap, e.durationMs, this.#opts.color).replace(/\n$/, '').split('\n'), true);
    }
  }

  async finish(): Promise<void> {
    if (this.#finished) return;
    this.#finished = true;
    this.#endCurrent('interrupted');
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, this.#opts.finishTimeoutMs ?? 10_000);
      timer.unref();
    });
    await Promise.race([this.#chain, timeout]);
    clearTimeout(timer);
  }

  // ---- model updates (cheap, synchronous) ----

  #startTask(e: TaskStartEvent): void {
    this.#endCurrent('no result');
    const view: TaskView = {
      start: e,
      hosts: new Map(),
      results: [],
      ended: deferred(),
      isEnded: false,
      parent: undefined,
    };
    for (const host of e.hosts) {
      view.hosts.set(host, {
        host,
        status: undefined,
        ignored: false,
        title: host,
        wrapper: undefined,
        final: deferred(),
        settled: false,
        noResult: 'no result',
      });
    }
    this.#current = view;
    this.#enqueue({ kind: 'task', view });
  }

  #result(e: HostResultEvent): void {
    const view = this.#current;
    if (!view) {
      // A result outside any task (should not happen): keep it visible as text.
      this.#text(hostResultLines(e, this.#lines));
      return;
    }
    view.results.push(e);
    const hv = view.hosts.get(e.host);
    if (!hv || hv.settled) return;
    if (hv.status === undefined || RANK[e.status] > RANK[hv.status] || (hv.status === 'skipped' && e.status !== 'skipped')) {
      hv.status = e.status;
      hv.ignored = e.status === 'failed' && e.ignored === true;
    }
    hv.title = this.#hostTitle(hv, e);
    // A result without an item is the host's whole answer; loop items end with the task.
    if (e.item === undefined) this.#settle(hv);
    else this.#markDirty(hv);
  }

  #endCurrent(noResult: string): void {
    const view = this.#current;
    if (!view) return;
    this.#current = undefined;
    view.isEnded = true;
    for (const hv of view.hosts.values()) {
      hv.noResult = noResult;
      this.#settle(hv);
    }
    view.ended.resolve();
  }

  #settle(hv: HostView): void {
    if (hv.settled) return;
    hv.settled = true;
    hv.final.resolve();
  }

  #markDirty(hv: HostView): void {
    this.#dirty.add(hv);
    if (this.#flushScheduled) return;
    this.#flushScheduled = true;
    // Coalesce bursts of results into one title update per host.
    setImmediate(() => {
      this.#flushScheduled = false;
      for (const h of this.#dirty) if (h.wrapper && !h.settled) h.wrapper.title = h.title;
      this.#dirty.clear();
    });
  }

  #hostTitle(hv: HostView, e: HostResultEvent): string {
    const p = this.#p;
    const status = hv.status ?? e.status;
    const word: Record<HostStatus, string> = {
      ok: p.green('ok'),
      changed: p.yellow('changed'),
      failed: p.red('failed'),
      skipped: p.cyan('skipping'),
      unreachable: p.red('UNREACHABLE'),
    };
    const parts = [`${hv.host}: ${word[status]}`];
    if (hv.ignored) parts.push('(ignored)');
    if (e.check && status === 'changed') parts.push('(check)');
    if (e.item !== undefined) parts.push(p.dim(`(item=${e.item})`));
    let detail = '';
    if ((status === 'failed' || status === 'unreachable') && e.msg) detail = e.msg;
    else if (status === 'changed' && e.changes.length === 1) detail = e.changes[0]?.summary ?? '';
    else if (status === 'changed' && e.changes.length > 1) detail = `${e.changes.length} changes`;
    const firstLine = detail.split('\n')[0] ?? '';
    return firstLine ? `${parts.join(' ')} - ${firstLine}` : parts.join(' ');
  }

  // ---- rendering (the promise chain) ----

  /** `block`: starts a block (PLAY banner, recap), so an empty line goes before it. */
  #text(lines: string[], block = false): void {
    this.#enqueue({ kind: 'text', lines, block });
  }

  #enqueue(seg: Segment): void {
    this.#chain = this.#chain.then(() => this.#play(seg)).catch((err: unknown) => this.#reportRenderError(err));
  }

  async #play(seg: Segment): Promise<void> {
    if (seg.kind === 'text') {
      this.#write(seg.lines, seg.block);
      return;
    }
    const view = seg.view;
    await this.#runListr(view);
    this.#wroteSomething = true;
    // Details sit under the task's line, indented like its (collapsed) host lines.
    const details = view.results.filter((r) => this.#worthDetails(r)).flatMap((r) => hostResultLines(r, this.#lines));
    this.#write(details.map((l) => (l === '' ? l : `  ${l}`)));
  }

  /** What stays on screen below a collapsed task: everything but plain ok/skipped lines. */
  #worthDetails(r: HostResultEvent): boolean {
    if (r.status !== 'ok' && r.status !== 'skipped') return true;
    if (r.status === 'ok' && r.msg) return true;
    if (this.#lines.verbose > 0 && (r.stdout || r.stderr || r.msg)) return true;
    return false;
  }

  #write(lines: string[], block = false): void {
    if (lines.length === 0) return;
    const all = block && this.#wroteSomething ? ['', ...lines] : lines;
    this.#wroteSomething = true;
    this.#opts.out.write(`${all.join('\n')}\n`);
  }

  #reportRenderError(err: unknown): void {
    if (this.#renderError) return;
    this.#renderError = true;
    const msg = err instanceof Error ? err.message : String(err);
    (this.#opts.err ?? process.stderr).write(`k3play: live view failed: ${msg}\n`);
  }

  async #runListr(view: TaskView): Promise<void> {
    const title = this.#taskTitle(view.start);
    const hostTasks: ListrTask<unknown, ListrRendererFactory, ListrRendererFactory>[] = [...view.hosts.values()].map((hv) => ({
      title: hv.title,
      task: async (_ctx: unknown, t: Wrapper): Promise<void> => {
        hv.wrapper = t;
        if (t.title !== hv.title) t.title = hv.title;
        await hv.final.promise;
        hv.wrapper = undefined;
        if (hv.status === undefined) {
          t.title = `${hv.host}: ${this.#p.dim(hv.noResult)}`;
          t.skip(t.title);
          this.#maybeTitleParent(view);
          return;
        }
        t.title = hv.title;
        this.#maybeTitleParent(view);
        if ((hv.status === 'failed' && !hv.ignored) || hv.status === 'unreachable') throw new Error(hv.title);
        if (hv.status === 'skipped') t.skip(hv.title);
      },
    }));
    const listr = new Listr<unknown, ListrRendererFactory, ListrRendererFactory>(
      [
        {
          title,
          task: async (_ctx: unknown, parent: Wrapper) => {
            view.parent = parent;
            if (hostTasks.length === 0) {
              await view.ended.promise;
              parent.title = this.#taskSummary(view);
              return undefined;
            }
            return parent.newListr(hostTasks, { concurrent: true, exitOnError: false });
          },
        },
      ],
      this.#listrOptions(),
    );
    await listr.run();
  }

  /** When the last host of a task settles, its title gets the counts (before the final frame). */
  #maybeTitleParent(view: TaskView): void {
    if (!view.parent) return;
    if ([...view.hosts.values()].every((h) => h.settled)) view.parent.title = this.#taskSummary(view);
  }

  #taskSummary(view: TaskView): string {
    const p = this.#p;
    type Key = HostStatus | 'ignored';
    const order: readonly Key[] = ['ok', 'changed', 'unreachable', 'failed', 'ignored', 'skipped'];
    const paint: Record<Key, (s: string) => string> = {
      ok: p.green,
      changed: p.yellow,
      unreachable: p.red,
      failed: p.red,
      ignored: p.magenta,
      skipped: p.cyan,
    };
    const counts = new Map<Key, number>();
    for (const hv of view.hosts.values()) {
      if (!hv.status) continue;
      const key: Key = hv.ignored ? 'ignored' : hv.status;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    const cells = order.filter((k) => counts.has(k)).map((k) => paint[k](`${k}=${counts.get(k)}`));
    const name = this.#taskTitle(view.start);
    return cells.length > 0 ? `${name}  ${cells.join(' ')}` : name;
  }

  #taskTitle(start: TaskStartEvent): string {
    return start.handler ? `${start.task} ${this.#p.dim('(handler)')}` : start.task;
  }

  #listrOptions(): ConstructorParameters<typeof Listr<unknown, ListrRendererFactory, ListrRendererFactory>>[1] {
    const processOutput = new ProcessOutput(this.#opts.out, this.#opts.err ?? process.stderr, { leaveEmptyLine: false });
    const logger = new ListrLogger({ useIcons: this.#opts.renderer !== 'test', toStderr: [], processOutput });
    const common = {
      exitOnError: false,
      registerSignalListeners: false,
      silentRendererCondition: false,
      fallbackRendererCondition: false,
    };
    if (this.#opts.renderer === 'test') {
      return {
        ...common,
        renderer: 'test' as unknown as ListrRendererFactory,
        rendererOptions: {
          logger,
          task: ['title', 'hasFailed', 'isSkipped', 'isCompleted'],
          messagesToStderr: [],
          output: false,
          prompt: false,
        },
      };
    }
    return {
      ...common,
      renderer: 'default' as unknown as ListrRendererFactory,
      rendererOptions: { logger, color: listrIconColors(this.#p), collapseSubtasks: true, showErrorMessage: true },
      fallbackRenderer: 'simple' as unknown as ListrRendererFactory,
      fallbackRendererOptions: { logger },
    };
  }
}

/** listr2's icon colors, from our palette, so `color: false` really means no color. */
export function listrIconColors(p: Palette): Record<string, (s?: string) => string> {
  const L = ListrDefaultRendererLogLevels;
  const wrap = (f: (s: string) => string) => (s?: string) => f(s ?? '');
  return {
    [L.SKIPPED_WITH_COLLAPSE]: wrap(p.cyan),
    [L.SKIPPED_WITHOUT_COLLAPSE]: wrap(p.cyan),
    [L.PENDING]: wrap(p.yellow),
    [L.COMPLETED]: wrap(p.green),
    [L.COMPLETED_WITH_FAILED_SUBTASKS]: wrap(p.red),
    [L.COMPLETED_WITH_FAILED_SISTER_TASKS]: wrap(p.red),
    [L.RETRY]: wrap(p.yellow),
    [L.ROLLING_BACK]: wrap(p.red),
    [L.ROLLED_BACK]: wrap(p.red),
    [L.FAILED]: wrap(p.red),
    [L.FAILED_WITH_FAILED_SUBTASKS]: wrap(p.red),
    [L.WAITING]: wrap(p.dim),
    [L.PAUSED]: wrap(p.yellow),
    [L.OUTPUT]: wrap((s) => s),
    [L.OUTPUT_WITH_BOTTOMBAR]: wrap((s) => s),
  };
}
