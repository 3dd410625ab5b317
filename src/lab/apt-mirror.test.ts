import { describe, expect, it } from 'vitest';
import { findDebianMirror } from './apt-mirror.js';

const deb822 = `Types: deb
# comment
URIs: http://deb.debian.org/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: http://deb.debian.org/debian-security
Suites: bookworm-security
Components: main
`;

describe('findDebianMirror', () => {
  it.each([
    { name: 'deb822', files: [{ name: 'debian.sources', text: deb822 }], want: 'http://deb.debian.org/debian' },
    {
      name: 'one-line with options, security first',
      files: [{ name: 'sources.list', text: 'deb http://sec.example/debian-security bookworm-security main\ndeb [arch=amd64] http://mirror.example/debian/ bookworm main\n' }],
      want: 'http://mirror.example/debian',
    },
    { name: 'commented out', files: [{ name: 'sources.list', text: '# deb http://x/debian bookworm main\n' }], want: null },
    { name: 'disabled stanza', files: [{ name: 'a.sources', text: `Enabled: no\n${deb822}` }], want: null },
    { name: 'other suite only', files: [{ name: 'sources.list', text: 'deb http://x/debian trixie main\n' }], want: null },
  ])('$name', ({ files, want }) => expect(findDebianMirror(files, 'bookworm')).toBe(want));
});
