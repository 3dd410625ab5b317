/**
 * The member's etcd settings as Debian's etcd.service reads them (EnvironmentFile=/etc/default/
 * etcd, ETCD_* variables): rendered from what the inventory says, parsed back, and compared by
 * meaning. Pure. TLS everywhere: clients and peers need a certificate signed by the CA
 * (client-cert-auth on both). ETCD_INITIAL_* settings are read only when a member starts with an
 * empty data directory, so a change to them alone never needs a restart.
 */
export const CONFIG_FILE = '/etc/default/etcd';

export interface EtcdConfig {
  readonly name: string;
  readonly dataDir: string;
  readonly peerUrl: string;
  readonly clientUrl: string;
  readonly clientPort: number;
  readonly initialCluster: string;
  readonly initialState: 'new' | 'existing';
  readonly token: string;
  readonly pkiDest: string;
  readonly extraEnv: Readonly<Record<string, string>>;
}

/** Variable -> value, in file order. */
export function configVars(c: EtcdConfig): [string, string][] {
  const pki = c.pkiDest;
  return [
    ['ETCD_NAME', c.name],
    ['ETCD_DATA_DIR', c.dataDir],
    ['ETCD_LISTEN_PEER_URLS', c.peerUrl],
    ['ETCD_INITIAL_ADVERTISE_PEER_URLS', c.peerUrl],
    ['ETCD_LISTEN_CLIENT_URLS', `${c.clientUrl},https://127.0.0.1:${c.clientPort}`],
    ['ETCD_ADVERTISE_CLIENT_URLS', c.clientUrl],
    ['ETCD_INITIAL_CLUSTER', c.initialCluster],
    ['ETCD_INITIAL_CLUSTER_STATE', c.initialState],
    ['ETCD_INITIAL_CLUSTER_TOKEN', c.token],
    ['ETCD_TRUSTED_CA_FILE', `${pki}/ca.crt`],
    ['ETCD_CERT_FILE', `${pki}/server.crt`],
    ['ETCD_KEY_FILE', `${pki}/server.key`],
    ['ETCD_CLIENT_CERT_AUTH', 'true'],
    ['ETCD_PEER_TRUSTED_CA_FILE', `${pki}/ca.crt`],
    ['ETCD_PEER_CERT_FILE', `${pki}/peer.crt`],
    ['ETCD_PEER_KEY_FILE', `${pki}/peer.key`],
    ['ETCD_PEER_CLIENT_CERT_AUTH', 'true'],
    ...Object.entries(c.extraEnv).sort(([a], [b]) => a.localeCompare(b)),
  ];
}

export function renderEtcdConfig(c: EtcdConfig): string {
  const lines = [
    '# Managed by k3play (etcd_cluster): etcd settings for etcd.service (EnvironmentFile).',
    '# ETCD_INITIAL_* are read only when the data directory is empty.',
    ...configVars(c).map(([k, v]) => `${k}=${quote(v)}`),
  ];
  return `${lines.join('\n')}\n`;
}

/** systemd EnvironmentFile quoting: plain when safe, else double quotes with \ and " escaped. */
function quote(v: string): string {
  return /^[A-Za-z0-9_.,:/=@+%-]*$/.test(v) ? v : `"${v.replace(/[\\"]/g, '\\$&')}"`;
}

/** KEY=VALUE lines of an environment file (comments, blanks and malformed lines skipped). */
export function parseEnvFile(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
    if (!m || line.startsWith('#')) continue;
    let v = m[2]!;
    if (v.length >= 2 && v.startsWith('"') && v.endsWith('"')) v = v.slice(1, -1).replace(/\\(["\\])/g, '$1');
    else if (v.length >= 2 && v.startsWith("'") && v.endsWith("'")) v = v.slice(1, -1);
    out.set(m[1]!, v);
  }
  return out;
}

/** Variables whose value differs (added, removed or changed), sorted. */
export function changedVars(before: ReadonlyMap<string, string>, after: ReadonlyMap<string, string>): string[] {
  const keys = new Set([...before.keys(), ...after.keys()]);
  return [...keys].filter((k) => before.get(k) !== after.get(k)).sort();
}

/** A running, initialized member needs a restart for these changes (anything but ETCD_INITIAL_*). */
export function needsRestart(changed: readonly string[]): boolean {
  return changed.some((k) => !k.startsWith('ETCD_INITIAL_'));
}
