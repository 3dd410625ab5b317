/**
 * `blockinfile`: a block of lines between two marker lines in a text file, with Ansible's
 * semantics (edit-block.ts, pure). read is ONE round trip (../copy/content-read.ts); the rest
 * of the file is kept byte for byte; the write is one atomic put (../copy/plan-content.ts).
 */
import { defineModule } from '../../src/module-api/index.js';
import { absolutePath, wantedAttrs } from '../copy/content-args.js';
import { readContentState, type ContentState } from '../copy/content-read.js';
import { planEdit } from '../copy/plan-edit.js';
import { blockEdit, blockinfileArgsSchema, type BlockinfileArgs } from './args.js';
import { editBlock, type BlockEdit } from './edit-block.js';

export default defineModule<BlockinfileArgs, ContentState>({
  name: 'blockinfile',
  summary: 'Keep a block of lines between marker lines in a text file (insert, update or remove it); the rest of the file is kept byte for byte.',
  args: blockinfileArgsSchema,
  examples: [
    `- name: kernel modules for containerd
  blockinfile:
    path: /etc/modules-load.d/k8s.conf
    create: true
    block: |
      overlay
      br_netfilter`,
    `- name: extra haproxy backend
  blockinfile:
    path: /etc/haproxy/haproxy.cfg
    marker: "# {mark} K3S API"
    insertafter: '^backend'
    block: "    server {{ inventory_hostname }} {{ ansible_host }}:6443 check"
    validate: haproxy -c -f %s`,
  ],

  async read(probe, args) {
    toEdit(args); // bad arguments fail before any round trip
    return readContentState(probe, absolutePath(args.path, 'path'));
  },

  plan(args, current) {
    const edit = toEdit(args);
    const path = absolutePath(args.path, 'path');
    const removing = edit.state === 'absent' || edit.block === '';
    return planEdit({ path, removing, create: args.create ?? false, ...wantedAttrs(args) }, current, (text) => editBlock(text, edit));
  },
});

function toEdit(args: BlockinfileArgs): BlockEdit {
  return blockEdit(args, args.state ?? 'present', args.block ?? '');
}
