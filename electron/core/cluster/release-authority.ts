import { existsSync } from "node:fs";
import { join } from "node:path";
import type { DriftItem } from "../../../shared/contract/methods/cluster";
import type { Clock } from "../clock";
import { type GitContext, git, isolatedGitContext } from "../gitops/git";
import { normaliseImage, sameRevision } from "./drift";
import { type CommitFindings, verifyWorkingCopy } from "./verified-copy";

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
      const entry = { head, findings: verifyWorkingCopy({ ctx, dir, rev: head, now: clock.now() }) };
      // A failed verify (git busy) is tried again on the next read rather than remembered.
      entry.findings.catch(() => {
        if (cached === entry) cached = null;
      });
      cached = entry;
    }
    return cached.findings;
  };
}

/** What post-release validation knows of one followed release when it judges its authority. */
interface FollowedRelease {
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
