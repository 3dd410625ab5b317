/**
 * What `modprobe` asks a host, in ONE round trip, and the pure parser of the answer. No writes.
 * Whether a module is loaded: listed in /proc/modules, or present in /sys/module, a registered
 * filesystem (overlay), or a known /proc path (br_netfilter -> /proc/sys/net/bridge): container
 * hosts often have no /proc/modules although they share the host's loaded modules. Records are
 * `key=value` lines; the two files follow verbatim between `@@k3play-file <key>` and
 * `\n@@k3play-end` (the newline before the end marker is the script's, not the file's).
 */
import { sh, type ShellScript } from '../../src/module-api/index.js';

/** Paths that exist only while a module is loaded, for modules with no other trace in containers. */
export const EVIDENCE: Readonly<Record<string, string>> = {
  br_netfilter: '/proc/sys/net/bridge',
  nf_conntrack: '/proc/sys/net/netfilter/nf_conntrack_max',
  ip_vs: '/proc/sys/net/ipv4/vs',
};

export interface ModprobeCurrent {
  /** /proc/modules is readable here. */
  readonly procModules: boolean;
  /** Listed in /proc/modules (loaded as a module, can be unloaded). */
  readonly listed: boolean;
  /** Loaded by any evidence (listed, /sys/module, filesystem, EVIDENCE path, modules.builtin). */
  readonly loaded: boolean;
  /** The process has CAP_SYS_MODULE (can load/unload). */
  readonly canLoad: boolean;
  /** The modprobe binary is installed. */
  readonly modprobe: boolean;
  readonly loadDirExists: boolean;
  readonly optionsDirExists: boolean;
  /** /etc/modules-load.d/NAME.conf, null when absent. */
  readonly loadFile: string | null;
  /** /etc/modprobe.d/NAME.conf, null when absent. */
  readonly optionsFile: string | null;
}

export const moduleKey = (name: string): string => name.replace(/-/g, '_');
export const loadPath = (name: string): string => `/etc/modules-load.d/${name}.conf`;
export const optionsPath = (name: string): string => `/etc/modprobe.d/${name}.conf`;

export function modprobeReadScript(name: string): ShellScript {
  const n = moduleKey(name);
  return sh`n=${n}; lf=${loadPath(name)}; of=${optionsPath(name)}; ev=${EVIDENCE[n] ?? ''}
if [ -r /proc/modules ]; then echo procmodules=1; if grep -q "^$n " /proc/modules; then echo listed=1; fi; fi
[ -d "/sys/module/$n" ] && echo sysmodule=1
grep -qE "[[:space:]]$n\$" /proc/filesystems 2>/dev/null && echo filesystem=1
[ -n "$ev" ] && [ -e "$ev" ] && echo evidence=1
grep -qE "/$n\\.ko" "/lib/modules/$(uname -r)/modules.builtin" 2>/dev/null && echo builtin=1
echo "capeff=$(sed -n 's/^CapEff:[[:space:]]*//p' /proc/self/status)"
command -v modprobe >/dev/null 2>&1 && echo modprobe=1
[ -d /etc/modules-load.d ] && echo loaddir=1
[ -d /etc/modprobe.d ] && echo optionsdir=1
if [ -f "$lf" ]; then echo '@@k3play-file load'; cat "$lf"; printf '\\n@@k3play-end\\n'; fi
if [ -f "$of" ]; then echo '@@k3play-file options'; cat "$of"; printf '\\n@@k3play-end\\n'; fi
exit 0`;
}

export function parseModprobeRead(output: string): ModprobeCurrent {
  const files = new Map<string, string>();
  let rest = output;
  for (;;) {
    const m = /^@@k3play-file (\w+)\n/m.exec(rest);
    if (!m) break;
    const start = m.index + m[0].length;
    const end = rest.indexOf('\n@@k3play-end\n', start);
    if (end < 0) throw new Error(`unterminated file section ${m[1]}`);
    files.set(m[1] ?? '', rest.slice(start, end));
    rest = rest.slice(0, m.index) + rest.slice(end + '\n@@k3play-end\n'.length);
  }
  const rec = new Map<string, string>();
  for (const line of rest.split('\n')) {
    if (line === '') continue;
    const eq = line.indexOf('=');
    if (eq < 0) throw new Error(`unexpected line ${JSON.stringify(line)}`);
    rec.set(line.slice(0, eq), line.slice(eq + 1));
  }
  const cap = rec.get('capeff');
  if (cap === undefined) throw new Error('no capeff record in the output');
  const on = (k: string): boolean => rec.get(k) === '1';
  const listed = on('listed');
  return {
    procModules: on('procmodules'),
    listed,
    loaded: listed || on('sysmodule') || on('filesystem') || on('evidence') || on('builtin'),
    canLoad: /^[0-9a-f]+$/i.test(cap) && (BigInt(`0x${cap}`) & (1n << 16n)) !== 0n,
    modprobe: on('modprobe'),
    loadDirExists: on('loaddir'),
    optionsDirExists: on('optionsdir'),
    loadFile: files.get('load') ?? null,
    optionsFile: files.get('options') ?? null,
  };
}
