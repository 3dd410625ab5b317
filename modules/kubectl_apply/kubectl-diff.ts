/**
 * Parser of `kubectl diff` output (a `diff -u -N LIVE MERGED` per object) into one before/after
 * pair per object, so the engine's diff renderer shows it like a file diff. Pure. Objects
 * whose LIVE side is empty (diff -N of a missing file) are creations: before = null.
 */
export interface ObjectDiff {
  /** e.g. apps.v1.DaemonSet.kube-flannel.kube-flannel-ds (kubectl's file name of the object). */
  readonly object: string;
  readonly before: string | null;
  readonly after: string;
}

export function parseKubectlDiff(text: string): ObjectDiff[] {
  const out: ObjectDiff[] = [];
  let cur: { object: string; before: string[]; after: string[] } | null = null;
  const flush = () => {
    if (cur) out.push({ object: cur.object, before: cur.before.length ? cur.before.join('') : null, after: cur.after.join('') });
  };
  for (const line of text.split(/(?<=\n)/)) {
    const head = /^diff -u -N \S+\/([^/\s]+) \S+$/.exec(line.trimEnd());
    if (head) {
      flush();
      cur = { object: head[1]!, before: [], after: [] };
      continue;
    }
    if (!cur || line.startsWith('--- ') || line.startsWith('+++ ') || line.startsWith('@@')) continue;
    if (line.startsWith('-')) cur.before.push(line.slice(1));
    else if (line.startsWith('+')) cur.after.push(line.slice(1));
    else if (line.startsWith(' ')) {
      cur.before.push(line.slice(1));
      cur.after.push(line.slice(1));
    }
  }
  flush();
  return out;
}
