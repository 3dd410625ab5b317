/**
 * What `k3s_etcd_member` asks the host, in ONE round trip: the embedded etcd's members and their
 * health (the script of k3s_install's read, shared). Writes nothing.
 */
import { rawScript, TaskFailure, type Probe } from '../../src/module-api/index.js';
import { etcdStatusScript, parseEtcdStatus, type EtcdState } from '../k3s_install/read-install.js';

const TLS = '/var/lib/rancher/k3s/server/tls/etcd';

/** curl with k3s's etcd client certificate (for the local client URL). */
export const ETCD_CLIENT_CURL = rawScript(`curl --max-time 10 --cacert ${TLS}/server-ca.crt --cert ${TLS}/client.crt --key ${TLS}/client.key`);

export async function readMembers(probe: Probe): Promise<EtcdState | null> {
  const r = await probe.exec(etcdStatusScript(), { timeoutMs: 30_000 });
  if (r.exitCode !== 0) throw new TaskFailure(`cannot read the etcd member list: exit ${r.exitCode}: ${r.stderr.trim()}`);
  try {
    return parseEtcdStatus(r.stdout);
  } catch (e) {
    throw new TaskFailure(`cannot read the etcd member list: ${(e as Error).message}`);
  }
}
