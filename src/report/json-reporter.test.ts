import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { JSON_SCHEMA_VERSION, JsonReporter, type JsonDocument } from './json-reporter.js';
import type { RunEvent } from './run-event.js';

const events = JSON.parse(readFileSync(new URL('./testdata/run-events.json', import.meta.url), 'utf8')) as RunEvent[];

async function collect(mode: 'lines' | 'document', input: RunEvent[]): Promise<string> {
  let text = '';
  const r = new JsonReporter({ out: { write: (s: string) => (text += s) }, mode });
  for (const e of input) r.handle(e);
  await r.finish();
  await r.finish(); // idempotent
  return text;
}

describe('JsonReporter', () => {
  it('lines: one parseable event per line, round-trips the events, run_end last', async () => {
    const text = await collect('lines', events);
    expect(text.endsWith('\n')).toBe(true);
    const parsed = text.trimEnd().split('\n').map((l) => JSON.parse(l) as RunEvent);
    expect(parsed).toEqual(events);
    expect(parsed.at(-1)?.type).toBe('run_end');
  });

  it('document: one JSON document with version, events, recap, exitCode', async () => {
    const text = await collect('document', events);
    expect(text.trimEnd().split('\n')).toHaveLength(1);
    const doc = JSON.parse(text) as JsonDocument;
    const end = events.at(-1);
    expect(end?.type).toBe('run_end');
    expect(doc).toEqual({
      version: JSON_SCHEMA_VERSION,
      events,
      recap: end?.type === 'run_end' ? end.recap : undefined,
      exitCode: 2,
    });
  });

  it.each(['lines', 'document'] as const)('%s: synthesizes run_end when the run ended abnormally', async (mode) => {
    const cut = events.slice(0, 7); // through the first task_end, no run_end
    const text = await collect(mode, cut);
    const all =
      mode === 'lines'
        ? text.trimEnd().split('\n').map((l) => JSON.parse(l) as RunEvent)
        : (JSON.parse(text) as JsonDocument).events;
    const last = all.at(-1);
    expect(all.slice(0, -1)).toEqual(cut);
    expect(last?.type).toBe('run_end');
    if (last?.type !== 'run_end') return;
    expect(last.exitCode).toBe(1);
    expect(last.recap).toEqual({
      h1: { ok: 1, changed: 1, unreachable: 0, failed: 0, skipped: 0, rescued: 0, ignored: 0 },
      h2: { ok: 1, changed: 0, unreachable: 0, failed: 0, skipped: 0, rescued: 0, ignored: 0 },
      'web-3': { ok: 0, changed: 0, unreachable: 1, failed: 0, skipped: 0, rescued: 0, ignored: 0 },
    });
  });
});
