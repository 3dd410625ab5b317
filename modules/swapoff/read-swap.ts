/**
 * What `swapoff` asks a host, in ONE round trip, and the pure parser of the answer. The script
 * writes nothing. Sections, each after a marker line, the fstab last and verbatim:
 *   @@k3play-swaps      /proc/swaps
 *   @@k3play-units      `systemctl list-units --type=swap --all` (only where systemd runs)
 *   @@k3play-unit-files `UNIT STATE` lines for every loaded swap unit and swap unit file
 *                       (`systemctl show -p UnitFileState`: `list-unit-files` takes 1-2 s,
 *                       it computes the state of every unit file on the host)
 *   @@k3play-fstab      the fstab (or the line `@@k3play-no-fstab` instead of this section)
 */
import { sh, type ShellScript } from '../../src/module-api/index.js';

export interface SwapUnit {
  readonly unit: string;
  /** list-units LOAD column (loaded, masked, not-found) or null when only a unit file is known. */
  readonly load: string | null;
  /** list-units ACTIVE column (active, inactive, ...) or null. */
  readonly active: string | null;
  /** list-unit-files STATE column (enabled, masked, generated, static, ...) or null. */
  readonly fileState: string | null;
}

export interface SwapCurrent {
  /** Active swap areas (file names from /proc/swaps, octal escapes decoded). */
  readonly active: readonly string[];
  /** Whether systemd runs on the host (units are then listed). */
  readonly systemd: boolean;
  readonly units: readonly SwapUnit[];
  /** The fstab's content; null when it does not exist. */
  readonly fstab: string | null;
}

export function swapReadScript(fstab: string): ShellScript {
  return sh`f=${fstab}
echo @@k3play-swaps; cat /proc/swaps 2>/dev/null
if [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1; then
  l=$(systemctl list-units --type=swap --all --no-legend --plain --no-pager 2>/dev/null)
  echo @@k3play-units; [ -z "$l" ] || printf '%s\n' "$l"
  echo @@k3play-unit-files
  u=$( { printf '%s\n' "$l" | sed 's/^[^A-Za-z0-9]*//' | awk '{print $1}'
        for d in /etc/systemd/system /run/systemd/system /usr/local/lib/systemd/system /lib/systemd/system /usr/lib/systemd/system; do ls "$d" 2>/dev/null; done
      } | grep '\.swap$' | sort -u)
  [ -z "$u" ] || systemctl show -p Id -p UnitFileState -- $u 2>/dev/null |
    awk -F= '$1=="Id"{id=$2} $1=="UnitFileState"{st=$2} /^$/{if(id!="")print id, st; id=""; st=""} END{if(id!="")print id, st}'
fi
if [ -f "$f" ]; then echo @@k3play-fstab; cat "$f"; else echo @@k3play-no-fstab; fi`;
}

const FSTAB_MARK = '@@k3play-fstab\n';

export function parseSwapRead(output: string): SwapCurrent {
  const at = output.indexOf(FSTAB_MARK);
  const fstab = at >= 0 ? output.slice(at + FSTAB_MARK.length) : null;
  const head = at >= 0 ? output.slice(0, at) : output;
  if (at < 0 && !/^@@k3play-no-fstab$/m.test(head)) throw new Error('no fstab section in the output');
  if (!head.startsWith('@@k3play-swaps\n')) throw new Error('no /proc/swaps section in the output');
  const sections = new Map<string, string[]>();
  let cur = '';
  for (const line of head.split('\n')) {
    if (line.startsWith('@@k3play-')) sections.set((cur = line.slice(9)), []);
    else if (line.trim() !== '') sections.get(cur)?.push(line);
  }
  const active = (sections.get('swaps') ?? [])
    .filter((l) => !l.startsWith('Filename'))
    .map((l) => decodeOctal(l.trim().split(/\s+/)[0] ?? ''))
    .filter((n) => n !== '');
  const units = new Map<string, SwapUnit>();
  for (const l of sections.get('units') ?? []) {
    const [unit, load, activeState] = l.trim().replace(/^[●*]\s*/, '').split(/\s+/);
    if (unit?.endsWith('.swap')) units.set(unit, { unit, load: load ?? null, active: activeState ?? null, fileState: null });
  }
  for (const l of sections.get('unit-files') ?? []) {
    const [unit, st] = l.trim().split(/\s+/);
    if (!unit?.endsWith('.swap')) continue;
    const u = units.get(unit) ?? { unit, load: null, active: null, fileState: null };
    units.set(unit, { ...u, fileState: st ?? null });
  }
  return { active, systemd: sections.has('units'), units: [...units.values()], fstab };
}

/** /proc/swaps and fstab escape spaces etc. as \040. */
export function decodeOctal(s: string): string {
  return s.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));
}
