/**
 * What `systemd_unit` asks a host, in ONE round trip, and the pure parser of the answer. The
 * script writes nothing. Output, one `key=value` record a line:
 *
 *   file=absent | file=link:<target> | file=b64:<base64 of /etc/systemd/system/NAME>
 *   dropin=absent | dropin=b64:<...>                (only when a drop-in is managed)
 *   show.LoadState=loaded ...                      (systemctl show -p ..., prefixed "show.")
 *   is-enabled=enabled                             (systemctl is-enabled; empty when unknown)
 */
import { sh, type ShellScript } from '../../src/module-api/index.js';

export interface UnitCurrent {
  /** Content of /etc/systemd/system/NAME; null when absent or a symlink (see fileLink). */
  readonly file: string | null;
  /** Target when /etc/systemd/system/NAME is a symlink (e.g. /dev/null when masked). */
  readonly fileLink: string | null;
  /** Content of the managed drop-in; null when absent or not asked. */
  readonly dropin: string | null;
  /** loaded | not-found | masked | bad-setting | error ... */
  readonly loadState: string;
  /** active | inactive | activating | deactivating | failed | reloading */
  readonly activeState: string;
  readonly subState: string;
  readonly unitFileState: string;
  readonly fragmentPath: string;
  readonly needDaemonReload: boolean;
  /** Output of `systemctl is-enabled`: enabled, disabled, static, masked, ... ("" when unknown). */
  readonly isEnabled: string;
}

export const UNIT_DIR = '/etc/systemd/system';

export function unitReadScript(name: string, dropinPath: string | null): ShellScript {
  const dropin =
    dropinPath === null
      ? sh``
      : sh`d=${dropinPath}
if [ -f "$d" ]; then printf 'dropin=b64:%s\\n' "$(base64 -w0 < "$d")"; else echo dropin=absent; fi
`;
  return sh`n=${name}; f=${`${UNIT_DIR}/${name}`}
if [ -L "$f" ]; then printf 'file=link:%s\\n' "$(readlink -- "$f")"
elif [ -f "$f" ]; then printf 'file=b64:%s\\n' "$(base64 -w0 < "$f")"
else echo file=absent; fi
${dropin}systemctl show "$n" -p LoadState,ActiveState,SubState,UnitFileState,FragmentPath,NeedDaemonReload | sed 's/^/show./'
printf 'is-enabled=%s\\n' "$(systemctl is-enabled "$n" 2>/dev/null)"
exit 0`;
}

export function parseUnitRead(output: string): UnitCurrent {
  const rec = new Map<string, string>();
  for (const line of output.split('\n')) {
    if (line === '') continue;
    const eq = line.indexOf('=');
    if (eq < 0) throw new Error(`unexpected line ${JSON.stringify(line)}`);
    rec.set(line.slice(0, eq), line.slice(eq + 1));
  }
  const file = rec.get('file');
  if (file === undefined) throw new Error('no file record in the output');
  const loadState = rec.get('show.LoadState');
  if (loadState === undefined) throw new Error('no LoadState in the output (systemctl show failed?)');
  return {
    file: decode(file),
    fileLink: file.startsWith('link:') ? file.slice('link:'.length) : null,
    dropin: decode(rec.get('dropin') ?? 'absent'),
    loadState,
    activeState: rec.get('show.ActiveState') ?? '',
    subState: rec.get('show.SubState') ?? '',
    unitFileState: rec.get('show.UnitFileState') ?? '',
    fragmentPath: rec.get('show.FragmentPath') ?? '',
    needDaemonReload: rec.get('show.NeedDaemonReload') === 'yes',
    isEnabled: rec.get('is-enabled') ?? '',
  };
}

function decode(v: string): string | null {
  if (v.startsWith('b64:')) return Buffer.from(v.slice(4), 'base64').toString('utf8');
  if (v === 'absent' || v.startsWith('link:')) return null;
  throw new Error(`unexpected file record ${JSON.stringify(v)}`);
}
