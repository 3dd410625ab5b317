/**
 * What etcd_cluster and etcd_member_update ask an etcd host, in ONE round trip: its
 * /etc/default/etcd, whether its data directory is initialized, the etcd unit's state, and the
 * cluster view (cluster-view.ts) as seen from this host. Writes nothing. Output records:
 *
 *   @@config=absent | @@config=b64:<base64 of /etc/default/etcd>
 *   @@data=initialized | @@data=empty          (DATA_DIR/member exists)
 *   @@active=<systemctl is-active etcd>  @@enabled=<systemctl is-enabled etcd>
 *   ...then the cluster view sections
 */
import { sh, TaskFailure, type Probe, type ShellScript } from '../../src/module-api/index.js';
import { clusterViewScript, parseClusterView, type ClusterView } from './cluster-view.js';
import { CONFIG_FILE } from './etcd-config.js';
import type { EtcdctlTls } from './etcdctl.js';

export interface EtcdHostState {
  /** Inventory name of the host (the default member name). */
  readonly host: string;
  readonly config: string | null;
  readonly initialized: boolean;
  /** active | activating | inactive | failed | ... */
  readonly active: string;
  readonly enabled: string;
  readonly view: ClusterView;
}

export function etcdHostScript(dataDir: string, tls: EtcdctlTls, endpoints: readonly string[]): ShellScript {
  return sh`f=${CONFIG_FILE}
if [ -f "$f" ]; then printf '@@config=b64:%s\\n' "$(base64 -w0 < "$f")"; else echo '@@config=absent'; fi
if [ -d ${`${dataDir}/member`} ]; then echo '@@data=initialized'; else echo '@@data=empty'; fi
printf '@@active=%s\\n' "$(systemctl is-active etcd 2>/dev/null)"
printf '@@enabled=%s\\n' "$(systemctl is-enabled etcd 2>/dev/null)"
${clusterViewScript(tls, endpoints)}
exit 0`;
}

export function parseEtcdHost(host: string, output: string): EtcdHostState {
  const rec = (k: string): string | undefined => {
    const m = new RegExp(`^@@${k}=(.*)$`, 'm').exec(output);
    return m?.[1];
  };
  const config = rec('config');
  const data = rec('data');
  if (config === undefined || data === undefined) throw new Error(`unexpected output: ${JSON.stringify(output.slice(0, 200))}`);
  return {
    host,
    config: config === 'absent' ? null : Buffer.from(config.replace(/^b64:/, ''), 'base64').toString('utf8'),
    initialized: data === 'initialized',
    active: rec('active') ?? '',
    enabled: rec('enabled') ?? '',
    view: parseClusterView(output),
  };
}

export async function readEtcdHost(probe: Probe, dataDir: string, tls: EtcdctlTls, endpoints: readonly string[]): Promise<EtcdHostState> {
  const r = await probe.exec(etcdHostScript(dataDir, tls, endpoints), { timeoutMs: 60_000 });
  try {
    if (r.exitCode !== 0) throw new Error(`exit ${r.exitCode}: ${r.stderr.trim()}`);
    return parseEtcdHost(probe.host, r.stdout);
  } catch (err) {
    throw new TaskFailure(`cannot read the etcd state of ${probe.host}: ${(err as Error).message}`, 'the etcd modules need systemd, base64 and (once certificates are pushed) etcdctl on the host');
  }
}
