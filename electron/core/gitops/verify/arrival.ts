import type { HistoryCommit } from "./history";

/**
 * The history with each listed commit's time replaced by when it arrived: a commit's date is its author's word,
 * so where a push proved it wrong (clock-skew) windows and review deadlines are judged at the arrival instead.
 */
export function withArrival(
  history: readonly HistoryCommit[],
  arrivedAt: ReadonlyMap<string, string> | undefined,
): readonly HistoryCommit[] {
  if (!arrivedAt || arrivedAt.size === 0) return history;
  return history.map((c) => {
    const at = arrivedAt.get(c.sha);
    return at ? { ...c, committedAt: at } : c;
  });
}
