/**
 * `etcd_pki`: the etcd PKI, generated on the controller and pushed to a host. prepare (on the
 * controller) works out the CA and this host's certificates in memory (pki-store.ts: reused
 * from the PKI directory, or issued now with @peculiar/x509); read is ONE round trip on the
 * host (modes, owners, sha256 of the target files) plus a look at the PKI directory; plan
 * (plan-pki.ts, pure) saves new material to the PKI directory and pushes what differs. So
 * `--check` on a fresh site says "create the etcd CA", "issue ..." and "push ..." and writes
 * nothing anywhere. Private keys are Secrets: never printed, never in diffs or the journal.
 */
import path from 'node:path';
import { defineModule, TaskFailure } from '../../src/module-api/index.js';
import { etcdPkiArgsSchema, type EtcdPkiArgs } from './args.js';
import {
  clientCertId, clientFiles, DEFAULT_CLIENT_DEST, DEFAULT_MEMBER_DEST, DEFAULT_PKI_DIR, ETCDCTL_CLIENT, memberCertId, memberFiles,
} from './pki-layout.js';
import { controllerFilesOf, planPkiChanges, type PkiCurrent, type PreparedPki } from './plan-pki.js';
import { planPki, type CertRequest } from './pki-store.js';
import { parsePkiHostRead, pkiHostReadScript, readControllerFiles } from './read-pki-files.js';

export default defineModule<EtcdPkiArgs, PkiCurrent>({
  name: 'etcd_pki',
  summary: 'Generate the etcd CA and certificates on the controller (ECDSA P-256, reused until SANs change or expiry is near) and push a member\'s or a client\'s files to the host.',
  args: etcdPkiArgsSchema,
  examples: [
    `- name: certificates of an etcd member
  etcd_pki:
    role: member
    addresses: ["{{ ansible_host }}"]`,
    `- name: etcd client certificate for k3s (--datastore-cafile/certfile/keyfile)
  etcd_pki:
    role: client
    name: k3s
    dest: /etc/rancher/k3s/etcd`,
  ],

  async prepare(args, ctx) {
    const role = args.role ?? 'member';
    const name = args.name ?? (role === 'member' ? ctx.host : 'k3s');
    if (role === 'client' && args.addresses?.length) throw new TaskFailure('etcd_pki: addresses are for role: member', 'a client certificate has no SANs; remove addresses');
    if (name === ETCDCTL_CLIENT && role === 'client') throw new TaskFailure(`etcd_pki: the client name "${ETCDCTL_CLIENT}" is reserved for the members' own etcdctl certificate`, 'pick another name, e.g. k3s');
    const dirLabel = args.pki_dir ?? DEFAULT_PKI_DIR;
    const dir = path.resolve(dirLabel);
    const validDays = args.valid_days ?? 3650;
    const memberSans = [name, 'localhost', '127.0.0.1', ...(args.addresses ?? [])];
    const requests: { req: CertRequest; label: string }[] =
      role === 'member'
        ? [
            { req: { id: memberCertId(name, 'server'), spec: { cn: name, profile: 'server', sans: memberSans, validDays } }, label: 'server certificate' },
            { req: { id: memberCertId(name, 'peer'), spec: { cn: name, profile: 'peer', sans: memberSans, validDays } }, label: 'peer certificate' },
            { req: { id: clientCertId(ETCDCTL_CLIENT), spec: { cn: ETCDCTL_CLIENT, profile: 'client', sans: [], validDays } }, label: 'client certificate' },
          ]
        : [{ req: { id: clientCertId(name), spec: { cn: name, profile: 'client', sans: [], validDays } }, label: 'client certificate' }];
    const pki = await planPki(
      dir,
      { caCn: args.ca_cn ?? 'k3play-etcd-ca', caValidDays: args.ca_valid_days ?? 7300, renewBeforeDays: args.renew_before_days ?? 30, now: new Date() },
      requests.map((r) => r.req),
    );
    const dest = (args.dest ?? (role === 'member' ? DEFAULT_MEMBER_DEST : DEFAULT_CLIENT_DEST)).replace(/\/+$/, '');
    if (!dest.startsWith('/')) throw new TaskFailure(`etcd_pki: dest "${dest}" is not absolute`);
    const keyOwner = args.key_owner ?? (role === 'member' ? 'etcd' : 'root');
    const prepared: PreparedPki = {
      dirLabel,
      ca: pki.ca,
      certs: pki.certs.map((pem, i) => ({ pem, label: requests[i]!.label })),
      dest,
      files: role === 'member' ? memberFiles(dest, name, keyOwner) : clientFiles(dest, name, keyOwner),
    };
    return { ...args, prepared };
  },

  async read(probe, args) {
    const p = requirePrepared(args);
    const paths = p.files.map((f) => f.path);
    const r = await probe.exec(pkiHostReadScript(p.dest, paths));
    try {
      if (r.exitCode !== 0) throw new Error(`exit ${r.exitCode}: ${r.stderr.trim()}`);
      return { host: parsePkiHostRead(r.stdout, paths), controller: await readControllerFiles(controllerFilesOf(p)) };
    } catch (err) {
      throw new TaskFailure(`cannot read the PKI files in ${p.dest}: ${(err as Error).message}`, 'etcd_pki needs GNU stat and sha256sum on the host');
    }
  },

  plan(args, current) {
    return planPkiChanges(requirePrepared(args), current);
  },
});

function requirePrepared(args: EtcdPkiArgs): PreparedPki {
  if (!args.prepared) throw new TaskFailure('etcd_pki: internal: prepare did not run');
  return args.prepared;
}
