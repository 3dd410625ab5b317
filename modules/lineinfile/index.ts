/**
 * `lineinfile`: one line present in (or lines absent from) a text file, with Ansible's
 * semantics (edit-lines.ts, pure). read is ONE round trip (../copy/content-read.ts); the rest
 * of the file is kept byte for byte; the write is one atomic put (../copy/plan-content.ts).
 */
import { defineModule } from '../../src/module-api/index.js';
import { absolutePath, wantedAttrs } from '../copy/content-args.js';
import { readContentState, type ContentState } from '../copy/content-read.js';
import { planEdit } from '../copy/plan-edit.js';
import { lineEdit, lineinfileArgsSchema, type LineinfileArgs } from './args.js';
import { editLines } from './edit-lines.js';

export default defineModule<LineinfileArgs, ContentState>({
  name: 'lineinfile',
  summary: 'Make sure a line is in a text file (replacing the last line that matches a regexp), or remove matching lines; the rest of the file is kept byte for byte.',
  args: lineinfileArgsSchema,
  examples: [
    `- name: no swap at boot
  lineinfile:
    path: /etc/fstab
    regexp: '^([^#].*\\sswap\\s.*)$'
    line: '# \\1'
    backrefs: true`,
    `- name: sshd does not accept passwords
  lineinfile:
    path: /etc/ssh/sshd_config
    regexp: '^#?PasswordAuthentication'
    line: PasswordAuthentication no
    insertafter: '^#?ChallengeResponseAuthentication'
    validate: /usr/sbin/sshd -t -f %s`,
  ],

  async read(probe, args) {
    lineEdit(args); // bad arguments fail before any round trip
    return readContentState(probe, absolutePath(args.path, 'path'));
  },

  plan(args, current) {
    const edit = lineEdit(args);
    const path = absolutePath(args.path, 'path');
    return planEdit({ path, removing: edit.state === 'absent', create: args.create ?? false, ...wantedAttrs(args) }, current, (text) => editLines(text, edit));
  },
});
