/**
 * `replace`: every match of a regular expression in a text file replaced, optionally only
 * between `after` and `before` (edit-replace.ts, pure, Ansible's semantics). read is ONE round
 * trip (../copy/content-read.ts); the write is one atomic put (../copy/plan-content.ts).
 */
import { defineModule } from '../../src/module-api/index.js';
import { absolutePath, wantedAttrs } from '../copy/content-args.js';
import { readContentState, type ContentState } from '../copy/content-read.js';
import { planEdit } from '../copy/plan-edit.js';
import { replaceArgsSchema, replaceEdit, type ReplaceArgs } from './args.js';
import { editReplace } from './edit-replace.js';

export default defineModule<ReplaceArgs, ContentState>({
  name: 'replace',
  summary: 'Replace every match of a regular expression in a text file (optionally only between after/before), with backreferences.',
  args: replaceArgsSchema,
  examples: [
    `- name: comment out swap in fstab
  replace:
    path: /etc/fstab
    regexp: '^([^#\\n].*\\sswap\\s.*)$'
    replace: '# \\1'
    backup: true`,
    `- name: containerd uses the systemd cgroup driver
  replace:
    path: /etc/containerd/config.toml
    after: 'plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options'
    regexp: 'SystemdCgroup = false'
    replace: 'SystemdCgroup = true'`,
  ],

  async read(probe, args) {
    replaceEdit(args); // bad patterns fail before any round trip
    return readContentState(probe, absolutePath(args.path, 'path'));
  },

  plan(args, current) {
    const edit = replaceEdit(args);
    return planEdit({ path: absolutePath(args.path, 'path'), removing: false, create: false, ...wantedAttrs(args) }, current, (text) => editReplace(text, edit));
  },
});
