/**
 * `yum_repository`: one [id] section of a /etc/yum.repos.d/<file>.repo file, rendered
 * deterministically (repo-file.ts) and written with a diff; other sections stay as they are.
 * read is ONE round trip (the file, or "absent"); plan is pure. Works on any host (a Debian
 * host just gets the file), it does not run dnf.
 */
import { posix } from 'node:path';
import { defineModule, sh, TaskFailure, type Change, type Step } from '../../src/module-api/index.js';
import { yumRepositoryArgsSchema, type YumRepositoryArgs } from './args.js';
import { findSection, renderSection, withSection } from './repo-file.js';

export interface YumRepoCurrent {
  /** The .repo file's content; null when it does not exist. */
  readonly file: string | null;
}

const MARK = '@@k3play-file\n';

export function repoFilePath(args: YumRepositoryArgs): string {
  return `/etc/yum.repos.d/${args.file ?? args.name}.repo`;
}

export function planYumRepository(args: YumRepositoryArgs, cur: YumRepoCurrent): Change[] {
  const path = repoFilePath(args);
  if ((args.state ?? 'present') === 'absent') {
    if (findSection(cur.file, args.name) === null) return [];
    const after = withSection(cur.file, args.name, null);
    if (after.trim() === '') return [{ summary: `remove ${path} (its only repository was [${args.name}])`, steps: [{ kind: 'remove', path }], diff: { path, before: cur.file, after: null } }];
    return [{ summary: `remove [${args.name}] from ${path}`, steps: [{ kind: 'put', path, content: after, mode: '0644' }], diff: { path, before: cur.file, after } }];
  }
  if (args.baseurl === undefined && args.metalink === undefined && args.mirrorlist === undefined) {
    throw new TaskFailure(`yum_repository ${args.name}: give baseurl, metalink or mirrorlist`, 'e.g. baseurl: https://pkgs.k8s.io/core:/stable:/v1.29/rpm/');
  }
  const section = renderSection(args);
  if (findSection(cur.file, args.name) === section) return [];
  const after = withSection(cur.file, args.name, section);
  // A new file may be the first repo on a host whose repos directory does not exist yet.
  const mkdir: Step[] = cur.file === null ? [{ kind: 'exec', cmd: ['mkdir', '-p', '--', posix.dirname(path)] }] : [];
  return [{ summary: `${cur.file === null ? 'add' : 'update'} [${args.name}] in ${path}`, steps: [...mkdir, { kind: 'put', path, content: after, mode: '0644' }], diff: { path, before: cur.file, after } }];
}

export function parseYumRepoRead(out: string): YumRepoCurrent {
  if (out === 'absent\n') return { file: null };
  if (!out.startsWith(MARK)) throw new Error(`unexpected output ${JSON.stringify(out.slice(0, 100))}`);
  return { file: out.slice(MARK.length) };
}

export default defineModule<YumRepositoryArgs, YumRepoCurrent>({
  name: 'yum_repository',
  summary: 'Add, update or remove a repository section in /etc/yum.repos.d/<file>.repo.',
  args: yumRepositoryArgsSchema,
  examples: [
    `- name: Kubernetes rpm repository (kubeadm install guide)
  yum_repository:
    name: kubernetes
    description: Kubernetes
    baseurl: https://pkgs.k8s.io/core:/stable:/v1.29/rpm/
    gpgcheck: true
    repo_gpgcheck: true
    gpgkey: https://pkgs.k8s.io/core:/stable:/v1.29/rpm/repodata/repomd.xml.key
    exclude: [kubelet, kubeadm, kubectl, cri-tools, kubernetes-cni]`,
    `- yum_repository: {name: kubernetes, state: absent}`,
  ],

  async read(probe, args) {
    const path = repoFilePath(args);
    const r = await probe.exec(sh`if [ -f ${path} ]; then printf '@@k3play-file\\n'; cat ${path}; else echo absent; fi`);
    if (r.exitCode !== 0) throw new TaskFailure(`cannot read ${path}: exit ${r.exitCode}: ${r.stderr.trim()}`);
    try {
      return parseYumRepoRead(r.stdout);
    } catch (err) {
      throw new TaskFailure(`cannot read ${path}: ${(err as Error).message}`);
    }
  },

  plan: planYumRepository,
});
