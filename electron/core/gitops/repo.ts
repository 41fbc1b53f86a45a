import { AppError } from "../../../shared/contract/errors";
import { assertAppendOnly } from "./append-only";
import { type GitContext, git } from "./git";
import { type Signer, withSigningSetup } from "./signing";
import { commitOf, guardFetchedTip } from "./trust-pin";

/** A working copy of the GitOps repository on this laptop. */
export interface GitopsRepo {
  /** The working copy folder. */
  readonly dir: string;
  /** The branch Argo CD / Flux deploys from. */
  readonly branch: string;
  readonly remote: string;
  readonly ctx: GitContext;
}

/** Refuses to write into a working copy with edits nobody committed (they would be swept into a signed commit). */
export async function ensureClean(repo: GitopsRepo): Promise<void> {
  const { stdout } = await git(repo.ctx, repo.dir, ["status", "--porcelain", "--untracked-files=all"], {
    doing: "read the GitOps working copy",
  });
  if (stdout.trim()) {
    const files = stdout
      .trim()
      .split("\n")
      .slice(0, 5)
      .map((l) => l.slice(3));
    throw new AppError(
      "git",
      `The GitOps working copy has edits that are not committed (${files.join(", ")}); commit or discard them before Shiftgate writes to it.`,
      { reason: "dirty-working-copy", files },
    );
  }
}

/**
 * Fetches the branch from the remote. A fetched tip that does not descend from the pinned trust root and from the
 * tip this laptop last had is refused (and the remote-tracking branch put back): no rebase, sync or push follows it.
 */
export async function fetchRemote(repo: GitopsRepo): Promise<void> {
  const tracking = `refs/remotes/${repo.remote}/${repo.branch}`;
  const seen = await commitOf(repo, tracking);
  await git(repo.ctx, repo.dir, ["fetch", "--quiet", repo.remote, repo.branch], {
    doing: "fetch from the GitOps remote",
  });
  await guardFetchedTip(repo, tracking, seen);
}

/** True when the remote-tracking branch exists (a new, empty remote has none). */
async function hasUpstream(repo: GitopsRepo): Promise<boolean> {
  const out = await git(
    repo.ctx,
    repo.dir,
    ["rev-parse", "--verify", "--quiet", `refs/remotes/${repo.remote}/${repo.branch}`],
    {
      okCodes: [1],
    },
  );
  return out.code === 0;
}

/** Replays local commits on top of the fetched remote branch; rebased commits are re-signed by the signer. */
export async function rebaseOnRemote(repo: GitopsRepo, signer: Signer): Promise<void> {
  if (!(await hasUpstream(repo))) return;
  try {
    await withSigningSetup(signer, (setup) =>
      // A replayed commit keeps the date it was made (the action's time), which verify judges windows by.
      git(
        repo.ctx,
        repo.dir,
        ["rebase", "--quiet", "--committer-date-is-author-date", `${repo.remote}/${repo.branch}`],
        {
          config: setup.config,
          env: setup.env,
          doing: "rebase onto the GitOps remote",
        },
      ),
    );
  } catch (error) {
    await git(repo.ctx, repo.dir, ["rebase", "--abort"], { okCodes: [1, 128] });
    throw error;
  }
}

/** Pushes the branch; a refused push (non-fast-forward) or an unreachable remote throws a `git-remote` AppError. */
export async function pushBranch(repo: GitopsRepo, options: { readonly checked?: boolean } = {}): Promise<void> {
  // Every push, whatever path led to it, obeys the ledger's append-only rule first: checked here, or (`checked`: the
  // outgoing commits are all the outbox's own, each held to the same rule when it was made) already.
  if (!options.checked) await assertAppendOnly(repo.ctx, repo.dir, `refs/remotes/${repo.remote}/${repo.branch}`);
  await git(repo.ctx, repo.dir, ["push", "--quiet", repo.remote, `HEAD:refs/heads/${repo.branch}`], {
    doing: "push to the GitOps remote",
  });
}
