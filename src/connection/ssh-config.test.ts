import { homedir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { parseProxyJump, parseSshConfig, resolveSshHost } from './ssh-config.js';

const CONFIG = `
# global defaults come last in real files, but may also be first
User fallback-should-lose-to-first-match

Host bastion
  HostName 203.0.113.10
  User jump
  Port 2200

Host edge-* !edge-skip
  ProxyJump jump@bastion:2200
  IdentityFile ~/.ssh/edge_ed25519
  User=k3s

Host edge-a?
  HostName 10.1.0.%h
  Port 22
  IdentityFile "/keys/%r@%h"

Match host foo
  User ignored

Host *
  User default
  IdentityFile ~/.ssh/id_rsa
  ServerAliveInterval 30
`;

describe('ssh_config', () => {
  const cfg = parseSshConfig(CONFIG, 'cfg');
  it.each([
    {
      alias: 'bastion',
      want: { hostName: '203.0.113.10', user: 'fallback-should-lose-to-first-match', port: 2200, proxyJump: [] },
    },
    {
      alias: 'edge-a1',
      want: {
        hostName: '10.1.0.edge-a1',
        user: 'fallback-should-lose-to-first-match',
        port: 22,
        proxyJump: [{ user: 'jump', host: 'bastion', port: 2200 }],
        identityFiles: [`${homedir()}/.ssh/edge_ed25519`, '/keys/fallback-should-lose-to-first-match@10.1.0.edge-a1', `${homedir()}/.ssh/id_rsa`],
      },
    },
    { alias: 'edge-skip', want: { hostName: 'edge-skip', proxyJump: [] } },
    { alias: 'other', want: { hostName: 'other', serverAliveIntervalS: 30 } },
  ])('$alias', ({ alias, want }) => {
    expect(resolveSshHost(cfg, alias, 'me')).toMatchObject(want);
  });

  it('first match wins and Match blocks are reported as unsupported', () => {
    const c = parseSshConfig('Host a\n User u1\nHost *\n User u2\n Port 2\nMatch all\n Port 9\nInclude x', 'f');
    expect(resolveSshHost(c, 'a')).toMatchObject({ user: 'u1', port: 2 });
    expect(c.unsupported).toEqual(['f:6 Match all', 'f:8 Include x']);
  });

  it.each([
    { v: 'bastion', want: [{ host: 'bastion' }] },
    { v: 'u@b:2222', want: [{ user: 'u', host: 'b', port: 2222 }] },
    { v: 'a,u@[::1]:22', want: [{ host: 'a' }, { user: 'u', host: '::1', port: 22 }] },
    { v: 'none', want: [] },
  ])('ProxyJump $v', ({ v, want }) => {
    expect(parseProxyJump(v)).toEqual(want);
  });
});
