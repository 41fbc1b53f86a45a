import { existsSync } from "node:fs";
import { join } from "node:path";
import type { GitopsRepoState } from "../../../shared/contract/index";
import { type GitContext, git, isolatedGitContext } from "./git";

/** Reads where the GitOps working copy stands; an absent or broken copy reports as not configured. */
export async function readRepoState(
  dir: string | null,
  ctx: GitContext = isolatedGitContext(),
): Promise<GitopsRepoState> {
  const none: GitopsRepoState = { configured: false, path: dir, branch: null, head: null, remote: null };
  if (!dir || !existsSync(join(dir, ".git"))) return none;
  try {
    const answer = async (args: readonly string[]) => {
      const out = await git(ctx, dir, args, { okCodes: [1, 128] });
      return out.code === 0 ? out.stdout.trim() : null;
    };
    const [branch, head, remotes] = await Promise.all([
      answer(["rev-parse", "--abbrev-ref", "HEAD"]),
      answer(["rev-parse", "HEAD"]),
      answer(["remote", "-v"]),
    ]);
    // `<name>\t<url> (fetch)` lines, as git shows them (url.insteadOf applied): origin's, else the first remote's.
    const urls = (remotes ?? "")
      .split("\n")
      .map((l) => /^(\S+)\t(.*) \(fetch\)$/.exec(l.trim()))
      .flatMap((m) => (m?.[1] && m[2] !== undefined ? [{ name: m[1], url: m[2] }] : []));
    const origin = urls.find((r) => r.name === "origin") ?? urls[0];
    return { configured: true, path: dir, branch: branch || null, head: head || null, remote: origin?.url ?? null };
  } catch {
    return none;
  }
}
