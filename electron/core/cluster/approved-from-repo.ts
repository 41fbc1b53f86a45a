import { AppError } from "../../../shared/contract/index";
import { matchesAny, parsePolicy } from "../../../shared/domain/policy/index";
import type { GitContext } from "../gitops/git";
import { readHistory } from "../gitops/verify/history";
import { openObjectReader } from "../gitops/verify/object-reader";
import { approvedFromHistory } from "./approved-state";
import type { ApprovedEnvironment } from "./drift";
import { verifyWorkingCopy } from "./verified-copy";

/**
 * What approved changes allow in one environment of a GitOps working copy: `gitops verify` judges the history,
 * policy.yaml names the environment's paths, and the derivation collects approved images and revisions.
 * The drift check and post-release validation compare the cluster with this.
 */
export async function approvedFromRepo(options: {
  readonly ctx: GitContext;
  readonly dir: string;
  /** The environment's name in policy.yaml. */
  readonly environment: string;
  readonly now: Date;
  readonly rev?: string;
}): Promise<ApprovedEnvironment> {
  const rev = options.rev ?? "HEAD";
  const [history, unauthorised] = await Promise.all([
    readHistory(options.ctx, options.dir, rev),
    verifyWorkingCopy({ ctx: options.ctx, dir: options.dir, rev, now: options.now }),
  ]);
  const reader = openObjectReader(options.ctx, options.dir);
  try {
    const [policyBlob] = await reader.readMany([`${rev}:.shiftgate/policy.yaml`]);
    if (!policyBlob) throw new AppError("not-found", "The GitOps repository has no .shiftgate/policy.yaml.");
    const env = parsePolicy(policyBlob.toString("utf8")).environments[options.environment];
    if (!env) throw new AppError("not-found", `policy.yaml has no environment '${options.environment}'.`);
    const isEnvironmentPath = (path: string) => matchesAny(path, env.paths);
    const blobs = [
      ...new Set(
        history.flatMap((c) =>
          c.changes.filter((p) => p.blob !== null && isEnvironmentPath(p.path)).map((p) => p.blob as string),
        ),
      ),
    ];
    const texts = new Map<string, string>();
    (await reader.readMany(blobs)).forEach((buffer, i) => {
      if (buffer) texts.set(blobs[i] as string, buffer.toString("utf8"));
    });
    return approvedFromHistory({
      history,
      isEnvironmentPath,
      protectedEnvironment: env.protected,
      // One rule with post-release validation (verified-copy.ts): an emergency release whose review is overdue is still approved.
      rejected: new Set(unauthorised.keys()),
      readText: (blob) => texts.get(blob) ?? null,
    });
  } finally {
    reader.close();
  }
}
