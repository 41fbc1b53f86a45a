import { parseChange, writeChange } from "../../../shared/domain/policy/index";
import type { Clock } from "../clock";
import { commitFiles, type FileWrite } from "./commit";
import { git } from "./git";
import { gitFailureReason } from "./git-errors";
import { ensureClean, fetchRemote, type GitopsRepo, pushBranch, rebaseOnRemote } from "./repo";
import type { Signer } from "./signing";
import { nextChangeId } from "./writes";

interface LocalCommit {
  readonly sha: string;
  readonly date: string;
  readonly message: string;
  readonly files: readonly { readonly path: string; readonly blob: string | null }[];
}

const RS = "\x1e";
const US = "\x1f";

async function localCommits(repo: GitopsRepo, upstream: string): Promise<LocalCommit[]> {
  const out = await git(repo.ctx, repo.dir, [
    "log",
    "--reverse",
    "--raw",
    "--no-abbrev",
    "--no-renames",
    `--format=${RS}%H${US}%cI${US}%B${US}`,
    `${upstream}..HEAD`,
  ]);
  return out.stdout
    .split(RS)
    .filter(Boolean)
    .map((record) => {
      const [sha = "", date = "", message = "", raw = ""] = record.split(US);
      const files = raw
        .split("\n")
        .filter((l) => l.startsWith(":"))
        .map((l) => {
          const tab = l.indexOf("\t");
          const meta = l.slice(1, tab).split(" ");
          return { path: l.slice(tab + 1), blob: meta[4]?.startsWith("D") ? null : (meta[3] ?? null) };
        });
      return { sha, date, message, files };
    });
}

/**
 * Pushes this laptop's unpushed commits (the outbox's job). A submission committed offline whose number another
 * laptop has taken meanwhile is renumbered: the local commits are replayed on top of the remote, the colliding
 * change gets the next free number (its folder, its `id:` and the `Change-Request` trailers follow), each commit
 * re-signed by the signer. Returns the renumbering so the register can follow.
 */
export async function pushSubmissions(
  repo: GitopsRepo,
  signer: Signer,
  options: { readonly clock: Clock; readonly attempts?: number },
): Promise<{ readonly renumbered: Readonly<Record<string, string>> }> {
  await ensureClean(repo);
  const renumbered: Record<string, string> = {};
  const upstream = `${repo.remote}/${repo.branch}`;
  for (let attempt = 1; ; attempt++) {
    await fetchRemote(repo);
    const taken = new Set(
      (await git(repo.ctx, repo.dir, ["ls-tree", "--name-only", `${upstream}:changes`], { okCodes: [128] })).stdout
        .split("\n")
        .filter(Boolean),
    );
    const local = await localCommits(repo, upstream);
    const collides = local.some((c) =>
      c.files.some(
        (f) => f.blob && /^changes\/[^/]+\/change\.yaml$/.test(f.path) && taken.has(f.path.split("/")[1] ?? ""),
      ),
    );
    if (collides) await replay(repo, signer, upstream, local, taken, renumbered, options.clock);
    else await rebaseOnRemote(repo, signer);
    try {
      await pushBranch(repo);
      return { renumbered };
    } catch (error) {
      if (gitFailureReason(error) !== "non-fast-forward" || attempt >= (options.attempts ?? 8)) throw error;
    }
  }
}

async function replay(
  repo: GitopsRepo,
  signer: Signer,
  upstream: string,
  local: readonly LocalCommit[],
  taken: ReadonlySet<string>,
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
      let content = contents.get(f.blob) ?? "";
      if (id && taken.has(id) && !renumbered[id]) {
        renumbered[id] = nextChangeId(repo.dir, year);
        content = writeChange({ ...parseChange(content), id: renumbered[id] });
      }
      files.push({ path: remap(f.path), content: remap(content) });
    }
    if (files.length > 0) await commitFiles(repo, signer, files, remap(c.message), new Date(c.date));
  }
}
