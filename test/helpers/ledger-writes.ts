// Writes straight into a GitOps working copy, past the core and its outbox: for tests that build a repository's
// history (another laptop's records, forged or racing commits, releases written by hand). The app itself writes
// the ledger only through the outbox (electron/core/gitops/outbox.ts); these helpers are not a second path for it.
import { existsSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import type { Clock } from "../../electron/core/clock";
import { commitFiles, digestOf, messageWithTrailers } from "../../electron/core/gitops/commit";
import { type GitContext, git } from "../../electron/core/gitops/git";
import { gitFailureReason } from "../../electron/core/gitops/git-errors";
import { assertPromoted } from "../../electron/core/gitops/promotion";
import { buildRelease, readPolicy } from "../../electron/core/gitops/release";
import { setImage } from "../../electron/core/gitops/release-image";
import { ensureClean, fetchRemote, type GitopsRepo, pushBranch, rebaseOnRemote } from "../../electron/core/gitops/repo";
import type { Signer } from "../../electron/core/gitops/signing";
import { pinTrustRoot } from "../../electron/core/gitops/trust-pin";
import { decisionWrite, nextChangeId, readChange, reviewWrite } from "../../electron/core/gitops/writes";
import { AppError } from "../../shared/contract/errors";
import { type ApprovalDoc, type ChangeDoc, type ReviewDoc, writeChange } from "../../shared/domain/policy/index";

/** Clones the remote into `dir` (or opens the working copy already there) and pins its trust root, as Connect does. */
export async function setupGitopsRepo(options: {
  /** Clone URL or local path of the remote. */
  readonly source: string;
  readonly dir: string;
  readonly branch?: string;
  readonly ctx: GitContext;
}): Promise<GitopsRepo> {
  const branch = options.branch ?? "main";
  const repo: GitopsRepo = { dir: options.dir, branch, remote: "origin", ctx: options.ctx };
  if (existsSync(join(options.dir, ".git"))) return openGitopsRepo(options.dir, options.ctx, branch);
  mkdirSync(dirname(options.dir), { recursive: true });
  await git(options.ctx, dirname(options.dir), ["clone", "--quiet", "--branch", branch, options.source, options.dir], {
    doing: "clone the GitOps repository",
  }).catch(async (error: unknown) => {
    // An empty remote has no branch yet: clone without one and start it locally.
    if (!(error instanceof AppError) || !/not found in upstream|Remote branch/i.test(String(error.details?.git)))
      throw error;
    await git(options.ctx, dirname(options.dir), ["clone", "--quiet", options.source, options.dir]);
    await git(options.ctx, options.dir, ["checkout", "--quiet", "-B", branch]);
  });
  await pinTrustRoot(repo);
  return repo;
}

/** Opens an existing working copy; fails with a clear message when the folder is not one. */
export async function openGitopsRepo(dir: string, ctx: GitContext, branch = "main"): Promise<GitopsRepo> {
  if (!existsSync(join(dir, ".git")))
    throw new AppError("git", `${dir} is not a GitOps working copy (no .git folder).`, { reason: "not-a-repository" });
  await git(ctx, dir, ["rev-parse", "--git-dir"], { doing: "open the GitOps working copy" });
  return { dir, branch, remote: "origin", ctx };
}

/** Pushes; when the remote moved on, fetches, rebases (re-signing) and pushes again. */
export async function pushWithRebase(repo: GitopsRepo, signer: Signer, attempts = 5): Promise<void> {
  for (let i = 1; ; i++) {
    try {
      await pushBranch(repo);
      return;
    } catch (error) {
      if (gitFailureReason(error) !== "non-fast-forward" || i >= attempts) throw error;
      await fetchRemote(repo);
      await rebaseOnRemote(repo, signer);
    }
  }
}

export interface Submitted {
  readonly id: string;
  readonly commit: string;
  readonly digest: string;
}

/**
 * Submits a change as a laptop without the app would: the next free number, a signed `changes/<ID>/change.yaml`
 * commit, pushed (unless `push: false`); a push refused because another laptop took the number retries with the next.
 */
export async function submitChange(
  repo: GitopsRepo,
  signer: Signer,
  draft: Omit<ChangeDoc, "id">,
  options: { readonly clock: Clock; readonly attempts?: number; readonly push?: boolean },
): Promise<Submitted> {
  await ensureClean(repo);
  const push = options.push ?? true;
  if (push) {
    await fetchRemote(repo);
    await rebaseOnRemote(repo, signer);
  }
  const year = options.clock.now().getUTCFullYear();
  for (let attempt = 1; ; attempt++) {
    const id = nextChangeId(repo.dir, year);
    const content = writeChange({ id, ...draft });
    const commit = await commitFiles(
      repo,
      signer,
      [{ path: `changes/${id}/change.yaml`, content }],
      messageWithTrailers(`Submit ${id}: ${draft.title}`, [["Change-Request", id]]),
    );
    if (!push) return { id, commit, digest: digestOf(content) };
    try {
      await pushBranch(repo);
      return { id, commit, digest: digestOf(content) };
    } catch (error) {
      if (gitFailureReason(error) !== "non-fast-forward" || attempt >= (options.attempts ?? 8)) throw error;
      await git(repo.ctx, repo.dir, ["reset", "--quiet", "--hard", "HEAD~1"]);
      await fetchRemote(repo);
      await rebaseOnRemote(repo, signer);
    }
  }
}

type DecisionWriteInput = Parameters<typeof decisionWrite>[1];

/** What one approval or rejection says; the digest defaults to the working copy's change.yaml. */
export type DecisionInput = Omit<DecisionWriteInput, "changeDigest"> & { readonly changeDigest?: string };

/** Commits one approval or rejection file, signed, with the contract's trailers (the outbox's own write). No push. */
export async function recordDecision(
  repo: GitopsRepo,
  signer: Signer,
  input: DecisionInput,
): Promise<{ readonly commit: string; readonly path: string; readonly approval: ApprovalDoc }> {
  await ensureClean(repo);
  const digest = input.changeDigest ?? readChange(repo, input.change).digest;
  const write = decisionWrite(signer, { ...input, changeDigest: digest });
  const commit = await commitFiles(repo, signer, write.files, write.message);
  return { commit, path: write.path, approval: write.approval };
}

/** Commits the reviewer's retrospective review file, signed. No push. */
export async function recordReview(repo: GitopsRepo, signer: Signer, review: ReviewDoc): Promise<string> {
  await ensureClean(repo);
  const write = reviewWrite(signer, review);
  return commitFiles(repo, signer, write.files, write.message);
}

/** Commits a release (the image pin in the environment's files) after the promotion rule, signed. No push. */
export async function releaseChange(
  repo: GitopsRepo,
  signer: Signer,
  input: Parameters<typeof buildRelease>[1] & { readonly date?: Date },
): Promise<string> {
  await ensureClean(repo);
  const { files, message } = buildRelease(repo.dir, input);
  if (input.digest)
    await assertPromoted(repo, readPolicy(repo.dir).environments, input.environment, input.image, input.digest);
  return commitFiles(repo, signer, files, message, input.date);
}

/** Sets `images[name=image].newTag` in a kustomization (a tag-only pin, for unprotected environments and fixtures). */
export function setImageTag(kustomization: string, image: string, newTag: string): string {
  return setImage(kustomization, image, { tag: newTag });
}
