/**
 * Helpers for the load-balancer lab tests (keepalived, haproxy, VIP failover): a tiny TCP
 * backend on a lab host (a python3 transient unit that answers "backend HOST from PEER-IP",
 * so a test sees which haproxy forwarded it), a TCP client from the controller, and a reset
 * that leaves the shared hosts as the base image made them (units stopped and disabled,
 * keepalived.conf removed, Debian's haproxy.cfg back). Nothing here runs k3play.
 */
import { connect } from 'node:net';
import path from 'node:path';
import type { LabState } from '../../src/lab/lab-state.js';
import { repoRoot } from '../e2e/cli.js';
import { labSsh } from './shared-lab.js';

export const LB_TASKS = path.join(repoRoot, 'playbooks', 'tasks', 'api-load-balancer.yml');
export const BACKEND_UNIT = 'k3play-test-backend';

const BACKEND_PY = `import socket, socketserver
class H(socketserver.BaseRequestHandler):
    def handle(self):
        try: self.request.sendall(("backend %s from %s\\n" % (socket.gethostname(), self.client_address[0])).encode())
        except OSError: pass
socketserver.ThreadingTCPServer.allow_reuse_address = True
socketserver.ThreadingTCPServer(("0.0.0.0", PORT), H).serve_forever()
`;

/** Starts the backend on `host`:`port` (replaced if running) and waits until it listens. */
export async function startTcpBackend(state: LabState, host: string, port: number): Promise<void> {
  const code = Buffer.from(BACKEND_PY.replace('PORT', String(port))).toString('base64');
  const r = await labSsh(
    state,
    host,
    `systemctl stop ${BACKEND_UNIT} 2>/dev/null; systemctl reset-failed ${BACKEND_UNIT} 2>/dev/null; ` +
      `echo ${code} | base64 -d > /run/${BACKEND_UNIT}.py && systemd-run --unit=${BACKEND_UNIT} python3 /run/${BACKEND_UNIT}.py >/dev/null && ` +
      `for i in $(seq 100); do python3 -c 'import socket; socket.create_connection(("127.0.0.1", ${port}), 0.2)' 2>/dev/null && exit 0; sleep 0.05; done; exit 1`,
  );
  if (r.code !== 0) throw new Error(`backend on ${host}:${port} did not start: ${r.stderr}`);
}

export async function stopTcpBackend(state: LabState, host: string): Promise<void> {
  await labSsh(state, host, `systemctl stop ${BACKEND_UNIT} 2>/dev/null; systemctl reset-failed ${BACKEND_UNIT} 2>/dev/null; rm -f /run/${BACKEND_UNIT}.py; true`);
}

/** One TCP exchange from the controller: the first line the server sends, or null (refused, timeout). */
export function askTcp(ip: string, port: number, timeoutMs = 300): Promise<string | null> {
  return new Promise((resolve) => {
    let data = '';
    let done = false;
    const finish = (v: string | null): void => {
      if (done) return;
      done = true;
      sock.destroy();
      resolve(v);
    };
    const sock = connect({ host: ip, port, timeout: timeoutMs });
    sock.on('data', (d) => {
      data += d.toString();
      if (data.includes('\n')) finish(data.trim());
    });
    sock.on('timeout', () => finish(null));
    sock.on('error', () => finish(null));
    sock.on('end', () => finish(data === '' ? null : data.trim()));
  });
}

/** Polls `askTcp` until `ok(answer)` or `timeoutMs`; returns the answer and when it came (ms since `since`). */
export async function waitForAnswer(
  ip: string,
  port: number,
  ok: (answer: string) => boolean,
  opts: { since: number; timeoutMs: number },
): Promise<{ answer: string | null; ms: number; attempts: number }> {
  let attempts = 0;
  for (;;) {
    attempts++;
    const answer = await askTcp(ip, port, 250);
    const ms = Date.now() - opts.since;
    if (answer !== null && ok(answer)) return { answer, ms, attempts };
    if (ms > opts.timeoutMs) return { answer: null, ms, attempts };
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Reads a file of a host (null when absent), e.g. Debian's haproxy.cfg before a test replaces it. */
export async function readHostFile(state: LabState, host: string, file: string): Promise<string | null> {
  const r = await labSsh(state, host, `if [ -f ${file} ]; then base64 -w0 ${file}; else echo ABSENT; fi`);
  return r.stdout.trim() === 'ABSENT' ? null : Buffer.from(r.stdout.trim(), 'base64').toString('utf8');
}

/** keepalived and haproxy stopped and disabled, keepalived.conf gone, haproxy.cfg as given (Debian's). */
export async function resetLbHost(state: LabState, host: string, haproxyCfg: string | null): Promise<void> {
  const restore =
    haproxyCfg === null ? 'rm -f /etc/haproxy/haproxy.cfg' : `echo ${Buffer.from(haproxyCfg).toString('base64')} | base64 -d > /etc/haproxy/haproxy.cfg && chmod 0644 /etc/haproxy/haproxy.cfg`;
  await labSsh(
    state,
    host,
    `systemctl disable --now keepalived haproxy >/dev/null 2>&1; systemctl reset-failed keepalived haproxy 2>/dev/null; ` +
      `rm -f /etc/keepalived/keepalived.conf /etc/keepalived/*.k3play-validate /etc/haproxy/*.k3play-validate; ${restore}; true`,
  );
}

/** The host of the lab holding `ip` on eth0 (or null). */
export async function vipHolders(state: LabState, hosts: readonly string[], ip: string): Promise<string[]> {
  const out = await Promise.all(hosts.map(async (h) => ((await labSsh(state, h, `ip -4 -o addr show dev eth0`)).stdout.includes(` ${ip}/`) ? h : null)));
  return out.filter((h): h is string => h !== null);
}
