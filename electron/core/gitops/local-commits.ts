import { git } from "./git";
import { INTENT_TRAILER } from "./outbox-git";
import type { GitopsRepo } from "./repo";

/** A file a local commit wrote: its status letter (A, M, D…) and its new blob (null when deleted). */
interface LocalFile {
  readonly status: string;
  readonly path: string;
  readonly blob: string | null;
}

/** One of this laptop's commits the remote does not have. */
export interface LocalCommit {
  readonly sha: string;
  readonly email: string;
  readonly name: string;
  readonly date: string;
  readonly message: string;
  /** The outbox row the commit was made for (its Shiftgate-Intent trailer), or null for a commit made elsewhere. */
  readonly intent: string | null;
  readonly files: readonly LocalFile[];
}

/** The commits `upstream` lacks, oldest first, and the common base they start from ("" when there is none). */
export interface SinceBase {
  readonly base: string;
  readonly commits: readonly LocalCommit[];
}

const RS = "\x1e";
const US = "\x1f";

/**
 * This laptop's commits since the common base with `upstream`, read by one `git log` (the push round, the
 * superseded-review and revision-race checks and the conflict report all judge the same list). Null when
 * `upstream` does not exist yet.
 */
export async function commitsSinceBase(repo: GitopsRepo, upstream: string): Promise<SinceBase | null> {
  const exists = await git(repo.ctx, repo.dir, ["rev-parse", "--verify", "--quiet", upstream], { okCodes: [1, 128] });
  if (exists.code !== 0) return null;
  const base = (await git(repo.ctx, repo.dir, ["merge-base", upstream, "HEAD"], { okCodes: [1] })).stdout.trim();
  const out = await git(repo.ctx, repo.dir, [
    "log",
    "--reverse",
    "--raw",
    "--no-abbrev",
    "--no-renames",
    `--format=${RS}%H${US}%ce${US}%cn${US}%cI${US}%(trailers:key=${INTENT_TRAILER},valueonly,separator=%x2c)${US}%B${US}`,
    `${upstream}..HEAD`,
  ]);
  const commits = out.stdout
    .split(RS)
    .filter(Boolean)
    .map((record): LocalCommit => {
      const [sha = "", email = "", name = "", date = "", intents = "", message = "", raw = ""] = record.split(US);
      const files = raw
        .split("\n")
        .filter((l) => l.startsWith(":"))
        .map((l): LocalFile => {
          const tab = l.indexOf("\t");
          const [, , , blob = "", status = ""] = l.slice(1, tab).split(" ");
          return { status, path: l.slice(tab + 1), blob: status.startsWith("D") ? null : blob };
        });
      return { sha, email, name, date, message, intent: intents.trim().split(",")[0]?.trim() || null, files };
    });
  return { base, commits };
}

/** The change folders (numbers) a revision holds. */
export async function changeFolders(repo: GitopsRepo, rev: string): Promise<Set<string>> {
  const out = await git(repo.ctx, repo.dir, ["ls-tree", "--name-only", `${rev}:changes`], { okCodes: [128] });
  return new Set(out.stdout.split("\n").filter(Boolean));
}
