/**
 * What a "service with one config file" module (keepalived, haproxy) asks a host, in ONE round
 * trip, and the pure parser of the answer: is the daemon installed, does the config directory
 * exist, the config file (mode + content), and the unit's load/active/enabled state. The script
 * writes nothing. Output, one `key=value` record a line:
 *
 *   installed=1|0        dir=1|0
 *   file=absent | file=b64:<base64>   mode=<octal, only with a file>
 *   show.LoadState=...   show.ActiveState=...   is-enabled=...
 */
import { sh, TaskFailure, type Probe, type ShellScript } from '../../src/module-api/index.js';

export interface ServiceConfigCurrent {
  /** The daemon's binary was found (PATH, /usr/sbin, /usr/local/sbin). */
  readonly installed: boolean;
  /** The config file's directory exists. */
  readonly dirExists: boolean;
  /** The config file's content; null when absent. */
  readonly config: string | null;
  /** 4-digit octal mode of the config file ("0644"); null when absent. */
  readonly mode: string | null;
  /** loaded | not-found | masked ... */
  readonly loadState: string;
  /** active | inactive | activating | failed ... */
  readonly activeState: string;
  /** `systemctl is-enabled` output ("" when unknown). */
  readonly isEnabled: string;
}

export function serviceConfigScript(binary: string, path: string, unit: string): ShellScript {
  const dir = path.replace(/\/[^/]*$/, '') || '/';
  return sh`b=${binary}; p=${path}; d=${dir}; u=${unit}
if command -v "$b" >/dev/null 2>&1 || [ -x "/usr/sbin/$b" ] || [ -x "/usr/local/sbin/$b" ]; then echo installed=1; else echo installed=0; fi
if [ -d "$d" ]; then echo dir=1; else echo dir=0; fi
if [ -f "$p" ]; then printf 'mode=%s\\n' "$(stat -c %a -- "$p")"; printf 'file=b64:%s\\n' "$(base64 -w0 < "$p")"; else echo file=absent; fi
systemctl show "$u" -p LoadState,ActiveState | sed 's/^/show./'
printf 'is-enabled=%s\\n' "$(systemctl is-enabled "$u" 2>/dev/null)"
exit 0`;
}

export function parseServiceConfig(output: string): ServiceConfigCurrent {
  const rec = new Map<string, string>();
  for (const line of output.split('\n')) {
    if (line === '') continue;
    const eq = line.indexOf('=');
    if (eq < 0) throw new Error(`unexpected line ${JSON.stringify(line.slice(0, 80))}`);
    rec.set(line.slice(0, eq), line.slice(eq + 1));
  }
  const file = rec.get('file');
  if (file === undefined) throw new Error('no file record in the output');
  const loadState = rec.get('show.LoadState');
  if (loadState === undefined) throw new Error('no LoadState in the output (systemctl show failed?)');
  let config: string | null = null;
  if (file.startsWith('b64:')) config = Buffer.from(file.slice(4), 'base64').toString('utf8');
  else if (file !== 'absent') throw new Error('unexpected file record');
  const mode = rec.get('mode');
  return {
    installed: rec.get('installed') === '1',
    dirExists: rec.get('dir') === '1',
    config,
    mode: config === null || mode === undefined ? null : mode.padStart(4, '0'),
    loadState,
    activeState: rec.get('show.ActiveState') ?? '',
    isEnabled: rec.get('is-enabled') ?? '',
  };
}

/** The read of a module: the script through the probe, its output parsed; odd output is a TaskFailure. */
export async function readServiceConfig(probe: Probe, binary: string, path: string, unit: string): Promise<ServiceConfigCurrent> {
  const r = await probe.exec(serviceConfigScript(binary, path, unit));
  try {
    if (r.exitCode !== 0) throw new Error(`exit ${r.exitCode}: ${r.stderr.trim()}`);
    return parseServiceConfig(r.stdout);
  } catch (err) {
    throw new TaskFailure(`cannot read ${binary}'s state: ${(err as Error).message}`, `the ${binary} module needs systemd and base64 on the host`);
  }
}
