import { existsSync } from "node:fs";
import { join } from "node:path";
import type { DriftItem } from "../../../shared/contract/methods/cluster";
import type { Clock } from "../clock";
import { type GitContext, git, isolatedGitContext } from "../gitops/git";
import type { Finding, FindingKind } from "../gitops/verify/findings";
import { verifyRepo } from "../gitops/verify/verify";
import { normaliseImage, sameRevision } from "./drift";

/** verify's error findings per commit of the working copy's history: a release commit with any is unauthorised. */
export type CommitFindings = ReadonlyMap<string, readonly Finding[]>;

/**
 * Judges the GitOps working copy as `gitops verify` does and keeps its error findings by commit, so post-release
 * validation can tell an authorised release from one that went out without the approvals its policy needs. The
 * verdict is kept until the working copy's HEAD moves; an empty map while there is no working copy.
 */
export function releaseFindingsOf(
  dir: string | null,
  clock: Clock,
  ctx: GitContext = isolatedGitContext(),
): () => Promise<CommitFindings> {
  let cached: { head: string; findings: Promise<CommitFindings> } | null = null;
  return async () => {
    if (!dir || !existsSync(join(dir, ".git"))) return new Map();
    const head = (await git(ctx, dir, ["rev-parse", "--verify", "-q", "HEAD"], { okCodes: [1] })).stdout.trim();
    if (!head) return new Map();
    if (cached?.head !== head) {
      const entry = { head, findings: judge(ctx, dir, head, clock.now()) };
      // A failed verify (git busy) is tried again on the next read rather than remembered.
      entry.findings.catch(() => {
        if (cached === entry) cached = null;
      });
      cached = entry;
    }
    return cached.findings;
  };
}

// An emergency release's retrospective review comes due after it went out under the emergency quorum: overdue, it
// is its own alert (home: overdue reviews), not evidence that the release lacked its approvals. Stale sync windows
// are the repository's state at its tip, reported there, not a fault of whichever commit happens to be the tip.
const LATER_OBLIGATIONS: ReadonlySet<FindingKind> = new Set(["review-overdue", "sync-windows-stale"]);

/** Whether a verify finding on a commit means the commit lacks what its policy needs (drift and releases alike). */
export function unauthorises(f: Finding): boolean {
  return f.severity === "error" && !LATER_OBLIGATIONS.has(f.kind);
}

async function judge(ctx: GitContext, dir: string, rev: string, now: Date): Promise<CommitFindings> {
  const verdict = await verifyRepo({ repo: dir, rev, now, ctx });
  const byCommit = new Map<string, Finding[]>();
  for (const f of verdict.findings) {
    if (!unauthorises(f)) continue;
    const list = byCommit.get(f.commit) ?? [];
    list.push(f);
    byCommit.set(f.commit, list);
  }
  return byCommit;
}

/** What post-release validation knows of one followed release when it judges its authority. */
export interface FollowedRelease {
  /** The release commit (not a later commit Argo CD may run in its place). */
  readonly sha: string;
  readonly images: readonly string[];
  /** The revision the cluster view judged the release at. */
  readonly revision: string;
}

/**
 * The evidence that a followed release is unauthorised, or null when it is authorised: verify's error findings on
 * its commit (quorum-not-met, rejected, stale-approval, outside-window, blackout, no-change-reference,
 * artifact-mismatch…), and drift the cluster shows at the release's revision or images (something other than what
 * was approved is running). The text is kept as the audit row's reason.
 */
export function unauthorisedEvidence(
  release: FollowedRelease,
  findings: CommitFindings,
  drift: readonly DriftItem[],
): string | null {
  const found = findings.get(release.sha) ?? [];
  const images = new Set(release.images.map(normaliseImage));
  const drifting = drift.filter((d) =>
    d.kind === "revision" ? sameRevision(d.running, release.revision) : images.has(normaliseImage(d.running)),
  );
  if (found.length === 0 && drifting.length === 0) return null;
  const parts = [...found.map((f) => `${f.kind}: ${f.message}`), ...drifting.map((d) => `drift: ${d.message}`)];
  return `Release ${release.sha.slice(0, 12)} is unauthorised; it went out without what its policy needs (${parts.join("; ")}). Roll it back, or record it failed.`.slice(
    0,
    2000,
  );
}
