import { describe, expect, it } from 'vitest';
import { parseSshConfig } from './ssh-config.js';
import { resolveSshParams } from './ssh-target.js';

const cfg = parseSshConfig(`
Host b1
  HostName 198.51.100.1
  User hop
Host edge-*
  ProxyJump b0,b1:2200
  User k3s
  Port 2222
`);
const common = { knownHostsFiles: ['kh'] };

describe('resolveSshParams', () => {
  it.each([
    { name: 'inventory wins over config', h: { host: 'edge-1', user: 'admin', port: 22 }, want: { address: 'edge-1', user: 'admin', port: 22 } },
    { name: 'config fills the gaps', h: { host: 'edge-1' }, want: { address: 'edge-1', user: 'k3s', port: 2222 } },
    { name: 'defaults', h: { host: 'plain' }, want: { address: 'plain', user: 'me', port: 22 } },
  ])('$name', ({ h, want }) => {
    const p = resolveSshParams(h, cfg, common, 'me');
    expect(p).toMatchObject(want);
    if (h.host === 'plain') expect(p.jump).toBeUndefined();
  });

  it('ProxyJump chain is nested, each hop resolved through the config', () => {
    const p = resolveSshParams({ host: 'edge-1' }, cfg, common, 'me');
    expect(p.jump).toMatchObject({ host: 'b1', address: '198.51.100.1', port: 2200, user: 'hop' });
    expect(p.jump?.jump).toMatchObject({ host: 'b0', address: 'b0', port: 22, user: 'me' });
  });
});
