import { existsSync, readdirSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { AppError } from "../../../shared/contract/errors";
import { withTrailer } from "./commit";
import { git } from "./git";
import { translateGitFailure } from "./git-errors";
import type { GitopsRepo } from "./repo";
import { type Signer, withSigningSetup } from "./signing";

/** The trailer that ties a commit to its outbox row, so a restart can tell "committed" from "never made". */
export const INTENT_TRAILER = "Shiftgate-Intent";

/** Adds the intent trailer to a message's trailer block (or starts one). */
export function withIntentTrailer(message: string, id: string): string {
  return withTrailer(message, INTENT_TRAILER, id);
}

/** Intent id → commit sha for every commit reachable from ref that carries the trailer (none if ref is absent). */
export async function intentCommits(repo: GitopsRepo, ref: string): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  // One process: an absent ref (no remote branch yet, an empty repository) is git's "unknown revision", not a fault.
  const args = [
    "log",
    `--grep=^${INTENT_TRAILER}: `,
    `--format=%H%x1f%(trailers:key=${INTENT_TRAILER},valueonly,separator=%x2c)%x1e`,
    ref,
    "--",
  ];
  const out = await git(repo.ctx, repo.dir, args, { okCodes: [128] });
  if (out.code === 128) {
    if (/unknown revision|bad revision|does not have any commits/i.test(out.stderr)) return found;
    throw translateGitFailure({ args, stderr: out.stderr, stdout: out.stdout, code: out.code });
  }
  for (const record of out.stdout.split("\x1e")) {
    const [sha, ids] = record.trim().split("\x1f");
    if (!sha || !ids) continue;
    // Newest first: keep the newest commit for an id (a re-signed copy after a replay).
    for (const id of ids.split(",").map((s) => s.trim())) if (id && !found.has(id)) found.set(id, sha);
  }
  return found;
}

// A lock younger than this may belong to a git process still running: when the app is killed, the git it
// spawned is not, and finishes its commit on its own. Removing that lock would let us commit the same record twice.
const LIVE_LOCK_MS = 10_000;

function locksIn(repo: GitopsRepo): string[] {
  const gitDir = join(repo.dir, ".git");
  const candidates = [
    "index.lock",
    "HEAD.lock",
    "packed-refs.lock",
    "ORIG_HEAD.lock",
    `refs/heads/${repo.branch}.lock`,
  ];
  const found = candidates.map((c) => join(gitDir, c)).filter((f) => existsSync(f));
  if (existsSync(gitDir))
    for (const name of readdirSync(gitDir)) if (/^next-index-.*\.lock$/.test(name)) found.push(join(gitDir, name));
  return found;
}

function ageMs(file: string): number {
  try {
    return Date.now() - statSync(file).mtimeMs;
  } catch {
    return Number.POSITIVE_INFINITY;
  }
}

/**
 * Lock files a killed git process leaves behind. Only called when the app starts its outbox, before any git call
 * of its own: the working copy lives in the app's data folder and nothing else writes to it. A fresh lock is
 * waited for (its orphaned git finishing), an old one removed. File times are the file system's, so Date.now
 * compares against them rather than the injected clock.
 */
export async function clearStaleLocks(repo: GitopsRepo): Promise<readonly string[]> {
  const waitUntil = Date.now() + LIVE_LOCK_MS;
  while (locksIn(repo).some((f) => ageMs(f) < LIVE_LOCK_MS) && Date.now() < waitUntil)
    await new Promise((r) => setTimeout(r, 50));
  const stale = locksIn(repo);
  for (const f of stale) rmSync(f, { force: true });
  // A rebase or cherry-pick cut short leaves the branch detached or half-applied: abandon it, the rows redo it.
  for (const op of ["rebase", "cherry-pick"] as const)
    await git(repo.ctx, repo.dir, [op, "--abort"], { okCodes: [1, 128] }).catch(() => undefined);
  return stale;
}

/**
 * Whether the working copy has no edit at all, tracked or untracked (one `git status`). `lockFree` reads without
 * git's optional index refresh, which takes the index lock: for a reading made beside another git command.
 */
export async function workingCopyClean(repo: GitopsRepo, options: { lockFree?: boolean } = {}): Promise<boolean> {
  const { stdout } = await git(repo.ctx, repo.dir, ["status", "--porcelain", "--untracked-files=all"], {
    doing: "read the GitOps working copy",
    ...(options.lockFree ? { env: { GIT_OPTIONAL_LOCKS: "0" } } : {}),
  });
  return stdout.trim() === "";
}

