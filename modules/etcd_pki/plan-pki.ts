/**
 * The pure decision of `etcd_pki`: (the PKI as it will be, what is on the controller and the
 * host) -> Changes. No I/O. In order: save a new CA, save each newly issued certificate (both
 * as ControllerPutSteps into the PKI directory), create the host directory, push each file that
 * differs (PutStep: atomic, with mode/owner/group), fix attributes of files whose content is
 * right. Keys are Secrets: no change carries a diff, summaries name paths, subjects and SANs.
 */
import { createHash } from 'node:crypto';
import type { Change, Step } from '../../src/module-api/index.js';
import type { HostPkiFile } from './pki-layout.js';
import type { PlannedPem } from './pki-store.js';
import { until } from './pki-store.js';
import type { HostFileState, PkiHostState } from './read-pki-files.js';

export interface PreparedPki {
  /** The PKI directory as the user wrote it (for summaries). */
  readonly dirLabel: string;
  readonly ca: PlannedPem;
  /** What each certificate is, for summaries: "server certificate". */
  readonly certs: readonly { readonly pem: PlannedPem; readonly label: string }[];
  readonly dest: string;
  readonly files: readonly HostPkiFile[];
}

export interface PkiCurrent {
  readonly host: PkiHostState;
  /** Controller file -> content (null: absent). */
  readonly controller: ReadonlyMap<string, string | null>;
}

/** Controller files the plan may write: read them in `read`. */
export function controllerFilesOf(p: PreparedPki): string[] {
  return [p.ca, ...p.certs.map((c) => c.pem)].flatMap((x) => [x.certFile, x.keyFile]);
}

export function planPkiChanges(p: PreparedPki, cur: PkiCurrent): Change[] {
  const changes: Change[] = [];
  const saved = (x: PlannedPem): boolean => cur.controller.get(x.certFile) === x.certPem && cur.controller.get(x.keyFile) === x.keyPem.reveal();
  const save = (x: PlannedPem): Step[] => [
    { kind: 'controller_put', path: x.certFile, content: x.certPem, mode: '0644' },
    { kind: 'controller_put', path: x.keyFile, content: x.keyPem, mode: '0600' },
  ];
  if (!saved(p.ca)) {
    const what = p.ca.issued === null ? 'save the etcd CA' : `create the etcd CA CN=${p.ca.cn} (${until(p.ca)})`;
    changes.push({ summary: `${what} in ${p.dirLabel}`, steps: save(p.ca) });
  }
  for (const { pem, label } of p.certs) {
    if (saved(pem)) continue;
    const sans = pem.sans.length > 0 ? ` [${pem.sans.join(', ')}]` : '';
    const why = pem.issued === null ? 'save' : `issue`;
    changes.push({ summary: `${why} ${label} CN=${pem.cn}${sans} (${until(pem)}) in ${p.dirLabel}${pem.issued && pem.issued !== 'new' ? `: ${pem.issued}` : ''}`, steps: save(pem) });
  }
  if (!cur.host.destDir) changes.push({ summary: `create ${p.dest}`, steps: [{ kind: 'exec', cmd: ['mkdir', '-p', '-m', '0755', '--', p.dest] }] });
  const byId = new Map([p.ca, ...p.certs.map((c) => c.pem)].map((x) => [x.id, x]));
  for (const f of p.files) {
    const src = byId.get(f.source.id);
    if (!src) throw new Error(`etcd_pki: no certificate ${f.source.id} planned for ${f.path}`);
    changes.push(...planFile(f, src, cur.host.files.get(f.path) ?? { kind: 'absent' }));
  }
  return changes;
}

function planFile(f: HostPkiFile, src: PlannedPem, cur: HostFileState): Change[] {
  const content = f.source.part === 'cert' ? src.certPem : src.keyPem;
  const text = typeof content === 'string' ? content : content.reveal();
  const sha = createHash('sha256').update(text).digest('hex');
  if (cur.kind === 'absent' || cur.sha256 !== sha) {
    return [{ summary: `${cur.kind === 'absent' ? 'push' : 'replace'} ${f.path}`, steps: [{ kind: 'put', path: f.path, content, mode: f.mode, owner: f.owner, group: f.group }] }];
  }
  const out: Change[] = [];
  if (cur.owner !== f.owner || cur.group !== f.group) {
    out.push({ summary: `owner ${cur.owner}:${cur.group} -> ${f.owner}:${f.group} (${f.path})`, steps: [{ kind: 'exec', cmd: ['chown', `${f.owner}:${f.group}`, '--', f.path] }] });
  }
  if (cur.mode !== f.mode) out.push({ summary: `mode ${cur.mode} -> ${f.mode} (${f.path})`, steps: [{ kind: 'exec', cmd: ['chmod', f.mode, '--', f.path] }] });
  return out;
}
