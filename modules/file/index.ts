/**
 * `file`: a path's existence, type (file, directory, symlink) and attributes (mode, owner,
 * group). read is ONE round trip (stat-script.ts, parsed by parse-stat.ts); plan is the pure
 * plan-file.ts. It never reads or writes file content (that is copy/template).
 */
import { defineModule, TaskFailure } from '../../src/module-api/index.js';
import { fileArgsSchema, type FileArgs } from './args.js';
import { parseStat, type PathFacts } from './parse-stat.js';
import { normalizePath, planFile } from './plan-file.js';
import { statScript } from './stat-script.js';

export default defineModule<FileArgs, PathFacts>({
  name: 'file',
  summary: 'Make a path a file, directory or symbolic link with the given mode/owner/group, or remove it.',
  args: fileArgsSchema,
  examples: [
    `- name: data directory
  file:
    path: /var/lib/rancher/k3s/server/manifests
    state: directory
    mode: "0700"`,
    `- name: kubectl on PATH
  file:
    path: /usr/local/bin/kubectl
    state: link
    src: /usr/local/bin/k3s`,
    `- name: no swap file
  file:
    path: /swapfile
    state: absent`,
  ],

  async read(probe, args) {
    const path = normalizePath(args.path);
    const r = await probe.exec(statScript(path));
    if (r.exitCode !== 0) throw new TaskFailure(`cannot stat ${path}: exit ${r.exitCode}: ${r.stderr.trim()}`);
    try {
      return parseStat(r.stdout);
    } catch (err) {
      throw new TaskFailure(`cannot read the state of ${path}: ${(err as Error).message}`, 'the file module needs GNU coreutils stat on the host');
    }
  },

  plan: planFile,
});
