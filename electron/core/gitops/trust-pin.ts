import { AppError } from "../../../shared/contract/errors";
import { type GitContext, git } from "./git";
import { FULL_SHA, TRUST_ROOT_PATH } from "./verify/trust-root";

/**
 * The working copy's connection settings live in its own git config (.git/config): nothing fetched from the
 * remote can change them, so the trust root pinned there holds against a rewritten remote.
 */
const PIN_KEY = "shiftgate.trustRoot";

interface RepoRef {
  readonly dir: string;
  readonly ctx: GitContext;
}

/** The trust root this laptop pinned for its working copy; undefined before the repository had a commit. */
export async function pinnedTrustRoot(repo: RepoRef): Promise<string | undefined> {
  const out = await git(repo.ctx, repo.dir, ["config", "--get", PIN_KEY], { okCodes: [1] });
  const sha = out.stdout.trim();
  return FULL_SHA.test(sha) ? sha : undefined;
}

/**
 * Pins the trust root when the repository is first created or connected (trust on first use): the committed
 * .shiftgate/trust-root of `rev` when it names one of rev's commits, else rev's only root commit. An existing pin
 * is kept. Returns the pin (null when `rev` has no commit yet).
 */
export async function pinTrustRoot(repo: RepoRef, rev = "HEAD"): Promise<string | null> {
  const existing = await pinnedTrustRoot(repo);
  if (existing) return existing;
  if (rev.startsWith("-") || !(await commitOf(repo, rev))) return null;
  const committed = (
    await git(repo.ctx, repo.dir, ["cat-file", "blob", `${rev}:${TRUST_ROOT_PATH}`], { okCodes: [128] })
  ).stdout
    .split("\n")[0]
    ?.trim();
  let pin = committed && FULL_SHA.test(committed) && (await isAncestor(repo, committed, rev)) ? committed : null;
  if (!pin) {
    const roots = (await git(repo.ctx, repo.dir, ["rev-list", "--max-parents=0", rev])).stdout.split("\n");
    const real = roots.filter(Boolean);
    pin = real.length === 1 ? (real[0] as string) : null;
  }
  if (pin) await git(repo.ctx, repo.dir, ["config", PIN_KEY, pin]);
  return pin;
}

/**
 * Checks a remote tip just fetched into `tracking` before anything follows it: it must descend from the pinned
 * trust root and from `seen`, the tip this laptop last had from (or pushed to) the remote. Otherwise the branch
 * was force-pushed or replaced: the remote-tracking branch is put back and the fetch refused, so the working
 * copy and the register stay as they were.
 */
export async function guardFetchedTip(repo: RepoRef, tracking: string, seen: string | null): Promise<void> {
  const tip = await commitOf(repo, tracking);
  if (!tip || tip === seen) return;
  const pin = (await pinTrustRoot(repo, seen ?? "HEAD")) ?? (await pinTrustRoot(repo, tip));
  const restore = async () => {
    if (seen) await git(repo.ctx, repo.dir, ["update-ref", tracking, seen]);
    else await git(repo.ctx, repo.dir, ["update-ref", "-d", tracking]);
  };
  if (pin && !(await isAncestor(repo, pin, tip))) {
    await restore();
    throw new AppError(
      "git-remote",
      `The GitOps remote's branch no longer starts from the trust root this laptop pinned (${pin.slice(0, 10)}): its history was replaced. Shiftgate did not take it; ask your Git administrator to restore the branch and protect it against force-pushes.`,
      { reason: "trust-root-missing", trustRoot: pin, remoteTip: tip },
    );
  }
  if (seen && !(await isAncestor(repo, seen, tip))) {
    await restore();
    throw new AppError(
      "git-remote",
      `The GitOps remote's branch was rewritten (force-pushed): commit ${seen.slice(0, 10)}, which this laptop already had from it, is gone. Shiftgate did not take the rewritten branch; ask your Git administrator to restore it and protect it against force-pushes.`,
      { reason: "history-rewritten", lastSeen: seen, remoteTip: tip },
    );
  }
}

/** The commit a revision names, or null when it names none. */
export async function commitOf(repo: RepoRef, rev: string): Promise<string | null> {
  const out = await git(repo.ctx, repo.dir, ["rev-parse", "--verify", "--quiet", `${rev}^{commit}`], {
    okCodes: [1, 128],
  });
  return out.code === 0 ? out.stdout.trim() : null;
}

async function isAncestor(repo: RepoRef, ancestor: string, of: string): Promise<boolean> {
  const out = await git(repo.ctx, repo.dir, ["merge-base", "--is-ancestor", ancestor, of], { okCodes: [1, 128] });
  return out.code === 0;
}
