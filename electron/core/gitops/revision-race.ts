import { changeFileOwner, sameEmail } from "../../../shared/domain/policy/index";
import { git } from "./git";
import type { SinceBase } from "./local-commits";
import type { GitopsRepo } from "./repo";
import type { SupersededRecord } from "./superseded";

/**
 * One requester revised the same change.yaml on two laptops before either synced (race seed 1833237449). Both
 * revisions are the owner's own signed commits, so nothing is lost whichever stands: the revision whose action came
 * later (its commit date, the core clock's time of the action, kept by every replay) stands, the other stays in
 * history. `local`: this laptop's revision is later and is replayed on top with its own bytes; `remote`: the
 * repository's is later and this laptop's commit is left out of the replay, like a superseded review.
 */
interface RevisionRace {
  readonly sha: string;
  readonly path: string;
  readonly stands: "local" | "remote";
  readonly record: SupersededRecord;
}

const US = "\x1f";

/** Revisions of this laptop (since the common base with `upstream`) that race the same owner's revision there. */
export async function revisionRaces(
  repo: GitopsRepo,
  upstream: string,
  since: SinceBase | null,
): Promise<RevisionRace[]> {
  if (!since?.base) return [];
  const { base } = since;
  const races: RevisionRace[] = [];
  for (const { sha, email, date: at, intent, files } of since.commits) {
    const paths = files
      .filter((f) => f.status === "M" && /^changes\/[^/]+\/change\.yaml$/.test(f.path))
      .map((f) => f.path);
    for (const path of paths) {
      const previous = await textAt(repo, base, path);
      const owner = previous === null ? null : changeFileOwner("change.yaml", previous);
      if (!owner || !sameEmail(owner, email)) continue;
      const theirs = await writers(repo, `${base}..${upstream}`, path);
      // Only the owner's own revisions race; anyone else's write there is a conflict that stops the sync.
      const [last] = theirs;
      if (!last || theirs.some((w) => !sameEmail(w.email, owner))) continue;
      const stands = Date.parse(at) > Date.parse(last.at) ? "local" : "remote";
      races.push({
        sha,
        path,
        stands,
        record: {
          kind: "revision",
          sha,
          intent,
          path,
          email,
          standing: { sha: last.sha, at: last.at, outcome: "revised", same: false },
        },
      });
    }
  }
  return races;
}

async function textAt(repo: GitopsRepo, rev: string, path: string): Promise<string | null> {
  const out = await git(repo.ctx, repo.dir, ["cat-file", "blob", `${rev}:${path}`], { okCodes: [1, 128] });
  return out.code === 0 ? out.stdout : null;
}

/** Who wrote the path in the range, newest first. */
async function writers(repo: GitopsRepo, range: string, path: string) {
  const out = await git(repo.ctx, repo.dir, ["log", `--format=%H${US}%ce${US}%cI`, range, "--", path]);
  return out.stdout
    .split("\n")
    .filter(Boolean)
    .map((l) => {
      const [sha = "", email = "", at = ""] = l.split(US);
      return { sha, email, at };
    });
}

/**
 * A revision not yet committed (its commit failed and waits for a retry) while a sync brought the same requester's
 * revision of the same change, made later on another laptop: committing it would put the earlier revision over the
 * later one. Null when there is no such later revision in HEAD.
 */
export async function laterRevisionInHead(
  repo: GitopsRepo,
  path: string,
  email: string,
  at: string,
): Promise<SupersededRecord | null> {
  if (!/^changes\/[^/]+\/change\.yaml$/.test(path)) return null;
  const [last] = await writers(repo, "HEAD", path);
  if (!last || !sameEmail(last.email, email) || Date.parse(last.at) <= Date.parse(at)) return null;
  const subject = await git(repo.ctx, repo.dir, ["log", "-1", "--format=%s", last.sha]);
  if (!subject.stdout.startsWith("Revise ")) return null;
  return {
    kind: "revision",
    sha: "",
    intent: null,
    path,
    email,
    standing: { sha: last.sha, at: last.at, outcome: "revised", same: false },
  };
}
