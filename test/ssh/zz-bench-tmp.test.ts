import { it } from 'vitest';
import { readFileSync } from 'node:fs';
import { Client } from 'ssh2';
import { startPrivateSshd } from '/work/main/test/ssh/private-sshd.js';
it('bench', async () => {
  const sshd = await startPrivateSshd();
  for (const nd of [false, true]) {
    const c = new Client();
    await new Promise<void>((res, rej) => { c.once('ready', () => res()); c.once('error', rej); c.connect({ host: '127.0.0.1', port: sshd.port, username: 'root', privateKey: readFileSync(sshd.clientKeyPath) }); });
    c.setNoDelay(nd);
    for (const cmd of ['true', 'exec /bin/sh -c true']) {
      const t0 = performance.now();
      for (let i = 0; i < 20; i++) await new Promise<void>((res, rej) => c.exec(cmd, (e, ch) => { if (e) return rej(e); ch.on('close', () => res()); ch.resume(); ch.stderr.resume(); }));
      console.log(`noDelay=${nd} ${cmd}: ${((performance.now() - t0) / 20).toFixed(1)} ms`);
    }
    c.end();
  }
  await sshd.stop();
}, 60000);
