/**
 * The one read of the `package` module: a POSIX sh script that detects the package manager
 * (unless `use` is given) and asks it, in the same round trip, for the installed state of the
 * named packages, their holds, candidates and the age of the package index. Writes nothing:
 * apt-cache policy and dnf -C (cache only) read the local index. Output: sections opened by
 * `@@<name>` lines, parsed by parse-apt.ts / parse-rpm.ts; testdata/ holds captured outputs.
 */
import { sh, type ShellScript } from '../../src/module-api/index.js';
import type { PackageManager } from './args.js';

export interface ReadRequest {
  readonly use?: PackageManager;
  /** Base names (pins stripped). */
  readonly names: readonly string[];
  /** Ask dnf/yum for versionlocks (slow: starts dnf); apt holds are always read. */
  readonly locks: boolean;
  /** Ask dnf/yum for candidates (state: latest). */
  readonly candidates: boolean;
  readonly installroot?: string;
  readonly releasever?: string;
}

export const DPKG_FORMAT = '${Package}\\t${Version}\\t${db:Status-Abbrev}\\n';
export const RPM_FORMAT = '%{NAME}\\t%{EPOCHNUM}:%{VERSION}-%{RELEASE}\\n';
export const REPOQUERY_FORMAT = '%{name}\t%{epoch}:%{version}-%{release}\n';
export const APT_STAMP = '/var/lib/apt/periodic/update-success-stamp';
export const APT_LISTS = '/var/lib/apt/lists';
/** Touched by k3play after `dnf makecache` (relative to the installroot). */
export const DNF_STAMP = '/var/cache/dnf/k3play-makecache-stamp';

/** dnf/yum options that select the system: [--installroot=X] [--releasever=Y]. */
export function dnfRootOptions(r: { installroot?: string; releasever?: string }): string[] {
  return [...(r.installroot ? [`--installroot=${r.installroot}`] : []), ...(r.releasever ? [`--releasever=${r.releasever}`] : [])];
}

export function packageReadScript(r: ReadRequest): ShellScript {
  const root = r.installroot ?? '';
  const rpmRoot = r.installroot ? ['--root', r.installroot] : [];
  const dnfOpts = dnfRootOptions(r);
  const locks = r.locks ? sh`echo @@lock; "$use" -q ${dnfOpts} versionlock list 2>&1; echo "@@lockrc $?"\n` : sh``;
  const cands = r.candidates
    ? sh`echo @@candidates; "$use" -q -C ${dnfOpts} repoquery --latest-limit=1 --qf ${REPOQUERY_FORMAT} ${r.names} 2>/dev/null\n`
    : sh``;
  return sh`use=${r.use ?? ''}
if [ -z "$use" ]; then
  if command -v apt-get >/dev/null 2>&1; then use=apt
  elif command -v dnf >/dev/null 2>&1; then use=dnf
  elif command -v yum >/dev/null 2>&1; then use=yum
  else echo '@@manager none'; exit 0; fi
fi
echo "@@manager $use"
echo "@@now $(date +%s)"
case $use in
apt)
  echo @@dpkg; dpkg-query -W -f=${DPKG_FORMAT} ${r.names} 2>/dev/null
  echo @@hold; apt-mark showhold 2>/dev/null
  echo @@policy; LC_ALL=C apt-cache policy ${r.names} 2>/dev/null
  echo @@stamp; stat -c %Y ${APT_STAMP} ${APT_LISTS} 2>/dev/null
  ;;
*)
  echo @@rpm; rpm -q ${rpmRoot} --qf ${RPM_FORMAT} ${r.names} 2>&1
  ${locks}${cands}echo @@stamp; stat -c %Y ${root + DNF_STAMP} 2>/dev/null
  ;;
esac
echo @@end`;
}

/** Splits the script's output into its sections (name -> text, the `@@name rest` value in `heads`). */
export function splitSections(out: string): { heads: Map<string, string>; bodies: Map<string, string> } {
  const heads = new Map<string, string>();
  const bodies = new Map<string, string>();
  let current: string | null = null;
  for (const line of out.split('\n')) {
    const m = /^@@([a-z]+)(?: (.*))?$/.exec(line);
    if (m) {
      current = m[1] as string;
      heads.set(current, m[2] ?? '');
      bodies.set(current, '');
      continue;
    }
    if (current !== null) bodies.set(current, `${bodies.get(current) ?? ''}${line}\n`);
  }
  return { heads, bodies };
}
