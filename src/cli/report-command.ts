/**
 * `k3play report [ID]`: a rollout's summary from its journal (text table, `--json` document,
 * `--html FILE` self-contained report); without an ID, the list of rollouts. Reads the journal
 * only; connects to nothing.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ExitCode } from '../errors/k3play-error.js';
import { colorEnabled } from '../report/choose-reporter.js';
import { formatChangeGroups, formatRolloutRecap } from '../report/rollout-recap.js';
import { renderRolloutHtml } from '../report/rollout-html.js';
import { findRollout, listRollouts, readJournal } from '../rollout/rollout-journal.js';
import { buildReport } from '../rollout/rollout-report.js';

export interface ReportCliOptions {
  html?: string;
  json: boolean;
  journalDir?: string;
  diff: boolean;
  color: boolean;
}

export async function reportCommand(id: string | undefined, o: ReportCliOptions): Promise<number> {
  const root = path.resolve(o.journalDir ?? path.join('.k3play', 'rollouts'));
  const out = process.stdout;
  if (id === undefined) {
    const ids = listRollouts(root);
    if (ids.length === 0) {
      out.write(`no rollouts in ${path.relative(process.cwd(), root) || root}\n`);
      return ExitCode.ok;
    }
    for (const r of ids) {
      const m = buildReport(readJournal(path.join(root, r)));
      const c = Object.entries(m.counts).filter(([, n]) => n > 0).map(([s, n]) => `${s}=${n}`).join(' ');
      out.write(`${r}  ${path.relative(m.meta.cwd, m.meta.playbook)}  ${m.rows.length} sites  ${c}${m.check ? '  (check)' : ''}\n`);
    }
    return ExitCode.ok;
  }
  const model = buildReport(readJournal(findRollout(root, id)));
  if (o.html) {
    await writeFile(o.html, renderRolloutHtml(model, { generatedAt: new Date().toISOString() }), { mode: 0o600 });
    process.stderr.write(`wrote ${o.html}\n`);
  }
  if (o.json) {
    const doc = {
      version: 1,
      rolloutId: model.meta.id,
      playbook: model.meta.playbook,
      check: model.check,
      attempts: model.attempts,
      durationMs: model.durationMs,
      counts: model.counts,
      ...(model.stopMessage ? { stopMessage: model.stopMessage } : {}),
      sites: model.rows,
      groups: model.groups.map((g) => ({ sites: g.sites, changes: g.changes.map((c) => ({ task: c.task, summary: c.summary, hostsMin: c.hostsMin, hostsMax: c.hostsMax })) })),
    };
    out.write(`${JSON.stringify(doc)}\n`);
    return ExitCode.ok;
  }
  if (o.html) return ExitCode.ok;
  const color = colorEnabled(process.env, Boolean(out.isTTY), o.color === false ? false : undefined);
  const lines = formatRolloutRecap({ rows: model.rows, durationMs: model.durationMs, ...(model.stopMessage ? { stopMessage: model.stopMessage } : {}) }, { color });
  const changes = formatChangeGroups(model.groups, { color, diff: o.diff, check: model.check, maxGroups: Infinity });
  out.write(`rollout ${model.meta.id} (${model.attempts} ${model.attempts === 1 ? 'attempt' : 'attempts'})\n${lines.join('\n')}\n${changes.length > 0 ? `\n${changes.join('\n')}\n` : ''}`);
  return ExitCode.ok;
}
