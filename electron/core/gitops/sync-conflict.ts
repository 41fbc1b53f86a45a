import { AppError } from "../../../shared/contract/errors";
import type { GitopsConflictCommit, GitopsConflictFile } from "../../../shared/contract/methods/gitops";
import { parseAuditHead } from "../register/audit-anchors";
import { AUDIT_HEAD_TRAILER } from "./audit-anchors";
import { git } from "./git";
import { changeFolders, commitsSinceBase } from "./local-commits";
import { fetchRemote, type GitopsRepo } from "./repo";
import { revisionRaces } from "./revision-race";
import { supersededRecords } from "./superseded";
import { commitOf } from "./trust-pin";

// Beyond this many files the message names the first ones only; the details still carry every file.
const NAMED_FILES = 5;

/** Files git cannot merge between the two tips (a three-way merge computed in memory: nothing is written). */
async function unmergeable(repo: GitopsRepo, upstream: string): Promise<string[]> {
  const out = await git(
    repo.ctx,
    repo.dir,
    ["merge-tree", "--write-tree", "--name-only", "--no-messages", upstream, "HEAD"],
    { okCodes: [1], doing: "compare this laptop's commits with the GitOps remote" },
  );
  if (out.code === 0) return [];
  // First line: the tree with conflict markers; then one conflicted path per line.
  return [
    ...new Set(
      out.stdout
        .split("\n")
        .slice(1)
        .map((l) => l.trim())
        .filter(Boolean),
    ),
  ];
}

async function commitsTouching(repo: GitopsRepo, range: string, path: string): Promise<GitopsConflictCommit[]> {
  const out = await git(repo.ctx, repo.dir, [
    "log",
    `--format=%H%x1f%s%x1f%cn%x1f%ce%x1f%cI%x1f%(trailers:key=${AUDIT_HEAD_TRAILER},valueonly,separator=%x1d)%x1e`,
    range,
    "--",
    path,
  ]);
  return out.stdout
    .split("\x1e")
    .map((r) => r.trim())
    .filter(Boolean)
    .map((r) => {
      const [sha = "", subject = "", name = "", email = "", at = "", heads = ""] = r.split("\x1f");
      const head = heads.split("\x1d").map(parseAuditHead).find(Boolean) ?? null;
      return { sha, subject, name, email, at, laptop: head?.registerId ?? null };
    });
}

function who(commits: readonly GitopsConflictCommit[]): string {
  const people = [...new Map(commits.map((c) => [c.email, c])).values()].map(
    (c) => `${c.name} <${c.email}>${c.laptop ? ` on laptop ${c.laptop.slice(0, 8)}` : ""}`,
  );
  return people.length > 0 ? people.join(", ") : "nobody named";
}

/**
 * The files this laptop's unpushed commits and the fetched remote both changed in a way git cannot combine (a
 * submission that only lost its number is left out: the push renumbers it), with who changed each side. Reads only.
 */
export async function replayConflicts(repo: GitopsRepo): Promise<GitopsConflictFile[]> {
  const tracking = `refs/remotes/${repo.remote}/${repo.branch}`;
  const tip = await commitOf(repo, tracking);
  if (!tip) return [];
  const base = (await git(repo.ctx, repo.dir, ["merge-base", tracking, "HEAD"], { okCodes: [1] })).stdout.trim();
  const head = (await git(repo.ctx, repo.dir, ["rev-parse", "HEAD"])).stdout.trim();
  if (!base || base === head || base === tip) return [];
  // A change folder the remote created since the common base, which this laptop also created: the push renumbers it.
  const known = await changeFolders(repo, base);
  const taken = [...(await changeFolders(repo, tracking))].filter((id) => !known.has(id));
  const mine = await changeFolders(repo, "HEAD");
  const renumbered = (path: string) => {
    const id = /^changes\/([^/]+)\//.exec(path)?.[1];
    return !!id && taken.includes(id) && mine.has(id);
  };
  // A person's review the remote already holds from another laptop is not replayed (the push leaves it out): no conflict.
  const since = await commitsSinceBase(repo, tracking);
  const answered = new Set((await supersededRecords(repo, tracking, since)).map((s) => s.path));
  // One requester's two revisions of their own change: the later one stands, the push settles it (revision-race.ts).
  for (const race of await revisionRaces(repo, tracking, since)) answered.add(race.path);
  const files: GitopsConflictFile[] = [];
  for (const path of (await unmergeable(repo, tracking)).filter((p) => !renumbered(p) && !answered.has(p)))
    files.push({
      path,
      remote: await commitsTouching(repo, `${base}..${tip}`, path),
      local: await commitsTouching(repo, `${base}..HEAD`, path),
    });
  return files;
}

/** The conflict as an error naming the files, the people and the laptops; `outcome` says what became of this laptop. */
export function conflictError(files: readonly GitopsConflictFile[], outcome: string): AppError {
  const named = files.slice(0, NAMED_FILES).map((f) => f.path);
  const more = files.length > NAMED_FILES ? ` and ${files.length - NAMED_FILES} more` : "";
  return new AppError(
    "conflict",
    `Sync stopped: ${named.join(", ")}${more} changed both here and on the GitOps remote, and the two versions cannot be combined. ` +
      `On the remote: ${who(files.flatMap((f) => f.remote))}. Here, not yet pushed: ${who(files.flatMap((f) => f.local))}. ` +
      `${outcome} Agree with them which version stands; your Git administrator can then settle the file on the remote, and the next sync goes through.`,
    { reason: "sync-conflict", files },
  );
}

/**
 * Fetches and, before anything else happens, checks that this laptop's unpushed commits can be replayed on top of
 * what others pushed. When they cannot, the sync stops: the remote-tracking branch is put back so the working copy,
 * its refs and the register stay exactly as they were, and the error names the files, the people who signed each
 * side and the laptops (registers) their commits came from.
 */
export async function fetchOrStopOnConflict(repo: GitopsRepo): Promise<void> {
  const tracking = `refs/remotes/${repo.remote}/${repo.branch}`;
  const seen = await commitOf(repo, tracking);
  await fetchRemote(repo);
  const files = await replayConflicts(repo);
  if (files.length === 0) return;
  // Nothing of the remote's is taken: the next sync fetches it again and finds the same conflict until it is settled.
  if (seen) await git(repo.ctx, repo.dir, ["update-ref", tracking, seen]);
  else await git(repo.ctx, repo.dir, ["update-ref", "-d", tracking]);
  throw conflictError(
    files,
    "Nothing was changed on this laptop (register, outbox and working copy are as they were).",
  );
}
