/**
 * The kubeadm/kubectl TEST DOUBLE's CLI behaves like the real tools where k3play relies on it:
 * strict config files, flag errors, token and key formats. Only paths that fail or print before
 * touching the filesystem run here (on the controller); the rest runs on lab hosts.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { KUBE_DOUBLE_PY } from './kube-debs.js';

const exec = promisify(execFile);
const dir = mkdtempSync(path.join(tmpdir(), 'k3p-kube-double-'));
// as the package builder installs it: the version filled in
const PY = path.join(dir, 'kube-double.py');
writeFileSync(PY, readFileSync(KUBE_DOUBLE_PY, 'utf8').replace('@@VERSION@@', '1.28.4'));

async function tool(name: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await exec('python3', [PY, name, ...args], { env: { ...process.env, K3PLAY_DOUBLE_NO_RECORD: '1' } });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const x = e as { code: number; stdout: string; stderr: string };
    return { code: x.code, stdout: x.stdout, stderr: x.stderr };
  }
}

function config(name: string, text: string): string {
  const f = path.join(dir, name);
  writeFileSync(f, text);
  return f;
}

const CLUSTER = 'apiVersion: kubeadm.k8s.io/v1beta3\nkind: ClusterConfiguration\nkubernetesVersion: v1.28.4\ncontrolPlaneEndpoint: 10.0.0.10:16443\n';

describe('kube-double.py (kubeadm/kubectl test double)', () => {
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each([
    ['an unknown field', `${CLUSTER}networking: {podSubnet: 10.244.0.0/16, bogus: 1}\n`, /strict decoding error: unknown field "networking\.bogus"/],
    ['a wrong kind', 'apiVersion: kubeadm.k8s.io/v1beta3\nkind: ClusterConfig\n', /no kind "ClusterConfig" is registered for version "kubeadm\.k8s\.io\/v1beta3"/],
    ['a JoinConfiguration given to init', 'apiVersion: kubeadm.k8s.io/v1beta3\nkind: JoinConfiguration\n', /JoinConfiguration is not allowed here/],
    ['a bad pod subnet', `${CLUSTER}networking: {podSubnet: 10.244.0.0/33}\n`, /networking\.podSubnet: Invalid value: "10\.244\.0\.0\/33"/],
    ['a control plane newer than kubeadm', CLUSTER.replace('v1.28.4', 'v1.30.0'), /Current version: v1\.30\.0 is newer than kubeadm v1\.28\.4/],
  ])('kubeadm init refuses %s', async (_n, text, re) => {
    const r = await tool('kubeadm', ['init', '--config', config(`c-${_n.length}.yaml`, text)]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(re);
  });

  it('kubeadm join without a CA pin is refused (as kubeadm does)', async () => {
    const r = await tool('kubeadm', ['join', '10.0.0.10:16443', '--token', 'abcdef.0123456789abcdef']);
    expect(r.stderr).toMatch(/using token-based discovery without caCertHashes can be unsafe/);
  });

  it('--config cannot be mixed with flags', async () => {
    const r = await tool('kubeadm', ['join', '--config', config('j.yaml', 'x: 1\n'), '--token', 'abcdef.0123456789abcdef']);
    expect(r.stderr).toMatch(/can not mix '--config' with arguments \[token\]/);
  });

  it('unknown flags are errors', async () => {
    expect((await tool('kubeadm', ['init', '--bogus'])).stderr).toMatch(/unknown flag: --bogus/);
    expect((await tool('kubectl', ['get', 'nodes', '--bogus'])).stderr).toMatch(/unknown flag: --bogus/);
  });

  it('token generate and certs certificate-key print the real formats', async () => {
    expect((await tool('kubeadm', ['token', 'generate'])).stdout.trim()).toMatch(/^[a-z0-9]{6}\.[a-z0-9]{16}$/);
    expect((await tool('kubeadm', ['certs', 'certificate-key'])).stdout.trim()).toMatch(/^[0-9a-f]{64}$/);
  });

  it('reset without -f and without a terminal refuses', async () => {
    expect((await tool('kubeadm', ['reset'])).stderr).toMatch(/use -f/);
  });
});
