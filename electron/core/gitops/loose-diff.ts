import { readLooseObject } from "./refs";

/** One path a commit wrote: its new blob, or null when the commit removed it (or it is no longer a file). */
interface PathChange {
  readonly path: string;
  readonly blob: string | null;
}

/** A commit of a straight line and the paths it changed against its one parent. */
interface LooseCommit {
  readonly sha: string;
  readonly changes: readonly PathChange[];
}

const TREE_MODE = "40000";
const GITLINK_MODE = "160000";

interface TreeEntry {
  readonly mode: string;
  readonly id: string;
}

function parseTree(raw: Buffer, idBytes: number): Map<string, TreeEntry> | undefined {
  const entries = new Map<string, TreeEntry>();
  let at = 0;
  while (at < raw.length) {
    const space = raw.indexOf(0x20, at);
    const nul = raw.indexOf(0, space + 1);
    if (space < 0 || nul < 0 || nul + 1 + idBytes > raw.length) return undefined;
    const mode = raw.subarray(at, space).toString("latin1");
    const name = raw.subarray(space + 1, nul).toString("utf8");
    entries.set(name, { mode, id: raw.subarray(nul + 1, nul + 1 + idBytes).toString("hex") });
    at = nul + 1 + idBytes;
  }
  return entries;
}

/**
 * The paths that differ between two trees, read from loose objects only, descending only into subtrees whose ids
 * differ (a commit that writes one file reads one tree per folder on its path). `undefined` when an object needed
 * is not loose: the caller asks git.
 */
function diffTrees(dir: string, from: string | null, to: string | null, prefix: string, out: PathChange[]): boolean {
  const idBytes = (from ?? to ?? "").length / 2;
  const read = (id: string | null) => {
    if (id === null) return new Map<string, TreeEntry>();
    const raw = readLooseObject(dir, id, "tree");
    return raw ? parseTree(raw, idBytes) : undefined;
  };
  const a = read(from);
  const b = read(to);
  if (!a || !b) return false;
  for (const name of new Set([...a.keys(), ...b.keys()])) {
    const was = a.get(name);
    const is = b.get(name);
    if (was && is && was.id === is.id && was.mode === is.mode) continue;
    const path = `${prefix}${name}`;
    const wasTree = was?.mode === TREE_MODE;
    const isTree = is?.mode === TREE_MODE;
    if (wasTree || isTree) {
      if (!diffTrees(dir, wasTree ? (was?.id ?? null) : null, isTree ? (is?.id ?? null) : null, `${path}/`, out))
        return false;
    }
    if (is && !isTree) out.push({ path, blob: is.mode === GITLINK_MODE ? null : is.id });
    else if (was && !wasTree) out.push({ path, blob: null });
  }
  return true;
}

function headerOf(raw: Buffer): { tree: string; parents: string[] } | undefined {
  let tree = "";
  const parents: string[] = [];
  for (const line of raw.toString("utf8").split("\n")) {
    if (line.startsWith("tree ")) tree = line.slice(5);
    else if (line.startsWith("parent ")) parents.push(line.slice(7));
    else break;
  }
  return tree ? { tree, parents } : undefined;
}

/**
 * The commits from `from` (exclusive) to `to`, oldest first, each with the paths it changed, when every one is a
 * loose single-parent commit on a straight line down to `from` (as the commits this laptop just made are), and at
 * most `limit` of them. `undefined` otherwise (packed objects, a merge, a line that does not reach `from`): the
 * caller reads the history with git instead.
 */
export function looseLine(dir: string, from: string, to: string, limit: number): LooseCommit[] | undefined {
  const line: { sha: string; tree: string; parent: string }[] = [];
  let at = to;
  while (at !== from) {
    if (line.length >= limit) return undefined;
    const raw = readLooseObject(dir, at, "commit");
    const header = raw ? headerOf(raw) : undefined;
    const parent = header?.parents.length === 1 ? header.parents[0] : undefined;
    if (!header || !parent) return undefined;
    line.push({ sha: at, tree: header.tree, parent });
    at = parent;
  }
  if (line.length === 0) return undefined;
  const commits: LooseCommit[] = [];
  for (const c of line.reverse()) {
    const parentRaw = readLooseObject(dir, c.parent, "commit");
    const parentTree = parentRaw ? headerOf(parentRaw)?.tree : undefined;
    if (!parentTree) return undefined;
    const changes: PathChange[] = [];
    if (!diffTrees(dir, parentTree, c.tree, "", changes)) return undefined;
    commits.push({ sha: c.sha, changes });
  }
  return commits;
}
