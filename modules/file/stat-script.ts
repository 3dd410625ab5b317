/**
 * The one read of the `file` module: a POSIX sh script around GNU `stat` (coreutils; the lab
 * hosts are Debian) that prints what is at a path. Output, one record per line, tab-separated:
 *
 *   absent                                   nothing at the path
 *   link<TAB>TARGET                          the path is a symlink (readlink, as stored)
 *   self<TAB>%F<TAB>%a<TAB>%U<TAB>%u<TAB>%G<TAB>%g   the path itself (not followed)
 *   target<TAB>...same fields...             a symlink's destination, when it exists
 *
 * parse-stat.ts reads it; testdata/*.txt hold captured outputs. Builds the script only.
 */
import { sh, type ShellScript } from '../../src/module-api/index.js';

const FIELDS = '%F\\t%a\\t%U\\t%u\\t%G\\t%g\\n';

export function statScript(path: string): ShellScript {
  return sh`p=${path}
if [ -L "$p" ]; then
  printf 'link\\t%s\\n' "$(readlink -- "$p")"
  stat --printf ${`self\\t${FIELDS}`} -- "$p"
  if [ -e "$p" ]; then stat -L --printf ${`target\\t${FIELDS}`} -- "$p"; fi
elif [ -e "$p" ]; then
  stat --printf ${`self\\t${FIELDS}`} -- "$p"
else
  echo absent
fi`;
}
