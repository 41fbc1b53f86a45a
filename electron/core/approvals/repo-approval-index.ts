import { createHash } from "node:crypto";
import { type ApprovalDoc, parseApproval, parseApprovalFileName } from "../../../shared/domain/policy/index";
import { type GitContext, git } from "../gitops/git";
import { looseLine } from "../gitops/loose-diff";
import { readLooseObject, readRef } from "../gitops/refs";
import { judgeApprovalFile, type RepoApproval, readSigningKeys } from "../gitops/repo-approvals";
import { type ObjectReader, openObjectReader } from "../gitops/verify/object-reader";
import { type SignatureVerdict, signatureVerdicts } from "../gitops/verify/signatures";
import type { Trust } from "../identity/trust";

/** The approval files of one reading of the repository, by change number. */
interface ApprovalsAt {
  /** Names what was read (HEAD and the keys judged by): the same key, the same answers. */
  readonly key: string;
  approvals(number: string): readonly RepoApproval[];
}

/** A reading of no repository at all. */
export const NO_APPROVALS: ApprovalsAt = { key: "none", approvals: () => [] };

/**
 * Reads `changes/<ID>/approvals/*.yaml` as committed at the working copy's HEAD, each judged by the commit that last
 * wrote it. An unchanged repository is answered from memory (HEAD read from its files); a HEAD moved along a straight
 * line costs one `git log` of what moved (its new objects, loose, read from their files); any other move costs a
 * few processes for the whole repository (ls-tree, the log, one cat-file stream), never one per file.
 */
export interface RepoApprovalIndex {
  read(repoDir: string, trust: Trust): Promise<ApprovalsAt>;
}

interface FileEntry {
  readonly blob: string;
  /** The commit that last wrote this path, or null when the history does not show one. */
  readonly commit: string | null;
}

/** What the index knows about one working copy at one HEAD. */
interface Known {
  readonly repoDir: string;
  readonly head: string;
  readonly files: ReadonlyMap<string, FileEntry>;
  readonly trustKey: string;
  readonly byChange: ReadonlyMap<string, readonly RepoApproval[]>;
}

const APPROVAL_PATH = /^changes\/([^/]+)\/approvals\/([^/]+)$/;

/**
 * The index of one core. Nothing is served from memory unless HEAD is the same commit and the signing keys and
 * trust are the same: a new approval commit, a fetch that brings one, a reset or a rewritten key moves the key.
 * Parsed files (by blob id) and signature verdicts (by commit id, for one set of keys) are content-addressed.
 */
