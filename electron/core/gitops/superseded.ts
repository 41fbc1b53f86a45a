import { isReviewFile, parseReview, sameEmail } from "../../../shared/domain/policy/index";
import { git } from "./git";
import type { SinceBase } from "./local-commits";
import type { GitopsRepo } from "./repo";

/**
 * A commit of this laptop that the ledger already answers: the same person's review of the same emergency reached
 * the remote first from another laptop (one person, two laptops, neither synced). A review is final, so the one the
 * remote holds stands; this laptop's commit is never replayed, which would write the person's file a second time.
 */
export interface SupersededRecord {
  /** A review (the default), or a requester's revision of their change.yaml that a later one replaced (revision-race.ts). */
  readonly kind?: "review" | "revision";
  readonly sha: string;
  /** The outbox row the commit was made for (its Shiftgate-Intent trailer), or null for a commit made elsewhere. */
  readonly intent: string | null;
  readonly path: string;
  readonly email: string;
  /** The remote's commit of the file, and what it says: what the person is told stands. */
  readonly standing: { readonly sha: string; readonly at: string; readonly outcome: string; readonly same: boolean };
}

/** What the commits `upstream` lacks (since the common base) and that the remote already answers, oldest first. */
export async function supersededRecords(
  repo: GitopsRepo,
  upstream: string,
  since: SinceBase | null,
): Promise<SupersededRecord[]> {
  if (!since?.base) return [];
  const { base } = since;
  const found: SupersededRecord[] = [];
  for (const { sha, email, intent, files } of since.commits) {
    // Only a commit that adds exactly one review file, its committer's own.
    const [file] = files;
    if (files.length !== 1 || !file?.blob || file.status !== "A") continue;
    const m = /^changes\/([^/]+)\/(.+)$/.exec(file.path);
    if (!m?.[1] || !m[2] || !isReviewFile(m[2])) continue;
    // The change was already in the ledger when this laptop last synced: the same change, not one renumbered since.
    if (!(await hasPath(repo, base, `changes/${m[1]}/change.yaml`))) continue;
    if (await hasPath(repo, base, file.path)) continue;
    const theirs = await blobAt(repo, upstream, file.path);
    if (theirs === null) continue;
    const standing = await standingReview(repo, upstream, file.path, theirs);
    if (!standing || !sameEmail(standing.email, email)) continue;
    found.push({
      sha,
      intent,
      path: file.path,
      email,
      standing: { sha: standing.sha, at: standing.at, outcome: standing.outcome, same: theirs.blob === file.blob },
    });
  }
  return found;
}

/**
 * A review not yet committed whose file the working copy already holds (a sync brought the same person's review from
 * another laptop meanwhile): committing it would write their file a second time. Null when the file is not there.
 */
export async function standingInHead(
  repo: GitopsRepo,
  path: string,
  content: string,
  email: string,
): Promise<SupersededRecord | null> {
  const rest = /^changes\/[^/]+\/(.+)$/.exec(path)?.[1];
  if (!rest || !isReviewFile(rest)) return null;
  const theirs = await blobAt(repo, "HEAD", path);
  if (!theirs) return null;
  const standing = await standingReview(repo, "HEAD", path, theirs);
  if (!standing) return null;
  return {
    sha: "",
    intent: null,
    path,
    email,
    standing: { sha: standing.sha, at: standing.at, outcome: standing.outcome, same: theirs.text === content },
  };
}

async function hasPath(repo: GitopsRepo, rev: string, path: string): Promise<boolean> {
  return (await git(repo.ctx, repo.dir, ["cat-file", "-e", `${rev}:${path}`], { okCodes: [1, 128] })).code === 0;
}

async function blobAt(repo: GitopsRepo, rev: string, path: string): Promise<{ blob: string; text: string } | null> {
  const blob = await git(repo.ctx, repo.dir, ["rev-parse", "--verify", "--quiet", `${rev}:${path}`], {
    okCodes: [1, 128],
  });
  if (blob.code !== 0) return null;
  const sha = blob.stdout.trim();
  return { blob: sha, text: (await git(repo.ctx, repo.dir, ["cat-file", "blob", sha])).stdout };
}

async function standingReview(repo: GitopsRepo, rev: string, path: string, theirs: { text: string }) {
  try {
    const review = parseReview(theirs.text, path);
    const log = await git(repo.ctx, repo.dir, ["log", "-1", "--format=%H%x1f%cI", rev, "--", path]);
    const [sha = "", at = ""] = log.stdout.trim().split("\x1f");
    return { sha, at, email: review.reviewer.email, outcome: review.outcome };
  } catch {
    // A file the remote holds that does not parse is verify's finding; this laptop's review is not held back for it.
    return null;
  }
}

/** What the person is told about their review that did not go out: which review stands, from when, and why. */
export function supersededReason(s: SupersededRecord): string {
  const change = /^changes\/([^/]+)\//.exec(s.path)?.[1] ?? s.path;
  if (s.kind === "revision")
    return (
      `Not sent: ${s.email} revised ${change} again on another laptop later, recorded in the GitOps repository at ${s.standing.at} (commit ${s.standing.sha.slice(0, 10)}). ` +
      "The later revision stands for every laptop and this laptop's register now shows it; this laptop's earlier revision stays in its register's audit trail only."
    );
  const same = s.standing.same ? "with the same content" : `(${s.standing.outcome})`;
  return (
    `Not sent: ${s.email} had already reviewed ${change} on another laptop ${same}, recorded in the GitOps repository at ${s.standing.at} (commit ${s.standing.sha.slice(0, 10)}). ` +
    "A review is final, so that review stands for every laptop; this laptop's review of the same change stays in its register's audit trail only."
  );
}
