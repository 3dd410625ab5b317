import { describe, expect, it } from 'vitest';
import { sh } from '../module-api/shell-quote.js';
import { FakeConnection, commandText } from './fake-connection.js';

describe('FakeConnection.exec', () => {
  const fake = new FakeConnection('h1')
    .on(/.*/, { exitCode: 9, stderr: 'default' })
    .on('echo hi', { stdout: 'hi\n' })
    .on(/^cat/, (_cmd, stdin) => ({ stdout: stdin ?? '' }))
    .on((t) => t.includes('boom'), { exitCode: 2 });

  const cases = [
    { name: 'exact string', cmd: ['echo', 'hi'], exitCode: 0, stdout: 'hi\n' },
    { name: 'function reply sees stdin', cmd: ['cat'], stdin: 'abc', exitCode: 0, stdout: 'abc' },
    { name: 'predicate matcher', cmd: sh`echo ${'boom'}`, exitCode: 2, stdout: '' },
    { name: 'latest match wins over the broad default', cmd: ['other'], exitCode: 9, stdout: '' },
  ];
  it.each(cases)('$name', async ({ cmd, stdin, exitCode, stdout }) => {
    const r = await fake.exec(cmd, stdin === undefined ? {} : { stdin });
    expect(r.exitCode).toBe(exitCode);
    expect(r.stdout).toBe(stdout);
  });

  it('unmatched exec -> 127 naming the command', async () => {
    const r = await new FakeConnection().exec(['ls', '-l', 'a b']);
    expect(r.exitCode).toBe(127);
    expect(r.stderr).toContain("ls -l 'a b'");
  });

  it('records calls with command text (shellJoin for argv)', async () => {
    const f = new FakeConnection();
    await f.exec(['touch', 'a b']);
    await f.exec(sh`test -e ${'/x'}`);
    await f.get('/nope');
    expect(f.calls.map((c) => [c.kind, c.cmd])).toEqual([
      ['exec', "touch 'a b'"],
      ['exec', 'test -e /x'],
      ['get', 'get /nope'],
    ]);
    expect(f.callsOf('exec')).toHaveLength(2);
    expect(commandText(['a', "it's"])).toBe(`a 'it'\\''s'`);
  });
});

describe('FakeConnection put/get', () => {
  it('stores files in memory, keeping mode unless given', async () => {
    const f = new FakeConnection().seed('/etc/x', 'old', '0600');
    expect((await f.get('/etc/x'))?.toString()).toBe('old');
    await f.put('/etc/x', 'new');
    expect(f.files.get('/etc/x')).toMatchObject({ mode: '0600' });
    await f.put('/etc/y', Buffer.from('y'), { mode: '0640', owner: 'root' });
    expect(f.files.get('/etc/y')).toMatchObject({ mode: '0640', owner: 'root' });
    expect((await f.get('/etc/y'))?.toString()).toBe('y');
    expect(f.callsOf('put').map((c) => c.path)).toEqual(['/etc/x', '/etc/y']);
  });

  it('strictDirs: put into an unknown directory fails', async () => {
    const f = new FakeConnection();
    f.strictDirs = true;
    await expect(f.put('/nowhere/f', 'x')).rejects.toThrow(/does not exist/);
  });
});
