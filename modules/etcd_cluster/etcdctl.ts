/**
 * argv of etcdctl with the members' TLS client certificate (files on the etcd host, 0600 key):
 * built by construction, paths only, never key material. No I/O.
 */
export interface EtcdctlTls {
  readonly cacert: string;
  readonly cert: string;
  readonly key: string;
}

/** The etcdctl client pair etcd_pki pushes to every member (pki-layout.ts). */
export function memberTls(pkiDest: string): EtcdctlTls {
  return { cacert: `${pkiDest}/ca.crt`, cert: `${pkiDest}/etcdctl.crt`, key: `${pkiDest}/etcdctl.key` };
}

/** Short timeouts: a down member costs 2 s, not the default 2 s dial + 5 s command (a healthy member answers in milliseconds). */
export const DIAL_TIMEOUT = '2s';
export const COMMAND_TIMEOUT = '2s';

export function etcdctl(tls: EtcdctlTls, endpoints: readonly string[], args: readonly string[]): string[] {
  return [
    'etcdctl', `--cacert=${tls.cacert}`, `--cert=${tls.cert}`, `--key=${tls.key}`,
    `--endpoints=${endpoints.join(',')}`, `--dial-timeout=${DIAL_TIMEOUT}`, `--command-timeout=${COMMAND_TIMEOUT}`, ...args,
  ];
}

/** etcd's member ids are hex in etcdctl arguments and decimal in its JSON. */
export function hexId(decimal: string): string {
  return BigInt(decimal).toString(16);
}
