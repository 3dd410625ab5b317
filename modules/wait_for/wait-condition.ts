/**
 * The condition `wait_for` waits for, as a POSIX sh snippet that exits 0 when it holds, plus
 * its human description. Pure: builds text only. Used both by read (checked once) and by the
 * poll loop of the one apply step, so both test exactly the same thing.
 */
import { sh, TaskFailure, type ShellScript } from '../../src/module-api/index.js';
import type { WaitForArgs, WaitState } from './args.js';

const LOCAL_HOSTS = ['127.0.0.1', 'localhost', '::1', '0.0.0.0'];

export interface WaitCondition {
  /** Exits 0 when the condition holds. */
  readonly test: ShellScript;
  /** "port 6443 on 127.0.0.1 to be started" */
  readonly what: string;
}

export function waitCondition(args: WaitForArgs): WaitCondition {
  const hasPort = args.port !== undefined;
  const hasPath = args.path !== undefined;
  if (hasPort === hasPath) {
    throw new TaskFailure('wait_for: give either port or path', 'e.g. `wait_for: {port: 6443}` or `wait_for: {path: /var/lib/rancher/k3s/server/node-token}`');
  }
  if (hasPort) return portCondition(args.port as number, args.host ?? '127.0.0.1', args.state ?? 'started', args.search_regex);
  return pathCondition(args.path as string, args.state ?? 'present', args.search_regex, args.host);
}

function portCondition(port: number, host: string, state: WaitState, regex: string | undefined): WaitCondition {
  if (state !== 'started' && state !== 'stopped') {
    throw new TaskFailure(`wait_for: state ${state} is for a path; a port is started or stopped`);
  }
  if (regex !== undefined) throw new TaskFailure('wait_for: search_regex works with path only (reading from a port is not supported)');
  const local = LOCAL_HOSTS.includes(host);
  // Local: a listening socket on the port; falls back to a connection when ss is missing.
  const open = local
    ? sh`if command -v ss >/dev/null 2>&1; then [ -n "$(ss -Hltn ${`sport = :${port}`})" ]; else timeout 2 bash -c ${`: >/dev/tcp/127.0.0.1/${port}`} 2>/dev/null; fi`
    : sh`timeout 2 bash -c ${`: >/dev/tcp/${host}/${port}`} 2>/dev/null`;
  const test = state === 'started' ? sh`{ ${open}; }` : sh`! { ${open}; }`;
  return { test, what: `port ${port} on ${host} to be ${state}` };
}

function pathCondition(path: string, state: WaitState, regex: string | undefined, host: string | undefined): WaitCondition {
  if (state !== 'present' && state !== 'absent') {
    throw new TaskFailure(`wait_for: state ${state} is for a port; a path is present or absent`);
  }
  if (host !== undefined) throw new TaskFailure('wait_for: host goes with port, not with path (paths are on the managed host)');
  if (regex !== undefined) {
    if (state === 'absent') throw new TaskFailure('wait_for: search_regex goes with state: present');
    return { test: sh`grep -Eq -e ${regex} -- ${path} 2>/dev/null`, what: `${path} to match /${regex}/` };
  }
  return state === 'present'
    ? { test: sh`[ -e ${path} ]`, what: `${path} to be present` }
    : { test: sh`[ ! -e ${path} ]`, what: `${path} to be absent` };
}

/** The apply step's script: optional delay, then poll until the condition holds or the timeout passes. */
export function pollScript(cond: WaitCondition, timeout: number, delay: number, sleepS: number): ShellScript {
  return sh`${delay > 0 ? sh`sleep ${delay}; ` : sh``}end=$(( $(date +%s) + ${timeout} ))
while :; do
  if ${cond.test}; then exit 0; fi
  if [ "$(date +%s)" -ge "$end" ]; then echo ${`timed out after ${timeout} s waiting for ${cond.what}`} >&2; exit 1; fi
  sleep ${sleepS}
done`;
}
