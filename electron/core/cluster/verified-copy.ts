import { type GitContext, git } from "../gitops/git";
import { pinnedTrustRoot } from "../gitops/trust-pin";
import type { Finding, FindingKind } from "../gitops/verify/findings";
import { verifyRepo } from "../gitops/verify/verify";

// An emergency release's retrospective review comes due after it went out under the emergency quorum: overdue, it
// is its own alert (home: overdue reviews), not evidence that the release lacked its approvals. Stale sync windows
// and Flux keys that drifted are the repository's state at its tip, reported there, not a fault of whichever commit
// happens to be the tip.
const LATER_OBLIGATIONS: ReadonlySet<FindingKind> = new Set([
  "review-overdue",
  "sync-windows-stale",
  "flux-keys-drift",
]);

/** Whether a verify finding on a commit means the commit lacks what its policy needs (drift and releases alike). */
export function unauthorises(f: Finding): boolean {
  return f.severity === "error" && !LATER_OBLIGATIONS.has(f.kind);
}

/** verify's unauthorising findings per commit of the working copy's history. */
export type CommitFindings = ReadonlyMap<string, readonly Finding[]>;

/**
 * Judges the GitOps working copy as `gitops verify` does, from the trust root this laptop pinned (its .git/config),
 * not the one committed in the history: a forger can commit a pin of their own. When the history does not descend
 * from that pin, verify can judge none of it, so every commit carries the `trust-root-missing` finding: nothing in
 * a rewritten history is approved, whatever it says of itself.
 */
export async function verifyWorkingCopy(options: {
  readonly ctx: GitContext;
  readonly dir: string;
  readonly rev: string;
  readonly now: Date;
}): Promise<CommitFindings> {
  const { ctx, dir, rev, now } = options;
  const trustRoot = await pinnedTrustRoot({ ctx, dir });
  const verdict = await verifyRepo({ repo: dir, rev, now, ctx, trustRoot });
  const byCommit = new Map<string, Finding[]>();
  const add = (sha: string, f: Finding) => {
    const list = byCommit.get(sha) ?? [];
    list.push(f);
    byCommit.set(sha, list);
  };
  const voiding = verdict.findings.find((f) => f.kind === "trust-root-missing");
  if (voiding) {
    const all = (await git(ctx, dir, ["rev-list", rev])).stdout.split("\n").filter(Boolean);
    for (const sha of all) add(sha, voiding);
    return byCommit;
  }
  for (const f of verdict.findings) if (unauthorises(f)) add(f.commit, f);
  return byCommit;
}
