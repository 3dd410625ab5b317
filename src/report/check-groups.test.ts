import { describe, expect, it } from 'vitest';
import { groupChanges, groupTitle } from './check-groups.js';
import type { HostResultEvent } from './run-event.js';

function changed(host: string, task: string, summary: string, after = 'x\n'): HostResultEvent {
  return { type: 'host_result', task, module: 'copy', host, status: 'changed', check: true, changes: [{ summary, diff: { path: '/etc/x', before: null, after } }], durationMs: 1 };
}
const ok = (host: string): HostResultEvent => ({ type: 'host_result', task: 't', module: 'copy', host, status: 'ok', changes: [], durationMs: 1 });

describe('groupChanges', () => {
  it('groups sites making the same changes, whatever the host names and counts; different content is another group', () => {
    const same = (hosts: string[]) => hosts.flatMap((h) => [changed(h, 'motd', 'create /etc/x'), changed(h, 'sysctl', 'ip_forward 0 -> 1')]);
    const results = new Map<string, HostResultEvent[]>([
      ['a', same(['n1', 'n2', 'n3'])],
      ['b', same(['n1', 'n2'])],
      ['c', same(['h7', 'h8', 'h9'])],
      ['d', [changed('n1', 'motd', 'create /etc/x', 'other\n')]],
      ['e', [ok('n1')]],
      ['f', [ok('n1')]],
    ]);
    const groups = groupChanges(results);
    expect(groups.map((g) => [g.sites, g.changes.length])).toEqual([
      [['a', 'b', 'c'], 2],
      [['d'], 1],
      [['e', 'f'], 0],
    ]);
    expect(groups[0]!.changes.map((c) => [c.task, c.hostsMin, c.hostsMax])).toEqual([
      ['motd', 2, 3],
      ['sysctl', 2, 3],
    ]);
    expect(groups.map((g) => groupTitle(g))).toEqual(['3 sites: same 2 changes', '1 site (d): 1 change', '2 sites: no changes']);
  });
});
