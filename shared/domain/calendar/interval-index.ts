/** Anything with a half-open [start, end) span in instants. */
interface Span {
  readonly start: number;
  readonly end: number;
}

/** Index of the first element of a sorted array that is >= value. */
export function lowerBound(sorted: ArrayLike<number>, value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] ?? 0) < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * A static interval index: items sorted by start plus the longest span, so an overlap query is two binary
 * searches and a scan of the candidates that could reach the window (O(log n + k) for bounded spans).
 */
export interface IntervalIndex<T extends Span> {
  readonly items: readonly T[];
  readonly starts: Float64Array;
  readonly maxSpan: number;
}

/** Builds an index over items (copied and sorted by start). */
export function buildIntervalIndex<T extends Span>(items: readonly T[]): IntervalIndex<T> {
  const sorted = [...items].sort((a, b) => a.start - b.start);
  const starts = new Float64Array(sorted.length);
  let maxSpan = 0;
  sorted.forEach((item, i) => {
    starts[i] = item.start;
    maxSpan = Math.max(maxSpan, item.end - item.start);
  });
  return { items: sorted, starts, maxSpan };
}

/** The first item that wholly contains [from, to), or null. */
export function findContaining<T extends Span>(index: IntervalIndex<T>, from: number, to: number): T | null {
  const hi = lowerBound(index.starts, from + 1);
  for (let i = lowerBound(index.starts, from - index.maxSpan); i < hi; i++) {
    const item = index.items[i];
    if (item && item.start <= from && item.end >= to) return item;
  }
  return null;
}
