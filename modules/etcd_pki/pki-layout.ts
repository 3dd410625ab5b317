/**
 * Where the etcd PKI lives. On the controller (the PKI directory, default .k3play/pki/etcd under
 * the directory k3play runs in): ca.crt/ca.key, members/<name>/{server,peer}.{crt,key},
 * clients/<name>.{crt,key}; directories 0700, keys 0600. On the hosts: which files a member
 * or a client gets, with their modes and owners. Names only; no I/O.
 */
import path from 'node:path';

export const DEFAULT_PKI_DIR = '.k3play/pki/etcd';
export const DEFAULT_MEMBER_DEST = '/etc/etcd/pki';
export const DEFAULT_CLIENT_DEST = '/etc/rancher/k3s/etcd';
/** The client certificate every member gets for etcdctl (health checks, member changes). */
export const ETCDCTL_CLIENT = 'etcdctl';

export interface ControllerPaths {
  readonly cert: string;
  readonly key: string;
}

/** Id of a certificate in the PKI: "ca", "members/h1/server", "clients/k3s". */
export function certPaths(dir: string, id: string): ControllerPaths {
  if (id === 'ca') return { cert: path.join(dir, 'ca.crt'), key: path.join(dir, 'ca.key') };
  const base = path.join(dir, id);
  return { cert: `${base}.crt`, key: `${base}.key` };
}

export function memberCertId(member: string, kind: 'server' | 'peer'): string {
  return `members/${member}/${kind}`;
}

export function clientCertId(client: string): string {
  return `clients/${client}`;
}

/** One file a host gets from the PKI. `source` is the cert id and which half. */
export interface HostPkiFile {
  readonly path: string;
  readonly source: { readonly id: string; readonly part: 'cert' | 'key' };
  readonly mode: '0644' | '0600';
  readonly owner: string;
  readonly group: string;
}

/** A member's files: CA, server and peer pairs (keys owned by the etcd user), the etcdctl client pair (root). */
export function memberFiles(dest: string, member: string, keyOwner: string): HostPkiFile[] {
  const pub = (p: string, id: string): HostPkiFile => ({ path: `${dest}/${p}`, source: { id, part: 'cert' }, mode: '0644', owner: 'root', group: 'root' });
  const key = (p: string, id: string, owner: string): HostPkiFile => ({ path: `${dest}/${p}`, source: { id, part: 'key' }, mode: '0600', owner, group: owner });
  return [
    pub('ca.crt', 'ca'),
    pub('server.crt', memberCertId(member, 'server')),
    key('server.key', memberCertId(member, 'server'), keyOwner),
    pub('peer.crt', memberCertId(member, 'peer')),
    key('peer.key', memberCertId(member, 'peer'), keyOwner),
    pub(`${ETCDCTL_CLIENT}.crt`, clientCertId(ETCDCTL_CLIENT)),
    key(`${ETCDCTL_CLIENT}.key`, clientCertId(ETCDCTL_CLIENT), 'root'),
  ];
}

/** A client's files (e.g. k3s servers): ca.crt, client.crt, client.key. */
export function clientFiles(dest: string, client: string, keyOwner: string): HostPkiFile[] {
  return [
    { path: `${dest}/ca.crt`, source: { id: 'ca', part: 'cert' }, mode: '0644', owner: 'root', group: 'root' },
    { path: `${dest}/client.crt`, source: { id: clientCertId(client), part: 'cert' }, mode: '0644', owner: 'root', group: 'root' },
    { path: `${dest}/client.key`, source: { id: clientCertId(client), part: 'key' }, mode: '0600', owner: keyOwner, group: keyOwner },
  ];
}
