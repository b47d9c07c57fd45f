/** "Did you mean" for method names: edit distance plus word-overlap matches. */

const MAX_INPUT = 64;

const normalise = (s: string) =>
  s
    .slice(0, MAX_INPUT * 2)
    .trim()
    .toLowerCase()
    .replace(/[\s\-./]+/g, '_')
    .slice(0, MAX_INPUT);

/** Optimal-string-alignment distance (Levenshtein plus adjacent transpositions). */
export function editDistance(a: string, b: string): number {
  const n = a.length;
  const m = b.length;
  if (n === 0) return m;
  if (m === 0) return n;
  let prev2 = new Array<number>(m + 1).fill(0);
  let prev = Array.from({ length: m + 1 }, (_, j) => j);
  let cur = new Array<number>(m + 1).fill(0);
  // Every index below stays within 0..m, the rows' bounds.
  for (let i = 1; i <= n; i++) {
    cur[0] = i;
    for (let j = 1; j <= m; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      let v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, prev2[j - 2]! + 1);
      cur[j] = v;
    }
    [prev2, prev, cur] = [prev, cur, prev2];
  }
  return prev[m]!;
}

/**
 * Up to `max` names from `candidates` closest to `name`: first those within a small edit
 * distance (about a third of the length, at least 2), then names sharing all of the input's
 * words ("photo_take" -> camera_photo_take). Order: best first, ties in catalogue order.
 */
export function suggestFrom(candidates: readonly string[], name: unknown, max = 3): string[] {
  if (typeof name !== 'string' || !Number.isFinite(max) || max <= 0) return [];
  const q = normalise(name);
  if (!q) return [];
  const threshold = Math.max(2, Math.floor(q.length / 3));
  const words = q.split('_').filter((w) => w.length >= 2);
  const scored: Array<{ name: string; score: number; order: number }> = [];
  candidates.forEach((c, order) => {
    const d = editDistance(q, c);
    if (d <= threshold) {
      scored.push({ name: c, score: d, order });
      return;
    }
    const parts = c.split('_');
    if (words.length > 0 && words.every((w) => parts.some((p) => p === w || (w.length >= 4 && p.startsWith(w))))) {
      scored.push({ name: c, score: threshold + 1 + d / 100, order });
    }
  });
  scored.sort((x, y) => x.score - y.score || x.order - y.order);
  return scored.slice(0, Math.floor(max)).map((s) => s.name);
}
