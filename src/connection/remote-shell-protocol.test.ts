import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sh } from '../module-api/shell-quote.js';
import { externalPlainCommand, frameCommand, MarkerScanner, newMarker, parseExitTail, plainCommand, STDERR_TAIL_LEN, STDOUT_TAIL_LEN } from './remote-shell-protocol.js';

/** Runs frames through a local /bin/sh -s and cuts stdout results out, like RemoteShell does. */
function runLocally(frames: ReturnType<typeof frameCommand>[]): { code: number; out: string }[] {
  const script = frames.map((f) => f.text).join('');
  const stdout = execFileSync('/bin/sh', ['-s'], { input: script, stdio: ['pipe', 'pipe', 'ignore'] });
  const results: { code: number; out: string }[] = [];
  let rest = stdout;
  for (const f of frames) {
    const s = new MarkerScanner(f.marker, STDOUT_TAIL_LEN);
    s.push(rest);
    const t = s.take();
    results.push({ code: parseExitTail(t.tail), out: t.body.toString() });
    rest = t.rest;
  }
  return results;
}

describe('remote shell framing', () => {
  it.each([
    { name: 'plain', cmd: ['echo', 'hi'], opts: {}, out: 'hi\n', code: 0 },
    { name: 'no newline', cmd: sh`printf x`, opts: {}, out: 'x', code: 0 },
    { name: 'exit code', cmd: sh`exit 42`, opts: {}, out: '', code: 42 },
    { name: 'stdin', cmd: ['cat'], opts: { stdin: 'a\nb' }, out: 'a\nb', code: 0 },
    { name: 'env + cwd', cmd: sh`echo "$X" $(pwd)`, opts: { env: { X: "a 'b'" }, cwd: '/' }, out: "a 'b' /\n", code: 0 },
    { name: 'here-doc inside the script', cmd: { kind: 'sh' as const, script: "cat <<'E'\nin doc\nE" }, opts: {}, out: 'in doc\n', code: 0 },
    { name: 'multi-line script with stdin', cmd: { kind: 'sh' as const, script: 'read a\necho "got $a"' }, opts: { stdin: 'v\n' }, out: 'got v\n', code: 0 },
  ])('$name', ({ cmd, opts, out, code }) => {
    const [r] = runLocally([frameCommand(cmd, opts), frameCommand(['true'])]);
    expect(r).toMatchObject({ out, code });
  });

  it.each([
    { name: 'a reserved word (syntax error, contained)', cmd: { kind: 'sh' as const, script: 'if' }, code: 2 },
    { name: 'an unclosed quote', cmd: { kind: 'sh' as const, script: "echo 'x" }, code: 2 },
    { name: 'exit in a plain command', cmd: sh`exit 7`, code: 7 },
    { name: 'cd in a plain command', cmd: ['cd', '/tmp'], code: 0 },
    { name: 'an absolute-path program that exits', cmd: ['/bin/sh', '-c', 'cd /tmp; exit 5'], code: 5 },
    { name: 'an absolute-path program that does not exist', cmd: ['/no/such/program'], code: 127 },
  ])('the shell survives $name and runs the next command in its own state', ({ cmd, code }) => {
    const [r, next] = runLocally([frameCommand(cmd), frameCommand(sh`pwd`), frameCommand(['true'])]);
    expect(r!.code).toBe(code);
    expect(next).toMatchObject({ code: 0, out: `${process.cwd()}\n` });
  });

  it('a plain command runs without eval (one fork on the host), by absolute path also without the subshell; anything else through eval', () => {
    expect(frameCommand(sh`/bin/true`).text).toMatch(/^\/bin\/true <\/dev\/null\n/);
    expect(frameCommand(['/usr/bin/systemctl', 'is-active', 'k3s.service']).text).toMatch(/^\/usr\/bin\/systemctl is-active k3s\.service <\/dev\/null\n/);
    expect(frameCommand(['systemctl', 'is-active', 'k3s.service']).text).toMatch(/^\( systemctl is-active k3s\.service \)/);
    expect(frameCommand(['/bin/true'], { cwd: '/' }).text).toMatch(/^\( cd -- \/ \|\| exit 1; \/bin\/true \)/);
    expect(frameCommand(['/bin/true'], { env: { A: 'b' } }).text).toMatch(/^\( export A=b; \/bin\/true \)/);
    expect(frameCommand(['/bin/cat'], { stdin: 'x' }).text).toContain('| ( /bin/cat )');
    for (const [text, direct] of [['/bin/true', true], ['/bin/x a=b', true], ['A=/bin/x', false], ['cd /tmp', false], ["'/bin/true'", false], ['/bin/echo $X', false]] as const) {
      expect([text, externalPlainCommand(text)]).toEqual([text, direct]);
    }
    expect(frameCommand(sh`echo $HOME`).text).toContain("eval 'echo $HOME'");
    const cases: [string, boolean][] = [
      ['/bin/true', true], ["echo 'a' b=c", true], ['exit 3', true], ['A=b env', true],
      ['if true', false], ['while', false], ['echo $X', false], ['a|b', false], ['x > y', false], ['a; b', false],
      ['a\nb', false], ['echo  two-spaces', false], ['', false], ["echo 'it'\\''s'", false], ['echo *', false], ['cmd &', false],
    ];
    for (const [text, plain] of cases) expect([text, plainCommand(text)]).toEqual([text, plain]);
  });

  it('markers are unique and carry 128 random bits', () => {
    const a = newMarker();
    const b = newMarker();
    expect(a).not.toBe(b);
    expect(a).toMatch(/^k3m[0-9a-f]{32}[0-9a-z]+$/);
  });

  it('secrets in env/stdin are not in argv of the frame (only inside the script text)', () => {
    const f = frameCommand(['true'], { env: { TOKEN: 's3cret' }, stdin: 'pw' });
    expect(f.text).toContain("export TOKEN=s3cret");
    expect(f.text).not.toMatch(/\benv TOKEN=/);
  });

  it('scanner finds a marker split across chunks and keeps the rest', () => {
    const m = 'k3mabc';
    const s = new MarkerScanner(m, STDERR_TAIL_LEN);
    const data = Buffer.from(`xx${randomBytes(3).toString('hex')}\n${m}\nnext`);
    for (let i = 0; i < data.length; i += 3) s.push(data.subarray(i, i + 3));
    expect(s.done).toBe(true);
    expect(s.take().rest.toString()).toBe('next');
  });
});
