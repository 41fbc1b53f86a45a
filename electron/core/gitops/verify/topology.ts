import { type Finding, finding } from "./findings";
import type { HistoryCommit } from "./history";

/** How every commit of the history stands to the trust root. */
interface Topology {
  /** Commits that are the trust root or descend from it: judged by the policy in force. */
  readonly trusted: ReadonlySet<string>;
  /**
   * Commits that share no history with the trust root (every root they descend from is another root commit),
   * each with the foreign root it came from. Nothing they wrote is trusted.
   */
  readonly foreign: ReadonlyMap<string, string>;
  /** The parent a commit's state is built on: its first parent that descends from the trust root, else its first. */
  base(c: HistoryCommit): string | undefined;
}

/**
 * Classifies the history (oldest first, parents before children) against the trust root. A commit before the
 * trust root (one of its ancestors) is neither trusted nor foreign: it is taken as it is, like the root itself.
 */
export function classify(history: readonly HistoryCommit[], root: string | null): Topology {
  const bySha = new Map(history.map((c) => [c.sha, c]));
  const anchored = new Set<string>();
  const stack = root && bySha.has(root) ? [root] : [];
  while (stack.length > 0) {
    const sha = stack.pop() as string;
    if (anchored.has(sha)) continue;
    anchored.add(sha);
    for (const p of bySha.get(sha)?.parents ?? []) if (!anchored.has(p)) stack.push(p);
  }
  const trusted = new Set<string>();
  const foreign = new Map<string, string>();
  for (const c of history) {
    if (c.sha === root || c.parents.some((p) => trusted.has(p))) trusted.add(c.sha);
    if (anchored.has(c.sha)) continue;
    if (c.parents.length === 0) foreign.set(c.sha, c.sha);
    else if (c.parents.every((p) => foreign.has(p))) foreign.set(c.sha, foreign.get(c.parents[0] as string) as string);
    // A parent sharing history with the trust root anchors the commit: what it merges in is judged there.
    else anchored.add(c.sha);
  }
  return {
    trusted,
    foreign,
    base: (c) => (trusted.has(c.sha) ? c.parents.find((p) => trusted.has(p)) : undefined) ?? c.parents[0],
  };
}

/** The finding on a commit of a foreign history: its root, or a commit reached only through it. */
export function foreignFinding(c: HistoryCommit, origin: string, root: string | null): Finding {
  const trust = root ? `the trust root ${root.slice(0, 10)}` : "any trust root";
  return finding(
    c.sha,
    null,
    "foreign-root",
    origin === c.sha
      ? `Commit ${c.sha.slice(0, 10)} starts a history of its own, unrelated to ${trust} (merged in with --allow-unrelated-histories?): nothing in it is trusted.`
      : `Commit ${c.sha.slice(0, 10)} descends only from the foreign root ${origin.slice(0, 10)}, not from ${trust}: nothing it wrote is trusted.`,
  );
}
