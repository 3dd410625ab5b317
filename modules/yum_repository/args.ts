/**
 * Argument schema of the `yum_repository` module. The section name and option values are
 * checked for characters that would break the INI file in repo-file.ts (TaskFailure).
 */
import type { SchemaObject } from 'ajv';

export interface YumRepositoryArgs {
  name: string;
  description?: string;
  baseurl?: string | string[];
  metalink?: string;
  mirrorlist?: string;
  enabled?: boolean;
  gpgcheck?: boolean;
  repo_gpgcheck?: boolean;
  gpgkey?: string | string[];
  exclude?: string | string[];
  file?: string;
  state?: 'present' | 'absent';
}

const strOrList = (description: string): SchemaObject => ({
  anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }],
  description,
});

export const yumRepositoryArgsSchema: SchemaObject = {
  type: 'object',
  additionalProperties: false,
  required: ['name'],
  properties: {
    name: { type: 'string', pattern: '^[A-Za-z0-9_.:-]+$', description: 'Repository id: the [section] name in the .repo file (e.g. kubernetes).' },
    description: { type: 'string', description: 'Human-readable name (`name=` in the file). Default: the repository id.' },
    baseurl: strOrList('URL(s) of the repository; a list is written one per line. One of baseurl, metalink, mirrorlist is required with state: present.'),
    metalink: { type: 'string', description: 'Metalink URL (instead of baseurl).' },
    mirrorlist: { type: 'string', description: 'Mirror list URL (instead of baseurl).' },
    enabled: { type: 'boolean', default: true, description: 'enabled=1|0.' },
    gpgcheck: { type: 'boolean', default: true, description: 'gpgcheck=1|0: check package signatures (safe default: on).' },
    repo_gpgcheck: { type: 'boolean', description: 'repo_gpgcheck=1|0: check the repository metadata signature. Not written when not given.' },
    gpgkey: strOrList('URL(s) of the signing key(s) (https:// or file:///etc/pki/rpm-gpg/...); a list is written one per line.'),
    exclude: strOrList('Packages (globs) never taken from this repository, e.g. [kubelet, kubeadm, kubectl, cri-tools, kubernetes-cni] as the kubeadm guide does.'),
    file: { type: 'string', pattern: '^[A-Za-z0-9_.-]+$', description: 'File name without .repo in /etc/yum.repos.d. Default: the repository id. Other sections of the file are kept as they are.' },
    state: {
      type: 'string',
      enum: ['present', 'absent'],
      default: 'present',
      description: 'present: the [name] section holds exactly these options. absent: the section is removed (the file too when nothing else is left in it).',
    },
  },
};
