/**
 * "did you mean ...?" suggestions for misspelt keywords, modules and arguments. Pure string
 * distance (Levenshtein, case-insensitive); it knows nothing about playbooks.
 */

export function levenshtein(a: string, b: string): number {
  const s = a.toLowerCase();
  const t = b.toLowerCase();
  let prev = Array.from({ length: t.length + 1 }, (_, j) => j);
  for (let i = 1; i <= s.length; i++) {
    const cur = [i];
    for (let j = 1; j <= t.length; j++) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      cur.push(Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost));
    }
    prev = cur;
  }
  return prev[t.length]!;
}

/** Largest edit distance still worth suggesting for a word of this length. */
function threshold(word: string): number {
  if (word.length <= 3) return 1;
  if (word.length <= 6) return 2;
  return 3;
}

/** The closest candidate within the threshold, with its distance; ties keep the first candidate. */
export function closest(word: string, candidates: Iterable<string>): { name: string; distance: number } | undefined {
  let best: { name: string; distance: number } | undefined;
  for (const c of candidates) {
    if (c === word) continue;
    const d = levenshtein(word, c);
    if (d <= threshold(word) && (!best || d < best.distance)) best = { name: c, distance: d };
  }
  return best;
}

/** `did you mean "when"?`, or undefined when nothing is close. */
export function didYouMean(word: string, candidates: Iterable<string>): string | undefined {
  const c = closest(word, candidates);
  return c ? `did you mean "${c.name}"?` : undefined;
}
