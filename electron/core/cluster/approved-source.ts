import { existsSync } from "node:fs";
import { join } from "node:path";
import type { EnvironmentName } from "../../../shared/contract/methods/cluster";
import type { Clock } from "../clock";
import { type GitContext, git, isolatedGitContext } from "../gitops/git";
import { approvedFromRepo } from "./approved-from-repo";
import type { ApprovedEnvironment } from "./drift";

/**
 * What the GitOps repository's verified history approves per environment, for the drift check. Verifying the
 * history is the expensive part, so the answer is kept until the working copy's HEAD moves.
 */
export function approvedFromWorkingCopy(
  dir: string | null,
  clock: Clock,
  ctx: GitContext = isolatedGitContext(),
): (environment: EnvironmentName) => Promise<ApprovedEnvironment | null> {
  // One entry per environment at the current HEAD (the view asks for every environment at once, so the promise
  // is kept); a new HEAD starts afresh.
  let cache: { head: string; byEnvironment: Map<EnvironmentName, Promise<ApprovedEnvironment>> } | null = null;
  return async (environment) => {
    if (!dir || !existsSync(join(dir, ".git"))) return null;
    const head = (await git(ctx, dir, ["rev-parse", "--verify", "-q", "HEAD"], { okCodes: [1] })).stdout.trim();
    if (!head) return null;
    if (cache?.head !== head) cache = { head, byEnvironment: new Map() };
    const entries = cache.byEnvironment;
    let approved = entries.get(environment);
    if (!approved) {
      approved = approvedFromRepo({ ctx, dir, environment, now: clock.now(), rev: head });
      entries.set(environment, approved);
      approved.catch(() => entries.delete(environment));
    }
    return approved;
  };
}
