import { readFileSync } from "node:fs";
import { join } from "node:path";
import { inflateSync } from "node:zlib";

const SHA = /^[0-9a-f]{40}([0-9a-f]{24})?$/;
/** The largest object read from its loose file (header and content). */
const LOOSE_MAX_BYTES = 8 * 1024 * 1024;

function read(path: string): string | null | undefined {
  try {
    return readFileSync(path, "utf8");
  } catch (error) {
    // Absent: the ref is not there (or only packed). Anything else (a `.git` file of a linked worktree makes
    // `.git/HEAD` ENOTDIR, a permission problem): cannot tell.
    return (error as NodeJS.ErrnoException).code === "ENOENT" ? null : undefined;
  }
}

/**
 * The commit a ref names, read from the repository's own files instead of starting `git rev-parse` (an approval
 * click counts its processes): `HEAD` (attached or detached), else a full ref name, loose or in packed-refs. Null
 * when the ref does not exist; `undefined` when the files cannot say (a linked worktree, a reftable repository, a
 * symbolic ref other than HEAD): the caller asks git.
 */
export function readRef(dir: string, ref: string): string | null | undefined {
  const gitDir = join(dir, ".git");
  if (read(join(gitDir, "reftable", "tables.list")) !== null) return undefined;
  let name = ref;
  if (ref === "HEAD") {
    const head = read(join(gitDir, "HEAD"))?.trim();
    if (head === undefined || head === null) return undefined;
    if (SHA.test(head)) return head;
    if (!head.startsWith("ref: refs/")) return undefined;
    name = head.slice("ref: ".length);
  }
  if (!name.startsWith("refs/") || name.includes("..")) return undefined;
  const loose = read(join(gitDir, name));
  if (loose === undefined) return undefined;
  if (loose !== null) return SHA.test(loose.trim()) ? loose.trim() : undefined;
  const packed = read(join(gitDir, "packed-refs"));
  if (packed === undefined) return undefined;
  for (const line of (packed ?? "").split("\n")) {
    const [sha = "", at = ""] = line.split(" ");
    if (at === name && SHA.test(sha)) return sha;
  }
  return null;
}

/**
 * An object's content (its header checked and dropped) when it is stored loose in the working copy's own object
 * folder, as every object just written is; `undefined` when it is not there that way (packed, an alternate, a
 * linked worktree) or the header does not name `type`: the caller asks git.
 */
export function readLooseObject(dir: string, sha: string, type: "commit" | "blob" | "tree"): Buffer | undefined {
  if (!SHA.test(sha)) return undefined;
  let raw: Buffer;
  try {
    // Bounded: an object larger than any record, commit or folder Shiftgate writes is left to git's own reader,
    // not inflated on the core's thread.
    const file = readFileSync(join(dir, ".git", "objects", sha.slice(0, 2), sha.slice(2)));
    raw = inflateSync(file, { maxOutputLength: LOOSE_MAX_BYTES });
  } catch {
    return undefined;
  }
  const nul = raw.indexOf(0);
  if (nul < 0) return undefined;
  const [kind, size] = raw.subarray(0, nul).toString("latin1").split(" ");
  const body = raw.subarray(nul + 1);
  return kind === type && Number(size) === body.length ? body : undefined;
}

/**
 * The parents of a commit stored as a loose object (as every commit just made is), read from its file; `undefined`
 * when the object is not loose or not a commit (packed, or anything unexpected): the caller cannot rely on it.
 */
export function commitParents(dir: string, sha: string): string[] | undefined {
  const raw = readLooseObject(dir, sha, "commit");
  if (!raw) return undefined;
  const parents: string[] = [];
  // The header lines come first: tree, then one `parent` line per parent, then author.
  for (const line of raw.toString("utf8").split("\n")) {
    if (line.startsWith("tree ")) continue;
    if (!line.startsWith("parent ")) break;
    parents.push(line.slice("parent ".length));
  }
  return parents;
}
