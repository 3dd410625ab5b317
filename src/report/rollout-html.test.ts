import { describe, expect, it } from 'vitest';
import { emptyRecap, type HostResultEvent } from './run-event.js';
import { esc, renderRolloutHtml } from './rollout-html.js';
import type { Journal, RolloutMeta } from '../rollout/rollout-journal.js';
import type { RolloutEvent } from '../rollout/rollout-event.js';
import { buildReport } from '../rollout/rollout-report.js';

const EVIL = '<script>alert("x")</script>&\'';

function journal(): Journal {
  const meta: RolloutMeta = {
    version: 1, id: '20261101-120000-ab12', createdAt: '2026-11-01T12:00:00Z', playbook: '/p/site.yml', sitesSpec: 'sites/*.ini', cwd: '/p',
    sites: [{ name: 's1', inventories: ['/p/sites/s1.ini'] }, { name: 's2', inventories: ['/p/sites/s2.ini'] }],
    flags: { check: true, diff: true, tags: [], skipTags: [], forks: 50, siteConcurrency: 4, canary: 0, waves: '100%', acceptNewHostKeys: false },
    extraVars: { count: 0, sha256: '' },
  };
  const result = (site: string, status: HostResultEvent['status']): RolloutEvent => ({
    site, type: 'host_result', task: `task ${EVIL}`, module: 'copy', host: 'h1', status, check: true, msg: status === 'failed' ? `boom ${EVIL}` : undefined,
    changes: status === 'changed' ? [{ summary: `write ${EVIL}`, diff: { path: '/etc/x', before: null, after: `line ${EVIL}\n` } }] : [], durationMs: 1,
  } as RolloutEvent);
  const site = (s: string, status: 'ok' | 'failed'): RolloutEvent[] => [
    { type: 'site_start', site: s, wave: 1, attempt: 1, hosts: ['h1'], time: 't' },
    result(s, status === 'ok' ? 'changed' : 'failed'),
    { type: 'site_end', site: s, wave: 1, attempt: 1, status, exitCode: status === 'ok' ? 0 : 2, recap: { h1: { ...emptyRecap(), failed: status === 'ok' ? 0 : 1 } }, changed: 1, failedHosts: status === 'ok' ? [] : ['h1'], durationMs: 1200, ...(status === 'failed' ? { message: `h1 failed: ${EVIL}` } : {}) },
  ];
  return { dir: '/j', meta, rolloutEvents: [], siteEvents: new Map([['s1', site('s1', 'ok')], ['s2', site('s2', 'failed')]]) };
}

describe('the HTML report', () => {
  const html = renderRolloutHtml(buildReport(journal()));

  it('escapes everything that comes from the journal', () => {
    expect(esc(EVIL)).toBe('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;');
    expect(html).not.toContain('<script');
    expect(html).toContain('task &lt;script&gt;');
    expect(html).toContain('<span class="add">+line &lt;script&gt;');
  });

  it('is self-contained: inline CSS, no script, no external reference', () => {
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain('<style>');
    expect(html).not.toMatch(/<link|<img|<iframe|src=|url\(|@import|https?:\/\//i);
    expect([...html.matchAll(/href="([^"]*)"/g)].map((m) => m[1]).every((h) => h!.startsWith('#site-'))).toBe(true);
  });

  it('has the summary table, a drill-down per site (failed ones open) and the grouped changes', () => {
    expect(html.match(/<tr><td><a href="#site-s\d">/g)).toHaveLength(2);
    expect(html).toMatch(/<details class="site" open><summary><b>s2<\/b>/);
    expect(html).toMatch(/<details class="site"><summary><b>s1<\/b>/);
    expect(html).toContain('id="site-s1"');
    expect(html).toContain('1 site (s1): 1 change');
    expect(html).toContain('check mode: nothing was changed');
  });
});
