import { lstatSync } from "node:fs";
import { join } from "node:path";
import { AppError } from "../../../shared/contract/errors";

// Git's own folder under any spelling a file system may fold onto it: case (".GIT"), Windows' trailing dots and
// spaces (".git. "), and the NTFS short name ("GIT~1").
const GIT_DIR = /^(\.git[. ]*|git~\d+)$/i;

/** Why a repository-relative path is refused, or null when it is a plain path inside the working copy. */
export function repoPathProblem(path: string): string | null {
  if (path.length === 0) return "it is empty";
  if (path.length > 1024) return "it is longer than 1024 characters";
  if (path.includes("\\")) return "it holds a backslash (use / between folders)";
  // Control characters (NUL among them) name no file a person would make and confuse git's path handling.
  if (/\p{Cc}/u.test(path)) return "it holds a control character";
  if (path.startsWith("/") || /^[A-Za-z]:/.test(path)) return "it is absolute (give it relative to the repository)";
  for (const segment of path.split("/")) {
    if (segment === "") return "it has an empty folder name (// or a trailing /)";
    if (segment === "." || segment === "..") return `it holds a '${segment}' folder`;
    if (GIT_DIR.test(segment)) return "it points into git's own .git folder";
  }
  return null;
}

/**
 * Why a plain path would still leave the working copy `dir`: a folder on the way that is a symbolic link (one
 * committed by another laptop could point into .git or outside the repository). Null when it stays inside.
 */
export function repoPathEscape(dir: string, path: string): string | null {
  const segments = path.split("/");
  for (let i = 1; i <= segments.length; i++) {
    const part = segments.slice(0, i).join("/");
    try {
      if (lstatSync(join(dir, part)).isSymbolicLink()) return `${part} is a symbolic link`;
    } catch {
      return null;
    }
  }
  return null;
}

/**
 * Checks a path the core is about to write into the GitOps working copy and returns it unchanged. Every writer
 * (change files, approvals, calendar publishing, the outbox) goes through this one check, so no spelling ("./",
 * "a/./b", "..", ".git/…") reaches a place a plain path check upstream meant to keep it out of.
 */
export function repoPath(path: string, dir?: string): string {
  const problem = repoPathProblem(path) ?? (dir === undefined ? null : repoPathEscape(dir, path));
  if (problem)
    throw new AppError(
      "invalid-input",
      `${JSON.stringify(path.slice(0, 200))} is not a file Shiftgate may write in the GitOps repository: ${problem}.`,
      { reason: "unsafe-path", path: path.slice(0, 1024) },
    );
  return path;
}
