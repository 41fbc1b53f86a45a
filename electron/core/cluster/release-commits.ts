import { existsSync } from "node:fs";
import { join } from "node:path";
import { matchesAny, parsePolicy } from "../../../shared/domain/policy/index";
import { type GitContext, git, isolatedGitContext } from "../gitops/git";
import { readHistory } from "../gitops/verify/history";
import { openObjectReader } from "../gitops/verify/object-reader";
import { kustomizationImages } from "./approved-state";

/** The latest release commit of one change in one environment, as post-release validation follows it. */
interface ReleaseCommit {
  readonly sha: string;
  readonly committedAt: Date;
  /** Images the commit introduced in the environment's kustomizations (those it did not already set). */
  readonly images: readonly string[];
  /**
   * Later commits that leave the environment's files as this release left them: Argo CD tracks the branch head,
   * so syncing any of them runs this release.
   */
  readonly sameAs: readonly string[];
}

/** Release commits per policy environment, then per `Change-Request` value. */
export type ReleaseIndex = ReadonlyMap<string, ReadonlyMap<string, ReleaseCommit>>;

/**
 * The release commits of a GitOps working copy, found by their `Change-Request` trailer among the commits that
 * touch each environment's paths. Reading the history costs a git process per call, so the index is kept until
 * the working copy's HEAD moves. Answers an empty index while there is no working copy.
 */
export function releaseCommitsOf(
  dir: string | null,
  ctx: GitContext = isolatedGitContext(),
): () => Promise<ReleaseIndex> {
  // The promise is kept, not its value: the service asks for every environment at once.
  let cached: { head: string; index: Promise<ReleaseIndex> } | null = null;
  return async () => {
    if (!dir || !existsSync(join(dir, ".git"))) return new Map();
    const head = (await git(ctx, dir, ["rev-parse", "--verify", "-q", "HEAD"], { okCodes: [1] })).stdout.trim();
    if (!head) return new Map();
    if (cached?.head !== head) {
      const entry = { head, index: readReleaseIndex(ctx, dir, head) };
      // A failed read (git busy, a half-written ref) is tried again on the next call rather than remembered.
      entry.index.catch(() => {
        if (cached === entry) cached = null;
      });
      cached = entry;
    }
    return cached.index;
  };
}

interface Draft {
  sha: string;
  committedAt: Date;
  paths: string[];
  sameAs: string[];
}

/** Reads the history at `rev` once and collects each environment's release commits. */
async function readReleaseIndex(ctx: GitContext, dir: string, rev: string): Promise<ReleaseIndex> {
  const reader = openObjectReader(ctx, dir);
  try {
    const [policyBlob] = await reader.readMany([`${rev}:.shiftgate/policy.yaml`]);
    if (!policyBlob) return new Map();
    const policy = parsePolicy(policyBlob.toString("utf8"));
    const history = await readHistory(ctx, dir, rev);
    const drafts = new Map<string, Map<string, Draft>>();
    for (const [environment, env] of Object.entries(policy.environments)) {
      const byChange = new Map<string, Draft>();
      let current: Draft | null = null;
      for (const commit of history) {
        const touched = commit.changes.filter((c) => matchesAny(c.path, env.paths));
        if (touched.length === 0) {
          current?.sameAs.push(commit.sha);
          continue;
        }
        const changeId = commit.trailers.get("change-request")?.[0] ?? null;
        current = null;
        if (changeId === null) continue;
        current = {
          sha: commit.sha,
          committedAt: new Date(commit.committedAt),
          paths: touched.filter((c) => c.blob !== null).map((c) => c.path),
          sameAs: [],
        };
        // A change released again (a corrected tag) is followed by its latest release commit.
        byChange.set(changeId, current);
      }
      drafts.set(environment, byChange);
    }
    const names = [...drafts.values()].flatMap((byChange) =>
      [...byChange.values()].flatMap((d) => d.paths.flatMap((p) => [`${d.sha}:${p}`, `${d.sha}^:${p}`])),
    );
    const texts = new Map<string, string>();
    (await reader.readMany(names)).forEach((buffer, i) => {
      if (buffer) texts.set(names[i] as string, buffer.toString("utf8"));
    });
    const index = new Map<string, Map<string, ReleaseCommit>>();
    for (const [environment, byChange] of drafts) {
      const out = new Map<string, ReleaseCommit>();
      for (const [changeId, d] of byChange) {
        const images = d.paths.flatMap((p) => {
          const before = new Set(kustomizationImages(texts.get(`${d.sha}^:${p}`) ?? ""));
          return kustomizationImages(texts.get(`${d.sha}:${p}`) ?? "").filter((i) => !before.has(i));
        });
        out.set(changeId, { sha: d.sha, committedAt: d.committedAt, images, sameAs: d.sameAs });
      }
      index.set(environment, out);
    }
    return index;
  } finally {
    reader.close();
  }
}
