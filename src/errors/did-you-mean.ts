/**
 * "did you mean ...?" for every misspelt name k3play reports (keywords, modules, arguments,
 * variables, helpers, hosts, groups, files): case-insensitive Levenshtein distance, a threshold
 * that grows with the word's length, and only the closest candidates. Pure; no I/O.
 */

/** Levenshtein distance, with an early exit once every path is above `max`. */
export function editDistance(a: string, b: string, max = Infinity): number {
  if (a === b) return 0;
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

/** Case-insensitive distance. */
export function levenshtein(a: string, b: string): number {
  return editDistance(a.toLowerCase(), b.toLowerCase());
}

/** Largest edit distance still worth suggesting for a word of this length. */
function threshold(word: string): number {
  if (word.length <= 3) return 1;
  if (word.length <= 6) return 2;
  return 3;
}

/** Up to `limit` candidates, all at the smallest distance found (a substring counts as close). */
export function suggest(name: string, candidates: Iterable<string>, limit = 3): string[] {
  const lower = name.toLowerCase();
  const max = threshold(name);
  const scored: { c: string; d: number }[] = [];
  for (const c of new Set(candidates)) {
    if (c === name) continue;
    const cl = c.toLowerCase();
    let d = editDistance(lower, cl, max);
    if (d > max && lower.length >= 3 && cl.length >= 3 && (cl.includes(lower) || lower.includes(cl))) d = max;
    if (d <= max) scored.push({ c, d });
  }
  scored.sort((x, y) => x.d - y.d || x.c.localeCompare(y.c));
  const best = scored[0]?.d;
  return scored.filter((s) => s.d === best).slice(0, limit).map((s) => s.c);
}

/** The closest candidate with its distance (ties: the first in sorted order), or undefined. */
export function closest(word: string, candidates: Iterable<string>): { name: string; distance: number } | undefined {
  const [best] = suggest(word, candidates, 1);
  return best === undefined ? undefined : { name: best, distance: levenshtein(word, best) };
}

/** `did you mean "a" or "b"?`, or undefined when nothing is close. */
export function didYouMean(name: string, candidates: Iterable<string>): string | undefined {
  const s = suggest(name, candidates);
  return s.length === 0 ? undefined : `did you mean ${s.map((x) => `"${x}"`).join(' or ')}?`;
}
