import { AppError } from "../../../shared/contract/errors";
import { changeFileOwner, ownerReadsText, sameEmail } from "../../../shared/domain/policy/index";
import { type GitContext, git } from "./git";
import { translateGitFailure } from "./git-errors";

/** One file a commit about to be pushed modifies or deletes without owning it. */
interface ForeignWrite {
  readonly commit: string;
  readonly committer: string;
  readonly path: string;
  /** Who may change the file; null when no one may (a new record is a new file). */
  readonly owner: string | null;
}

const RS = "\x1e";

/**
 * The commits `rev` has that `upstream` does not, checked against the ledger's append-only rule (the same rule as
 * `gitops verify`'s `foreign-write`): a file already in a change's folder is modified or deleted only by its owner.
 */
async function foreignWrites(
  ctx: GitContext,
  dir: string,
  upstream: string | null,
  rev = "HEAD",
): Promise<ForeignWrite[]> {
  const log = (range: readonly string[]) =>
    git(
      ctx,
      dir,
      ["log", "--raw", "--no-abbrev", "--no-renames", `--format=${RS}%H %ce`, ...range, "--", "changes/", "meetings/"],
      { okCodes: [128] },
    );
  // One process on every push: an upstream not fetched yet (git's "bad revision") means every commit is checked.
  let out = await log(upstream ? [rev, "--not", upstream] : [rev]);
  if (out.code === 128 && upstream) out = await log([rev]);
  if (out.code === 128) throw translateGitFailure({ args: ["log", rev], stderr: out.stderr, stdout: "", code: 128 });
  const found: ForeignWrite[] = [];
  for (const record of out.stdout.split(RS).filter(Boolean)) {
    const [head = "", ...lines] = record.split("\n");
    const [commit = "", committer = ""] = head.split(" ");
    for (const line of lines) {
      // :<old mode> <new mode> <old blob> <new blob> <status>\t<path>; only a file that existed can be rewritten.
      // A meeting record (meetings/<file>) has no owner who may change it: its rest is its own path.
      const m = /^:\d+ \d+ ([0-9a-f]+) [0-9a-f]+ ([MDT])\d*\t(changes\/[^/]+\/(.+)|(meetings\/.+))$/.exec(line);
      if (!m) continue;
      const [, oldBlob = "", , path = "", inChange, meeting = ""] = m;
      const rest = inChange ?? meeting;
      // The file's old text is read only where it names the owner (change.yaml, exception.yaml); an approval names
      // its approver in its path.
      const previous = ownerReadsText(rest) ? (await git(ctx, dir, ["cat-file", "blob", oldBlob])).stdout : "";
      const owner = changeFileOwner(rest, previous);
      if (!owner || !sameEmail(owner, committer)) found.push({ commit, committer, path, owner });
    }
  }
  return found;
}

/** Refuses to let `rev` leave this laptop when it would rewrite another person's file in the ledger. */
export async function assertAppendOnly(ctx: GitContext, dir: string, upstream: string | null): Promise<void> {
  const found = await foreignWrites(ctx, dir, upstream);
  if (found.length === 0) return;
  const list = found
    .map(
      (f) =>
        `${f.path} (commit ${f.commit.slice(0, 10)} by ${f.committer}; ${f.owner ? `only ${f.owner} may change it` : "no one may change it"})`,
    )
    .join("; ");
  throw new AppError(
    "conflict",
    `Nothing was pushed: ${found.length === 1 ? "a commit" : "commits"} on this laptop would rewrite files others own in the GitOps repository: ${list}. The ledger only grows; ask the owner to make the change, or discard the local commit.`,
    { reason: "foreign-write", files: found.map((f) => f.path) },
  );
}
