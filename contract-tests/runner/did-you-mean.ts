// "Did you mean …?": the known word nearest to what was typed, for unknown flags and operationIds.

/** Edits (insert, delete, replace) between two words. */
export function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const next = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = row[j]!;
      row[j] = next;
    }
  }
  return row[b.length]!;
}

/** The candidate nearest to `typed` (in any case), if it is a few edits away at most. */
export function closest(typed: string, candidates: Iterable<string>): string | undefined {
  const word = typed.toLowerCase();
  let best: { c: string; d: number } | undefined;
  for (const c of new Set(candidates)) {
    const d = editDistance(word, c.toLowerCase());
    if (!best || d < best.d) best = { c, d };
  }
  return best && best.d <= Math.max(2, Math.floor(word.length / 4)) ? best.c : undefined;
}
