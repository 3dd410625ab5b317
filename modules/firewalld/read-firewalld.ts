/**
 * What `firewalld` asks a host, in ONE round trip, and the pure parser of the answer. Output,
 * `key=value` a line:
 *   installed=0                                   (nothing else follows)
 *   installed=1, active=<is-active>, enabled=<is-enabled>
 *   runtime=0|1         (query of the running firewall; only when active and a rule is asked)
 *   permanent=0|1       (query of the permanent config; firewall-offline-cmd when not running)
 * Query exit codes: 0 = present, 1 = absent; other codes fail the read, with the stderr=... lines.
 */
import { sh, type ShellScript } from '../../src/module-api/index.js';

export interface FirewalldCurrent {
  readonly installed: boolean;
  /** systemctl is-active firewalld: active, inactive, failed ... */
  readonly active: string;
  /** systemctl is-enabled firewalld: enabled, disabled, masked ... */
  readonly enabled: string;
  /** The rule is in the running firewall; null when not asked or not running. */
  readonly runtime: boolean | null;
  /** The rule is in the permanent config; null when not asked. */
  readonly permanent: boolean | null;
}

/** `--query-service=https` / `--query-port=6443/tcp`, plus `--zone=Z`. */
export function queryArgs(kind: 'service' | 'port', value: string, zone: string | undefined, verb: 'query' | 'add' | 'remove'): string[] {
  return [...(zone !== undefined ? [`--zone=${zone}`] : []), `--${verb}-${kind}=${value}`];
}

export function firewalldReadScript(rule: { kind: 'service' | 'port'; value: string; zone?: string } | null): ShellScript {
  const q = rule === null ? null : queryArgs(rule.kind, rule.value, rule.zone, 'query');
  const queries =
    q === null
      ? sh``
      : sh`if [ "$a" = active ]; then
  e=$(firewall-cmd ${q} 2>&1 >/dev/null); echo "runtime=$?"; [ -z "$e" ] || printf '%s\\n' "$e" | sed 's/^/stderr=/'
  e=$(firewall-cmd --permanent ${q} 2>&1 >/dev/null); echo "permanent=$?"
else
  e=$(firewall-offline-cmd ${q} 2>&1 >/dev/null); echo "permanent=$?"
fi
[ -z "$e" ] || printf '%s\\n' "$e" | sed 's/^/stderr=/'
`;
  return sh`if ! command -v firewall-cmd >/dev/null 2>&1; then echo installed=0; exit 0; fi
echo installed=1
a=$(systemctl is-active firewalld 2>/dev/null); echo "active=$a"
echo "enabled=$(systemctl is-enabled firewalld 2>/dev/null)"
${queries}exit 0`;
}

export function parseFirewalldRead(output: string): FirewalldCurrent {
  const rec = new Map<string, string>();
  const stderr: string[] = [];
  for (const line of output.split('\n')) {
    if (line === '') continue;
    const eq = line.indexOf('=');
    if (eq < 0) throw new Error(`unexpected line ${JSON.stringify(line)}`);
    const key = line.slice(0, eq);
    if (key === 'stderr') stderr.push(line.slice(eq + 1));
    else rec.set(key, line.slice(eq + 1));
  }
  const installed = rec.get('installed');
  if (installed === '0') return { installed: false, active: '', enabled: '', runtime: null, permanent: null };
  if (installed !== '1') throw new Error('no installed record in the output');
  const query = (key: string): boolean | null => {
    const v = rec.get(key);
    if (v === undefined) return null;
    if (v === '0') return true;
    if (v === '1') return false;
    throw new Error(`firewall-cmd ${key} query failed with exit ${v}${stderr.length ? `: ${stderr.join(' ')}` : ''}`);
  };
  return { installed: true, active: rec.get('active') ?? '', enabled: rec.get('enabled') ?? '', runtime: query('runtime'), permanent: query('permanent') };
}