export function repoApprovalIndex(ctx: GitContext): RepoApprovalIndex {
  let known: Known | null = null;
  const docs = new Map<string, ApprovalDoc | null>();
  let verdicts = new Map<string, SignatureVerdict>();
  let verdictKeys = "";
  let queue: Promise<unknown> = Promise.resolve();

  const refresh = async (repoDir: string, trust: Trust): Promise<ApprovalsAt> => {
    // HEAD from the repository's files when they can say (every warm load and every click), else from git.
    const fromFiles = readRef(repoDir, "HEAD");
    const head =
      fromFiles === undefined
        ? (
            await git(ctx, repoDir, ["rev-parse", "--verify", "--quiet", "HEAD^{commit}"], { okCodes: [1, 128] })
          ).stdout.trim()
        : (fromFiles ?? "");
    if (!head) return NO_APPROVALS;
    const keys = readSigningKeys(repoDir);
    const keysKey = digest([...keys.allowed, ...keys.pgp.map((b) => b.toString("base64"))]);
    const trustKey = digest([keysKey, JSON.stringify(trust.signers), JSON.stringify(trust.pgpKeys)]);
    const same = known?.repoDir === repoDir ? known : null;
    if (same && same.head === head && same.trustKey === trustKey) return lookup(same);

    const files = same && same.head === head ? same.files : await filesAt(ctx, repoDir, head, same);
    if (keysKey !== verdictKeys) {
      verdicts = new Map();
      verdictKeys = keysKey;
    }
    // Objects just written (an own commit, its approval file) are loose: read from their files. git's reader is
    // started only for the rest, so a refresh whose objects are all loose or known spawns nothing.
    let open: ObjectReader | null = null;
    const reader = {
      readMany: async (names: readonly string[], type: "blob" | "commit"): Promise<(Buffer | null)[]> => {
        const found = names.map((n) => readLooseObject(repoDir, n, type) ?? null);
        const missing = names.filter((_, i) => found[i] === null);
        if (missing.length === 0) return found;
        open = open ?? openObjectReader(ctx, repoDir);
        const read = await open.readMany(missing);
        let next = 0;
        return found.map((f) => f ?? read[next++] ?? null);
      },
      close: () => open?.close(),
    };
    try {
      const blobs = [...new Set([...files.values()].map((f) => f.blob).filter((b) => !docs.has(b)))];
      (await reader.readMany(blobs, "blob")).forEach((bytes, i) => {
        docs.set(blobs[i] as string, parseOrNull(bytes));
      });
      const commits = [
        ...new Set([...files.values()].flatMap((f) => (f.commit && !verdicts.has(f.commit) ? [f.commit] : []))),
      ];
      if (commits.length > 0) {
        const raws = new Map<string, Buffer>();
        (await reader.readMany(commits, "commit")).forEach((raw, i) => {
          if (raw) raws.set(commits[i] as string, raw);
        });
        const judged = await signatureVerdicts({
          ctx,
          dir: repoDir,
          raws,
          allowedSigners: keys.allowed,
          pgpKeys: keys.pgp,
        });
        for (const [sha, v] of judged) verdicts.set(sha, v);
      }
    } finally {
      reader.close();
    }
    const byChange = new Map<string, RepoApproval[]>();
    for (const [path, file] of [...files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      const m = APPROVAL_PATH.exec(path);
      const number = m?.[1];
      const named = parseApprovalFileName(m?.[2] ?? "");
      const approval = docs.get(file.blob);
      // A malformed or misnamed file is gitops verify's finding; it cannot be a decision here.
      if (!number || !named || !approval) continue;
      if (approval.change !== number || named.scope !== approval.scope) continue;
      if (named.email.toLowerCase() !== approval.signer.email.toLowerCase()) continue;
      const verdict = file.commit ? (verdicts.get(file.commit) ?? null) : null;
      const list = byChange.get(number) ?? [];
      list.push(judgeApprovalFile(approval, file.commit, verdict, trust));
      byChange.set(number, list);
    }
    known = { repoDir, head, files, trustKey, byChange };
    return lookup(known);
  };

  return {
    read: (repoDir, trust) => {
      // One reading at a time: two loads at once must not interleave their updates of what is known.
      const next = queue.then(
        () => refresh(repoDir, trust),
        () => refresh(repoDir, trust),
      );
      queue = next.catch(() => undefined);
      return next;
    },
  };
}

function lookup(k: Known): ApprovalsAt {
  return { key: `${k.repoDir}\n${k.head}\n${k.trustKey}`, approvals: (number) => k.byChange.get(number) ?? [] };
}

function digest(parts: readonly string[]): string {
  const h = createHash("sha256");
  for (const p of parts) h.update(p).update("\0");
  return h.digest("hex");
}

function parseOrNull(bytes: Buffer | null): ApprovalDoc | null {
  if (!bytes) return null;
  try {
    return parseApproval(bytes.toString("utf8"));
  } catch {
    return null;
  }
}

/**
 * The approval files at `head` with the commit that last wrote each. When the previous HEAD is an ancestor, only
 * the commits between them are read (a path they wrote takes the newest of them); otherwise (first reading, a
 * reset, a rewritten history) the whole history of `changes/` is read once.
 */
async function filesAt(
  ctx: GitContext,
  repoDir: string,
  head: string,
  before: Known | null,
): Promise<ReadonlyMap<string, FileEntry>> {
  const moved = before ? await linearSince(ctx, repoDir, before, head) : null;
  if (moved) return moved;
  const listed = await git(ctx, repoDir, ["-c", "core.quotePath=false", "ls-tree", "-r", "-z", head, "--", "changes"], {
    doing: "read the approvals in the GitOps working copy",
  });
  const blobs = new Map<string, string>();
  for (const record of listed.stdout.split("\0")) {
    const tab = record.indexOf("\t");
    if (tab < 0) continue;
    const path = record.slice(tab + 1);
    const meta = record.slice(0, tab).split(" ");
    if (meta[1] === "blob" && meta[2] && APPROVAL_PATH.test(path)) blobs.set(path, meta[2]);
  }
  const ancestor =
    before !== null &&
    (await git(ctx, repoDir, ["merge-base", "--is-ancestor", before.head, head], { okCodes: [1, 128] })).code === 0;
  const writers = await lastWriters(ctx, repoDir, ancestor && before ? `${before.head}..${head}` : head);
  const files = new Map<string, FileEntry>();
  for (const [path, blob] of blobs) {
    const writer = writers.get(path);
    // A file is judged by the commit that wrote the very bytes HEAD holds: a writer whose version is not HEAD's (the
    // content came through a merge that shows no diff) vouches for nothing, and the file counts for nothing.
    const commit = writer
      ? writer.blob === blob
        ? writer.sha
        : null
      : ancestor
        ? (before?.files.get(path)?.commit ?? null)
        : null;
    files.set(path, { blob, commit });
  }
  return files;
}

/** Commits of a range that move past this many are read by the whole-repository path instead. */
const LINEAR_LIMIT = 2_000;
/** Loose commits read from their files before git is asked: a few clicks' worth. */
const LOOSE_LIMIT = 50;

/**
 * The files at `head` from what was known at an earlier HEAD, when `head` descends from it by a straight line of
 * single-parent commits (an own commit, a fast-forward pull): one `git log --raw` of the commits between them,
 * applied oldest first, so a path takes the newest commit that wrote it. Null when the line is not straight (a merge,
 * a reset, a rewritten history, a very long way): the caller then reads the whole repository. Each commit's parent
 * must be the next older one and the oldest's the known HEAD, so ancestry is shown by the log itself.
 */
async function linearSince(
  ctx: GitContext,
  repoDir: string,
  before: Known,
  head: string,
): Promise<ReadonlyMap<string, FileEntry> | null> {
  // Commits this laptop just made are loose objects: their trees say what they wrote without starting git.
  const loose = looseLine(repoDir, before.head, head, LOOSE_LIMIT);
  if (loose) return applyLine(before.files, loose);
  const commits = await rawLog(ctx, repoDir, [`--max-count=${LINEAR_LIMIT + 1}`, `${before.head}..${head}`], {
    okCodes: [128],
  });
  if (!commits || commits.length === 0 || commits.length > LINEAR_LIMIT || commits[0]?.sha !== head) return null;
  for (let i = 0; i < commits.length; i++) {
    const parents = commits[i]?.parents ?? [];
    const older = i + 1 < commits.length ? commits[i + 1]?.sha : before.head;
    if (parents.length !== 1 || parents[0] !== older) return null;
  }
  return applyLine(before.files, [...commits].reverse());
}

/** What was known, moved along commits (oldest first): a path takes the newest commit that wrote it. */
function applyLine(
  known: ReadonlyMap<string, FileEntry>,
  commits: readonly { readonly sha: string; readonly changes: readonly { path: string; blob: string | null }[] }[],
): Map<string, FileEntry> {
  const files = new Map(known);
  for (const commit of commits) {
    for (const change of commit.changes) {
      if (!APPROVAL_PATH.test(change.path)) continue;
      if (change.blob === null) files.delete(change.path);
      else files.set(change.path, { blob: change.blob, commit: commit.sha });
    }
  }
  return files;
}

/** One commit of a `git log --raw`, newest first, with what it wrote (a blob, or null for gone / not a file). */
interface LoggedCommit {
  readonly sha: string;
  readonly parents: readonly string[];
  readonly changes: readonly { readonly path: string; readonly blob: string | null }[];
}

/** One `git log --raw` (no renames, full ids), parsed; null when git refuses the range (an unknown commit). */
async function rawLog(
  ctx: GitContext,
  repoDir: string,
  args: readonly string[],
  options: { readonly okCodes?: readonly number[] } = {},
): Promise<LoggedCommit[] | null> {
  const out = await git(
    ctx,
    repoDir,
    ["-c", "core.quotePath=false", "log", "--raw", "--no-abbrev", "--no-renames", "--format=%x1e%H %P", ...args],
    { ...options, doing: "read the approvals in the GitOps working copy" },
  );
  if (out.code !== 0) return null;
  return out.stdout
    .split("\x1e")
    .slice(1)
    .map((record) => {
      const lines = record.split("\n");
      const [sha = "", ...parents] = (lines[0] ?? "").trim().split(" ");
      const changes = lines.slice(1).flatMap((line) => {
        const tab = line.indexOf("\t");
        if (!line.startsWith(":") || tab < 0) return [];
        // ":<old mode> <new mode> <old id> <new id> <status>": gone, or no longer a file (a submodule), is null.
        const [, newMode = "", , blob = "", status = ""] = line.slice(1, tab).split(" ");
        const gone = status.startsWith("D") || newMode === "160000" || newMode === "000000";
        return [{ path: line.slice(tab + 1), blob: gone ? null : blob }];
      });
      return { sha, parents: parents.filter(Boolean), changes };
    });
}

/**
 * The newest commit of `range` that changed each path under changes/, with the version it wrote (one `git log
 * --raw`). Topological order: a commit is never listed before one that descends from it, which commit dates alone do
 * not promise across a merge (commits made within one second, a skewed clock).
 */
async function lastWriters(
  ctx: GitContext,
  repoDir: string,
  range: string,
): Promise<Map<string, { readonly sha: string; readonly blob: string | null }>> {
  const writers = new Map<string, { readonly sha: string; readonly blob: string | null }>();
  for (const commit of (await rawLog(ctx, repoDir, ["--topo-order", range, "--", "changes"])) ?? []) {
    for (const change of commit.changes) {
      if (!writers.has(change.path)) writers.set(change.path, { sha: commit.sha, blob: change.blob });
    }
  }
  return writers;
}
