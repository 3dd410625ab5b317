/**
 * The k3s test double's CLI against what the real k3s does (run on the controller with python3):
 * `--version`'s two lines, urfave/cli's fatal error for an unknown flag, the warning for an
 * unknown config.yaml key (k3s skips it), flags from config.yaml with CLI flags after them, and
 * the mirror's release layout with real-format checksum files.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIRROR_PY, RELEASE_PREFIX } from './k3s-lab.js';

const run = promisify(execFile);
const dir = mkdtempSync(path.join(tmpdir(), 'k3p-double-'));
const release = path.join(dir, RELEASE_PREFIX, 'v1.28.4+k3s2');
const k3s = (args: string[], env: Record<string, string> = {}) =>
  run('python3', [path.join(release, 'k3s'), ...args], { env: { PATH: process.env['PATH'] ?? '', ...env } }).then(
    (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
  );

describe('the k3s test double', () => {
  beforeAll(async () => {
    await run('python3', [MIRROR_PY, 'build', dir, '--version', 'v1.28.4+k3s2']);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('answers --version like k3s', async () => {
    expect((await k3s(['--version'])).stdout).toBe('k3s version v1.28.4+k3s2 (6ba6c1b6)\ngo version go1.20.11\n');
  });

  it('an unknown flag is fatal, in urfave/cli\'s words', async () => {
    const r = await k3s(['server', '--tls-sans', 'x']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('Incorrect Usage: flag provided but not defined: -tls-sans');
    expect(r.stderr).toMatch(/level=fatal msg="flag provided but not defined: -tls-sans"/);
  });

  it('an unknown config.yaml key is skipped with k3s\'s warning; a bad boolean is fatal', async () => {
    const cfg = path.join(dir, 'config.yaml');
    writeFileSync(cfg, 'node-lable: x\ncluster-init: maybe\n');
    const r = await k3s(['server', '--config', cfg]);
    expect(r.stderr).toContain('Unknown flag --node-lable found in config.yaml, skipping');
    expect(r.stderr).toContain('invalid boolean value \\"maybe\\" for -cluster-init');
    expect(r.code).toBe(1);
  });

  it('an agent without --server or a token is refused', async () => {
    const cfg = path.join(dir, 'agent.yaml');
    writeFileSync(cfg, 'token: "x"\n');
    expect((await k3s(['agent', '--config', cfg])).stderr).toContain('--server is required');
    expect((await k3s(['agent', '--config', cfg, '--server', 'http://a:6443'])).stderr).toContain('Only https:// URLs are supported');
  });

  it('the mirror has the release layout and real-format checksum files', () => {
    const sums = readFileSync(path.join(release, 'sha256sum-amd64.txt'), 'utf8');
    const bin = readFileSync(path.join(release, 'k3s'));
    expect(sums).toContain(`${createHash('sha256').update(bin).digest('hex')}  k3s\n`);
    expect(sums).toMatch(/^[0-9a-f]{64} {2}k3s-airgap-images-amd64\.tar\.gz$/m);
    expect(readFileSync(path.join(release, 'sha256sum-arm64.txt'), 'utf8')).toMatch(/^[0-9a-f]{64} {2}k3s-arm64$/m);
  });
});
