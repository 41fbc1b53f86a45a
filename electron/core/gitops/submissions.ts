import { AppError } from "../../../shared/contract/errors";
import type { Clock } from "../clock";
import { commitFiles, digestOf, type FileWrite } from "./commit";
import { git } from "./git";
import { gitFailureReason } from "./git-errors";
import { changeFolders, commitsSinceBase, type LocalCommit } from "./local-commits";
import { committerKeys, replayLocal } from "./outbox-git";
import { ensureClean, fetchRemote, type GitopsRepo, pushBranch, rebaseOnRemote } from "./repo";
import { revisionRaces } from "./revision-race";
import type { Signer } from "./signing";
import { type SupersededRecord, supersededRecords } from "./superseded";
import { nextChangeId } from "./writes";

/**
 * Pushes this laptop's unpushed commits (the outbox's job). A submission committed offline whose number another
 * laptop has taken meanwhile is renumbered: the local commits are replayed on top of the remote, the colliding
 * change gets the next free number (its folder, its `id:` and the `Change-Request` trailers follow), each commit
 * re-signed by its own committer's key (`signer`: one person's commits; or the key of each committer, as a laptop
 * where several people signed holds them). Returns the renumbering so the register can follow.
 */
export async function pushSubmissions(
  repo: GitopsRepo,
  signer: Signer | ((email: string) => Signer | null),
  options: {
    readonly clock: Clock;
    readonly attempts?: number;
    /** Numbers this laptop gave out that have no commit yet (intents waiting for a retry): never a new number. */
    readonly held?: () => Iterable<string>;
  },
): Promise<{
  readonly renumbered: Readonly<Record<string, string>>;
  readonly superseded: readonly SupersededRecord[];
}> {
  const signerOf = typeof signer === "function" ? signer : () => signer;
  await ensureClean(repo);
  const renumbered: Record<string, string> = {};
  const superseded: SupersededRecord[] = [];
  const upstream = `${repo.remote}/${repo.branch}`;
  for (let attempt = 1; ; attempt++) {
    await fetchRemote(repo);
    // A person's review the remote already holds from another laptop is not replayed: it would write their file twice.
    const since = await commitsSinceBase(repo, upstream);
    const answered = await supersededRecords(repo, upstream, since);
    superseded.push(...answered);
    // One requester's two revisions of their change: the later stands; an earlier one of ours is left out.
    const races = await revisionRaces(repo, upstream, since);
    superseded.push(...races.filter((r) => r.stands === "remote").map((r) => r.record));
    const skip = new Set([...answered, ...races.filter((r) => r.stands === "remote")].map((s) => s.sha));
    const ours = new Map<string, string[]>();
    for (const r of races.filter((x) => x.stands === "local")) ours.set(r.sha, [...(ours.get(r.sha) ?? []), r.path]);
    if (!since) throw new AppError("git", `The GitOps remote has no branch ${repo.branch} to push onto yet.`);
    const local = since.commits.filter((c) => !skip.has(c.sha));
    // Numbers the remote took since this laptop's last sync: a change.yaml this laptop adds under one of them is
    // a submission that lost the race, never an edit of the other laptop's change.
    const known = since.base ? await changeFolders(repo, since.base) : new Set<string>();
    const taken = new Set([...(await changeFolders(repo, upstream))].filter((id) => !known.has(id)));
    const collides = local.some((c) =>
      c.files.some(
        (f) => f.blob && /^changes\/[^/]+\/change\.yaml$/.test(f.path) && taken.has(f.path.split("/")[1] ?? ""),
      ),
    );
    const committers = [...new Set(local.map((c) => c.email))];
    if (collides) {
      const held = [...(options.held?.() ?? []), ...local.flatMap((c) => c.files.map((f) => changeOf(f.path)))];
      await replay(repo, committerKeys(local, signerOf), upstream, local, { taken, held }, renumbered, options.clock);
    } else if (committers.length === 1 && skip.size === 0 && ours.size === 0)
      await rebaseOnRemote(repo, committerKeys(local, signerOf).get(committers[0] ?? "") as Signer);
    // Several people's commits: each is signed again with its own committer's key, never one key for all.
    else await replayLocal(repo, (email) => committerKeys(local, signerOf).get(email) ?? null, skip, ours);
    try {
      await pushBranch(repo);
      return { renumbered, superseded };
    } catch (error) {
      if (gitFailureReason(error) !== "non-fast-forward" || attempt >= (options.attempts ?? 8)) throw error;
    }
  }
}

function changeOf(path: string): string {
  return /^changes\/([^/]+)\//.exec(path)?.[1] ?? "";
}

async function replay(
  repo: GitopsRepo,
  signers: ReadonlyMap<string, Signer>,
  upstream: string,
  local: readonly LocalCommit[],
  numbers: { readonly taken: ReadonlySet<string>; readonly held: readonly string[] },
  renumbered: Record<string, string>,
  clock: Clock,
): Promise<void> {
  const read = async (blob: string) => (await git(repo.ctx, repo.dir, ["cat-file", "blob", blob])).stdout;
  const contents = new Map<string, string>();
  for (const c of local) for (const f of c.files) if (f.blob) contents.set(f.blob, await read(f.blob));
  await git(repo.ctx, repo.dir, ["reset", "--quiet", "--hard", upstream]);
  const year = clock.now().getUTCFullYear();
  const remap = (text: string) => Object.entries(renumbered).reduce((t, [from, to]) => t.split(from).join(to), text);
  for (const c of local) {
    const files: FileWrite[] = [];
    for (const f of c.files) {
      if (!f.blob) continue;
      const id = /^changes\/([^/]+)\/change\.yaml$/.exec(f.path)?.[1];
      const content = contents.get(f.blob) ?? "";
      // Above the remote's numbers and every number of this laptop's own (the later local commits' changes keep
      // theirs; an intent still waiting for its commit keeps its one).
      if (id && numbers.taken.has(id) && !renumbered[id])
        renumbered[id] = nextChangeId(repo.dir, year, [...numbers.held, ...Object.values(renumbered)]);
      // Only the number moves: the change's own bytes stay as its requester wrote them (a change just submitted
      // has no risk class or implementer yet, so it is not parsed and written again).
      files.push({ path: remap(f.path), content: id ? renumberChangeYaml(content, renumbered) : remap(content) });
    }
    if (files.length > 0)
      await commitFiles(
        repo,
        signers.get(c.email) as Signer,
        rebindRequests(files),
        remap(c.message),
        new Date(c.date),
      );
  }
}

// A request for approval sent with its change names the change.yaml's digest: renumbered, it names the new bytes.
function rebindRequests(files: readonly FileWrite[]): FileWrite[] {
  return files.map((f) => {
    const id = /^changes\/([^/]+)\/requests\/[^/]+\.yaml$/.exec(f.path)?.[1];
    const change = id ? files.find((x) => x.path === `changes/${id}/change.yaml`) : undefined;
    if (!change) return f;
    return {
      ...f,
      content: f.content.replace(/^changeDigest: sha256:[0-9a-f]{64}$/m, `changeDigest: ${digestOf(change.content)}`),
    };
  });
}

/** The change.yaml with its top-level `id:` renumbered; the rest of the bytes unchanged. */
function renumberChangeYaml(text: string, renumbered: Readonly<Record<string, string>>): string {
  return text.replace(/^id:[ \t]*["']?([^"'\s]+)["']?[ \t]*$/m, (line, id: string) => {
    const to = renumbered[id];
    return to ? `id: ${to}` : line;
  });
}
