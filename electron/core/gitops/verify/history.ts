import { AppError } from "../../../../shared/contract/errors";
import { type GitContext, git } from "../git";

/** One path a commit changed (against its first parent), with the blob it now holds (null when deleted). */
export interface PathChange {
  readonly path: string;
  readonly blob: string | null;
}

/** A commit as the verifier reads it from the one `git log` call. */
export interface HistoryCommit {
  readonly sha: string;
  readonly parents: readonly string[];
  readonly committerEmail: string;
  readonly committerName: string;
  /** Committer date, RFC 3339 with the committer's offset. */
  readonly committedAt: string;
  readonly trailers: ReadonlyMap<string, readonly string[]>;
  readonly changes: readonly PathChange[];
}

const RS = "\x1e";
const US = "\x1f";
const ZERO = /^0+$/;

/**
 * Reads the whole history reachable from `rev`, oldest first (parents before children), with each commit's
 * trailers and changed paths, in ONE git process: `--raw` gives the new blob id of every changed path, so
 * the verifier never has to list trees.
 */
export async function readHistory(ctx: GitContext, dir: string, rev: string): Promise<readonly HistoryCommit[]> {
  const format = `${RS}%H${US}%P${US}%ce${US}%cn${US}%cI${US}%(trailers:only,unfold)${US}`;
  const out = await git(
    ctx,
    dir,
    [
      "-c",
      "core.quotePath=false",
      "log",
      "--topo-order",
      "--reverse",
      "--raw",
      "--no-abbrev",
      "--no-renames",
      "--diff-merges=first-parent",
      `--format=${format}`,
      rev,
      "--",
    ],
    { doing: `read the history of ${rev}` },
  ).catch((error: unknown) => {
    if (
      error instanceof AppError &&
      /unknown revision|bad revision|ambiguous argument/i.test(String(error.details?.git))
    )
      throw new AppError("invalid-input", `${rev} is not a commit in ${dir}.`);
    throw error;
  });
  const commits: HistoryCommit[] = [];
  for (const record of out.stdout.split(RS)) {
    if (!record) continue;
    const fields = record.split(US);
    const [sha = "", parents = "", email = "", name = "", date = "", trailerText = "", rest = ""] = fields;
    commits.push({
      sha,
      parents: parents ? parents.split(" ") : [],
      committerEmail: email,
      committerName: name,
      committedAt: date,
      trailers: parseTrailers(trailerText),
      changes: parseRaw(rest),
    });
  }
  return commits;
}

/**
 * The paths `to` changed against `from` (any commit, not only its first parent), in the same shape as the
 * history's own changes: a merge is judged against the parent that descends from the trust root.
 */
export async function readDiff(ctx: GitContext, dir: string, from: string, to: string): Promise<readonly PathChange[]> {
  const out = await git(
    ctx,
    dir,
    ["-c", "core.quotePath=false", "diff-tree", "-r", "--raw", "--no-abbrev", "--no-renames", from, to, "--"],
    { doing: `compare ${to} with ${from}` },
  );
  return parseRaw(out.stdout);
}

function parseTrailers(text: string): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const line of text.split("\n")) {
    const at = line.indexOf(":");
    if (at <= 0) continue;
    const key = line.slice(0, at).trim().toLowerCase();
    const list = map.get(key) ?? [];
    list.push(line.slice(at + 1).trim());
    map.set(key, list);
  }
  return map;
}

function parseRaw(text: string): PathChange[] {
  const changes: PathChange[] = [];
  for (const line of text.split("\n")) {
    if (!line.startsWith(":")) continue;
    const tab = line.indexOf("\t");
    const meta = line.slice(1, tab).split(" ");
    const blob = meta[3] ?? "";
    const status = meta[4] ?? "";
    changes.push({ path: line.slice(tab + 1), blob: status.startsWith("D") || ZERO.test(blob) ? null : blob });
  }
  return changes;
}
