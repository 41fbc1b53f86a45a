import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { expect } from "vitest";
import type { Core } from "../../electron/core/core";
import { git, isolatedGitContext } from "../../electron/core/gitops/git";
import { outboxOf } from "../../electron/core/gitops/outbox-registry";
import { pushBranch } from "../../electron/core/gitops/repo";
import { verifyRepo } from "../../electron/core/gitops/verify/verify";
import type { AppError } from "../../shared/contract/errors";

/**
 * Rewrites a ledger file on a laptop's working copy as `committer` (a plain local commit), then shows the ledger's
 * append-only rule: the push is refused naming the file, the remote is unchanged, and verify reports the commit
 * as `foreign-write`. Returns the findings' change ids.
 */
export async function expectRewriteRefused(
  core: Core,
  remote: string,
  path: string,
  edit: (text: string) => string,
  committer: string,
): Promise<(string | null)[]> {
  const ctx = isolatedGitContext();
  const dir = core.services.gitopsDir ?? expect.fail("this laptop has no GitOps repository");
  writeFileSync(join(dir, path), edit(readFileSync(join(dir, path), "utf8")));
  await git(ctx, dir, ["commit", "--quiet", "-am", "Tidy the ledger"], {
    env: { GIT_COMMITTER_EMAIL: committer, GIT_AUTHOR_EMAIL: committer },
  });
  const sha = (await git(ctx, dir, ["rev-parse", "HEAD"])).stdout.trim();
  const tip = async () => (await git(ctx, remote, ["rev-parse", "main"])).stdout.trim();
  const before = await tip();
  const repo = outboxOf(core.services)?.repo ?? expect.fail("this laptop has no GitOps repository");
  const error = await pushBranch(repo).then(
    () => null,
    (e: unknown) => e as AppError,
  );
  expect(error).toMatchObject({ code: "conflict", details: { reason: "foreign-write" } });
  expect(error?.message).toContain(path);
  expect(await tip()).toBe(before);
  const found = (await verifyRepo({ repo: dir, now: new Date(), ctx })).findings.filter(
    (f) => f.kind === "foreign-write",
  );
  expect(found.map((f) => f.commit)).toEqual([sha]);
  return found.map((f) => f.change);
}