/** Puts paths back as HEAD has them (untracked ones removed): undoes a half-made commit of those paths. */
export async function restorePaths(repo: GitopsRepo, paths: readonly string[]): Promise<void> {
  if (paths.length === 0) return;
  const opts = { okCodes: [1, 128] } as const;
  await git(repo.ctx, repo.dir, ["reset", "--quiet", "--", ...paths], opts);
  await git(repo.ctx, repo.dir, ["checkout", "--quiet", "HEAD", "--", ...paths], opts);
  await git(repo.ctx, repo.dir, ["clean", "--quiet", "-f", "--", ...paths], opts);
}

/** The key of each local commit's committer (named as the commit names them); refused when one is not on this laptop. */
export function committerKeys(
  local: readonly { readonly email: string; readonly name: string }[],
  signerOf: (email: string) => Signer | null,
): Map<string, Signer> {
  const keys = new Map<string, Signer>();
  for (const c of local) {
    const s = signerOf(c.email);
    if (!s)
      throw new AppError(
        "signing",
        `Another laptop pushed first, and ${c.email}'s commit must be signed again on top of it, but their key is not on this laptop.`,
        { reason: "missing-key" },
      );
    keys.set(c.email, { ...s, name: c.name });
  }
  return keys;
}

/**
 * Replays this laptop's unpushed commits on top of the fetched remote, each re-signed by its own committer's key
 * (a rebase would sign every commit as one person, which verify reports as signer-mismatch). On any failure the
 * branch is put back where it was.
 */
export async function replayLocal(
  repo: GitopsRepo,
  signerOf: (email: string) => Signer | null,
  skip: ReadonlySet<string> = new Set(),
  /** Commits whose files stand as they wrote them (a requester's later revision, revision-race.ts): sha → paths. */
  ours: ReadonlyMap<string, readonly string[]> = new Map(),
): Promise<void> {
  const upstream = `${repo.remote}/${repo.branch}`;
  const out = await git(repo.ctx, repo.dir, [
    "log",
    "--reverse",
    "--format=%H%x1f%ce%x1f%cn%x1f%cI",
    `${upstream}..HEAD`,
  ]);
  const local = out.stdout
    .split("\n")
    .filter(Boolean)
    .map((l) => {
      const [sha = "", email = "", name = "", date = ""] = l.split("\x1f");
      return { sha, email, name, date };
    })
    .filter((c) => !skip.has(c.sha));
  const signers = committerKeys(local, signerOf);
  const head = (await git(repo.ctx, repo.dir, ["rev-parse", "HEAD"])).stdout.trim();
  await git(repo.ctx, repo.dir, ["reset", "--quiet", "--hard", upstream]);
  try {
    for (const c of local) {
      const paths = ours.get(c.sha);
      await withSigningSetup(signers.get(c.email) as Signer, async (setup) => {
        // The replayed commit keeps the date it was made (the action's time), which verify judges by, as a rebase
        // with --committer-date-is-author-date does; git would otherwise date it now.
        const opts = { config: setup.config, env: { ...setup.env, GIT_COMMITTER_DATE: c.date } };
        if (!paths) {
          await git(repo.ctx, repo.dir, ["cherry-pick", "--allow-empty", c.sha], {
            ...opts,
            doing: "re-sign a commit on top of the GitOps remote",
          });
          return;
        }
        // The later revision's file is its own bytes, not a merge with the earlier one it replaces.
        await git(repo.ctx, repo.dir, ["cherry-pick", "--no-commit", "--strategy-option=theirs", c.sha], {
          okCodes: [1],
          doing: "replay a later revision on top of the GitOps remote",
        });
        await git(repo.ctx, repo.dir, ["checkout", c.sha, "--", ...paths]);
        await git(repo.ctx, repo.dir, ["commit", "--quiet", "--allow-empty", "--no-verify", "-C", c.sha], {
          ...opts,
          doing: "re-sign a later revision on top of the GitOps remote",
        });
      });
    }
  } catch (error) {
    await git(repo.ctx, repo.dir, ["cherry-pick", "--abort"], { okCodes: [1, 128] }).catch(() => undefined);
    await git(repo.ctx, repo.dir, ["reset", "--quiet", "--hard", head]);
    throw error;
  }
}
