import { AppError } from "../../../shared/contract/errors";
import { git } from "./git";
import type { GitopsRepo } from "./repo";
import { type Signer, withSigningSetup } from "./signing";

/**
 * The release tag of a commit: a semver that grows with the release time (UTC), so Flux's `ref.semver` in Tag mode
 * follows the latest release: `v<year>.<month*100+day>.<hour*10000+minute*100+second>` (no leading zeros).
 */
function releaseTagName(committedAt: Date): string {
  const d = committedAt;
  return `v${d.getUTCFullYear()}.${(d.getUTCMonth() + 1) * 100 + d.getUTCDate()}.${d.getUTCHours() * 10000 + d.getUTCMinutes() * 100 + d.getUTCSeconds()}`;
}

/**
 * Tags a release commit with an annotated tag signed by the signer (SSH or OpenPGP, as their commits), for Flux's
 * `Tag`/`TagAndHEAD` verification. Returns the tag name; an existing tag is never moved.
 */
export async function tagRelease(repo: GitopsRepo, signer: Signer, rev: string, message: string): Promise<string> {
  if (rev.startsWith("-")) throw new AppError("invalid-input", `'${rev}' is not a revision.`);
  const commit = await git(repo.ctx, repo.dir, ["rev-parse", "--verify", "--quiet", `${rev}^{commit}`], {
    okCodes: [1],
    doing: "find the release commit",
  });
  const sha = commit.stdout.trim();
  if (!sha) throw new AppError("invalid-input", `There is no commit '${rev}' in ${repo.dir}.`);
  const at = (await git(repo.ctx, repo.dir, ["show", "-s", "--format=%cI", sha])).stdout.trim();
  const name = releaseTagName(new Date(at));
  const existing = await git(repo.ctx, repo.dir, ["rev-parse", "--verify", "--quiet", `refs/tags/${name}`], {
    okCodes: [1],
  });
  if (existing.stdout.trim())
    throw new AppError("conflict", `The release ${sha.slice(0, 10)} is already tagged ${name}; a tag is never moved.`);
  await withSigningSetup(signer, (setup) =>
    git(repo.ctx, repo.dir, ["tag", "-s", "-F", "-", name, sha], {
      input: message,
      config: setup.config,
      env: setup.env,
      doing: "make the signed release tag",
    }),
  );
  return name;
}
