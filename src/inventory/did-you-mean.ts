/**
 * "did you mean ...?" suggestions for unknown host, group and file names: Levenshtein
 * distance, at most three of the closest candidates. Pure; no I/O.
 */

export function levenshtein(a: string, b: string): number {
  if (a === b) return 0;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      cur.push(Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost));
    }
    prev = cur;
  }
  return prev[b.length]!;
}

export function closestNames(name: string, candidates: Iterable<string>, max = 3): string[] {
  // Close enough: about 40% of the name may differ; only the closest candidates are offered.
  const limit = Math.max(1, Math.ceil(name.length * 0.4));
  const scored = [...new Set(candidates)]
    .map((c) => ({ c, d: levenshtein(name.toLowerCase(), c.toLowerCase()) }))
    .filter((x) => x.d <= limit && x.c !== name);
  const best = Math.min(...scored.map((x) => x.d));
  return scored
    .filter((x) => x.d === best)
    .sort((x, y) => x.c.localeCompare(y.c))
    .slice(0, max)
    .map((x) => x.c);
}

/** `did you mean "a" or "b"?`, or undefined when nothing is close. */
export function didYouMean(name: string, candidates: Iterable<string>): string | undefined {
  const close = closestNames(name, candidates);
  if (close.length === 0) return undefined;
  return `did you mean ${close.map((c) => `"${c}"`).join(' or ')}?`;
}
