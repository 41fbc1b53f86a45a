import { existsSync } from "node:fs";
import { join } from "node:path";
import { simpleGit } from "simple-git";
import type { GitopsRepoState } from "../../../shared/contract/index";

/** Reads where the GitOps working copy stands; an absent or broken copy reports as not configured. */
export async function readRepoState(dir: string | null): Promise<GitopsRepoState> {
  const none: GitopsRepoState = { configured: false, path: dir, branch: null, head: null, remote: null };
  if (!dir || !existsSync(join(dir, ".git"))) return none;
  try {
    const git = simpleGit({ baseDir: dir });
    const [branch, head, remotes] = await Promise.all([
      git.revparse(["--abbrev-ref", "HEAD"]).catch(() => null),
      git.revparse(["HEAD"]).catch(() => null),
      git.getRemotes(true).catch(() => []),
    ]);
    const origin = remotes.find((r) => r.name === "origin") ?? remotes[0];
    return { configured: true, path: dir, branch, head, remote: origin?.refs.fetch ?? null };
  } catch {
    return none;
  }
}
