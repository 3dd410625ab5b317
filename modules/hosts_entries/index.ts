/**
 * `hosts_entries`: a managed block of "IP NAME..." lines in /etc/hosts (or `path`), built on
 * blockinfile's pure edit (../blockinfile/edit-block.ts): lines outside the markers stay byte
 * for byte. read is ONE round trip (../copy/content-read.ts); the write is one atomic put.
 */
import { defineModule } from '../../src/module-api/index.js';
import { blockEdit } from '../blockinfile/args.js';
import { editBlock, type BlockEdit } from '../blockinfile/edit-block.js';
import { absolutePath, wantedAttrs } from '../copy/content-args.js';
import { readContentState, type ContentState } from '../copy/content-read.js';
import { planEdit } from '../copy/plan-edit.js';
import { DEFAULT_HOSTS_MARKER, hostsEntriesArgsSchema, type HostsEntriesArgs } from './args.js';
import { hostsBlock } from './hosts-block.js';

export default defineModule<HostsEntriesArgs, ContentState>({
  name: 'hosts_entries',
  summary: 'Keep a managed block of "IP NAME..." lines in /etc/hosts (every other line stays as it is).',
  args: hostsEntriesArgsSchema,
  examples: [
    `- name: every node knows every node by name
  hosts_entries:
    entries: |
      {{#each (group "k3s_cluster")}}{{hostvars this "ansible_host"}} {{this}}
      {{/each}}`,
    `- name: static entries
  hosts_entries:
    entries:
      - { ip: 10.0.0.10, names: [k3s-api, k3s-api.lab] }
      - { ip: 10.0.0.11, names: [node1] }`,
  ],

  async read(probe, args) {
    toEdit(args);
    return readContentState(probe, path(args));
  },

  plan(args, current) {
    const edit = toEdit(args);
    return planEdit(
      { path: path(args), removing: edit.block === '', create: false, ...wantedAttrs({ backup: args.backup ?? false }) },
      current,
      (text) => editBlock(text, edit),
    );
  },
});

function path(args: HostsEntriesArgs): string {
  return absolutePath(args.path ?? '/etc/hosts', 'path');
}

function toEdit(args: HostsEntriesArgs): BlockEdit {
  const state = args.state ?? 'present';
  const block = state === 'absent' ? '' : hostsBlock(args.entries ?? []);
  return blockEdit({ ...(args.marker !== undefined ? { marker: args.marker } : {}) }, state, block, DEFAULT_HOSTS_MARKER);
}
