/**
 * Argument schema of the `apt_repository` module. The one-line source syntax, the key format
 * and the cross-argument rules are checked in source-entry.ts / plan-apt-repository.ts with a
 * TaskFailure that says what to do. Keys come from the playbook (key_content) or a controller
 * file (key_src, read by prepare); k3play never downloads keys and never uses apt-key.
 */
import type { SchemaObject } from 'ajv';

export interface AptRepositoryArgs {
  filename: string;
  repo?: string;
  format?: 'list' | 'deb822';
  key_content?: string;
  key_src?: string;
  key_base64?: string;
  state?: 'present' | 'absent';
  update_cache?: boolean;
}

export const aptRepositoryArgsSchema: SchemaObject = {
  type: 'object',
  additionalProperties: false,
  required: ['filename'],
  properties: {
    filename: {
      type: 'string',
      pattern: '^[A-Za-z0-9][A-Za-z0-9_.-]*$',
      description:
        'Base name of the files: the source is /etc/apt/sources.list.d/<filename>.list (or .sources), the key /etc/apt/keyrings/<filename>.asc (armored) or .gpg (binary).',
    },
    repo: {
      type: 'string',
      description:
        'The source as a one-line entry: `deb [arch=amd64] https://pkgs.k8s.io/core:/stable:/v1.29/deb/ /`. With a key, `signed-by=` pointing at the keyring file is set (an existing signed-by is replaced). Required with state: present.',
    },
    format: {
      type: 'string',
      enum: ['list', 'deb822'],
      default: 'list',
      description: 'list: write the one-line entry to <filename>.list. deb822: write it as a stanza (Types/URIs/Suites/Components/Signed-By) to <filename>.sources. A file of the other format with the same filename is removed.',
    },
    key_content: {
      type: 'string',
      description: 'The repository signing key, ASCII-armored (-----BEGIN PGP PUBLIC KEY BLOCK-----), written to /etc/apt/keyrings/<filename>.asc.',
    },
    key_src: {
      type: 'string',
      description:
        'Controller file holding the signing key, ASCII-armored (-> .asc) or binary (-> .gpg, as `gpg --dearmor` writes it). Relative paths resolve against the playbook directory and its files/ subdirectory.',
    },
    key_base64: {
      type: 'string',
      description: 'A binary signing key, base64-encoded (what key_src turns a binary file into); written to /etc/apt/keyrings/<filename>.gpg.',
    },
    state: {
      type: 'string',
      enum: ['present', 'absent'],
      default: 'present',
      description: 'present: the source (and key) files exist with this content. absent: the source and key files of this filename are removed.',
    },
    update_cache: {
      type: 'boolean',
      default: true,
      description:
        'When the source or key changed, run `apt-get update` for THIS source only (other sources are not fetched), so packages from it can be installed by the next task. Runs only as part of a change, never on a converged run.',
    },
  },
};
