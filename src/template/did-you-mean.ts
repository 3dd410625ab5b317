/**
 * "did you mean" suggestions for misspelt variable, helper, filter and group names. Pure; knows
 * nothing about where the names came from.
 */

/** Levenshtein distance, early exit when above `max`. */
export function editDistance(a: string, b: string, max = Infinity): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      cur.push(v);
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    prev = cur;
  }
  return prev[b.length]!;
}

/** Up to `limit` candidates close to `name` (case-insensitive prefix/substring or small edit distance). */
export function suggest(name: string, candidates: Iterable<string>, limit = 3): string[] {
  const lower = name.toLowerCase();
  const max = name.length <= 3 ? 1 : name.length <= 6 ? 2 : 3;
  const scored: { c: string; d: number }[] = [];
  for (const c of candidates) {
    if (c === name) continue;
    const cl = c.toLowerCase();
    let d = editDistance(lower, cl, max);
    if (d > max && lower.length >= 3 && cl.length >= 3 && (cl.includes(lower) || lower.includes(cl))) d = max;
    if (d <= max) scored.push({ c, d });
  }
  scored.sort((x, y) => x.d - y.d || x.c.localeCompare(y.c));
  // Only the closest ones: "lower" for "lowr", not also "or".
  const best = scored[0]?.d;
  return scored.filter((s) => s.d === best).slice(0, limit).map((s) => s.c);
}

/** `did you mean "a" or "b"?` or '' when there is nothing close. */
export function didYouMean(name: string, candidates: Iterable<string>): string {
  const s = suggest(name, candidates);
  if (s.length === 0) return '';
  return `did you mean ${s.map((x) => `"${x}"`).join(' or ')}?`;
}
