/**
 * The parts of `ansible_ssh_common_args` k3play understands, as operators write them for
 * Ansible: `-o ProxyJump=user@bastion:22`, `-J user@bastion`, `-o ProxyCommand="ssh -W %h:%p
 * -q user@bastion"` (the common bastion idiom), `-o UserKnownHostsFile=FILE`, `-p PORT`,
 * `-o ServerAliveInterval=SECONDS` (keepalive: a host that vanishes is reported unreachable
 * after 3 unanswered probes), `-o ConnectTimeout=SECONDS` and `-o StrictHostKeyChecking=...`
 * (accepted; k3play's host key policy is always strict unless --accept-new-host-keys). Anything else is reported, never silently ignored. Pure.
 */
import { splitShellWords } from '../inventory/shell-words.js';
import { parseProxyJump, type JumpHost } from './ssh-config.js';

export interface CommonArgs {
  readonly jump?: JumpHost[];
  readonly knownHostsFiles: string[];
  readonly port?: number;
  /** ServerAliveInterval in ms (0 = off is not offered: keepalive stays on). */
  readonly keepaliveIntervalMs?: number;
  /** ConnectTimeout in ms. */
  readonly connectTimeoutMs?: number;
  readonly unsupported: string[];
}

type MutableCommonArgs = { -readonly [K in keyof CommonArgs]: CommonArgs[K] };

export function parseSshCommonArgs(text: string | undefined): CommonArgs {
  const out: MutableCommonArgs = { knownHostsFiles: [], unsupported: [] };
  if (!text) return out;
  const words = splitShellWords(text).words.map((w) => w.text);
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (w === '-J' && words[i + 1]) out.jump = parseProxyJump(words[++i]!);
    else if (w === '-p' && words[i + 1]) out.port = Number(words[++i]);
    else if (w === '-o' && words[i + 1]) option(words[++i]!, out);
    else if (w.startsWith('-o') && w.length > 2) option(w.slice(2), out);
    else out.unsupported.push(w);
  }
  return out;
}

function option(kv: string, out: MutableCommonArgs): void {
  const m = /^(\w+)\s*[= ]\s*(.*)$/.exec(kv);
  if (!m) {
    out.unsupported.push(`-o ${kv}`);
    return;
  }
  const key = m[1]!.toLowerCase();
  const value = m[2]!.trim();
  switch (key) {
    case 'proxyjump':
      out.jump = parseProxyJump(value);
      return;
    case 'proxycommand': {
      // ssh -W %h:%p [-q] [-p PORT] [-i KEY] user@bastion
      const words = splitShellWords(value).words.map((w) => w.text);
      if (words[0] === 'ssh' && words.includes('-W')) {
        let port: number | undefined;
        const pi = words.indexOf('-p');
        if (pi >= 0 && words[pi + 1]) port = Number(words[pi + 1]);
        const target = [...words].reverse().find((x, idx, arr) => !x.startsWith('-') && !/%h/.test(x) && arr[idx + 1] !== '-p' && arr[idx + 1] !== '-i');
        if (target) {
          const [hop] = parseProxyJump(target);
          if (hop) {
            out.jump = [{ ...hop, ...(port !== undefined ? { port } : {}) }];
            return;
          }
        }
      }
      out.unsupported.push(`-o ProxyCommand=${value}`);
      return;
    }
    case 'userknownhostsfile':
      out.knownHostsFiles.push(...value.split(/\s+/).filter(Boolean));
      return;
    case 'serveraliveinterval':
    case 'connecttimeout': {
      const seconds = Number(value);
      if (!Number.isInteger(seconds) || seconds <= 0) {
        out.unsupported.push(`-o ${kv} (expected a positive number of seconds)`);
        return;
      }
      if (key === 'serveraliveinterval') out.keepaliveIntervalMs = seconds * 1000;
      else out.connectTimeoutMs = seconds * 1000;
      return;
    }
    case 'stricthostkeychecking':
    case 'controlmaster':
    case 'controlpersist':
    case 'controlpath':
      return;
    default:
      out.unsupported.push(`-o ${kv}`);
  }
}
