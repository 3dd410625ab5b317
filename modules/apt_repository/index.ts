/**
 * `apt_repository`: an apt source file in /etc/apt/sources.list.d with its signing key in
 * /etc/apt/keyrings (signed-by, never apt-key). prepare reads key_src on the controller; read is
 * ONE round trip (read-files.ts); plan is the pure plan-apt-repository.ts. It downloads nothing.
 */
import { defineModule, TaskFailure } from '../../src/module-api/index.js';
import { aptRepositoryArgsSchema, type AptRepositoryArgs } from './args.js';
import { planAptRepository } from './plan-apt-repository.js';
import { parseReadFiles, readFilesScript, repoPaths, type RepoFiles } from './read-files.js';

export default defineModule<AptRepositoryArgs, RepoFiles>({
  name: 'apt_repository',
  summary: 'Add or remove an apt source (.list or deb822 .sources) with its signing key in /etc/apt/keyrings (signed-by).',
  args: aptRepositoryArgsSchema,
  examples: [
    `- name: Kubernetes apt repository (key file next to the playbook, as downloaded from pkgs.k8s.io)
  apt_repository:
    filename: kubernetes
    repo: "deb https://pkgs.k8s.io/core:/stable:/v1.29/deb/ /"
    key_src: files/kubernetes-release.key`,
    `- name: as a deb822 .sources file
  apt_repository:
    filename: example
    repo: "deb [arch=amd64] https://example.org/debian bookworm main"
    key_content: "{{ example_repo_key }}"
    format: deb822`,
    `- apt_repository: {filename: kubernetes, state: absent}`,
  ],

  async prepare(args, ctx) {
    if (args.key_src === undefined) return args;
    if (args.key_content !== undefined || args.key_base64 !== undefined) throw new TaskFailure('apt_repository: give one of key_src, key_content, key_base64');
    const bytes = await ctx.readFile(ctx.resolvePath(args.key_src, 'files'));
    const { key_src: _src, ...rest } = args;
    return bytes.toString('latin1').trimStart().startsWith('-----BEGIN PGP') ? { ...rest, key_content: bytes.toString('utf8') } : { ...rest, key_base64: bytes.toString('base64') };
  },

  async read(probe, args) {
    const p = repoPaths(args.filename);
    const paths = [p.list, p.sources, p.asc, p.gpg];
    const r = await probe.exec(readFilesScript(paths));
    if (r.exitCode !== 0) throw new TaskFailure(`cannot read the apt source files: exit ${r.exitCode}: ${r.stderr.trim()}`);
    try {
      return parseReadFiles(r.stdout, paths);
    } catch (err) {
      throw new TaskFailure(`cannot read the apt source files: ${(err as Error).message}`, 'apt_repository needs base64 (coreutils) on the host');
    }
  },

  plan: planAptRepository,
});
