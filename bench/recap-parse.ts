/**
 * Reads the PLAY RECAP that both k3play (plain output) and ansible-playbook print, so the bench
 * can check every measured run did what the workload says (all ok, changed=0 where the lab is
 * converged) — a timing of a run that failed or did something else is worth nothing. Pure.
 */
export interface RecapTotals {
  readonly hosts: number;
  readonly ok: number;
  readonly changed: number;
  readonly failed: number;
  readonly unreachable: number;
}

const ROW = /^(\S+)\s*:\s*ok=(\d+)\s+changed=(\d+)\s+unreachable=(\d+)\s+failed=(\d+)/;

export function parseRecap(output: string): RecapTotals | null {
  const at = output.lastIndexOf('PLAY RECAP');
  if (at < 0) return null;
  let hosts = 0;
  let ok = 0;
  let changed = 0;
  let failed = 0;
  let unreachable = 0;
  for (const line of output.slice(at).split('\n').slice(1)) {
    const m = ROW.exec(line.trim());
    if (!m) continue;
    hosts++;
    ok += Number(m[2]);
    changed += Number(m[3]);
    unreachable += Number(m[4]);
    failed += Number(m[5]);
  }
  return hosts === 0 ? null : { hosts, ok, changed, failed, unreachable };
}
