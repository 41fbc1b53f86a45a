import { randomBytes } from "node:crypto";
import { closeSync, fsyncSync, linkSync, lstatSync, openSync, renameSync, rmSync, writeSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { AppError } from "../../shared/contract/index";
import { UsageError } from "./args";

/** Where an `--out FILE` goes, and whether an existing file there may be replaced (`--force`). */
export interface OutTarget {
  readonly path: string;
  readonly force: boolean;
}

function exists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

function refuseExisting(path: string): never {
  throw new UsageError(`${path} already exists; it was left as it was. Choose another --out file, or add --force`);
}

/**
 * Resolves `--out` against the working folder and refuses an existing file unless `--force`: checked before the
 * report is made (no work for nothing) and again when it is written (the file may appear meanwhile).
 */
export function outTarget(cwd: string, out: string | undefined, force: boolean | undefined): OutTarget | undefined {
  if (out === undefined) {
    if (force) throw new UsageError("--force replaces an --out file; give --out FILE with it");
    return undefined;
  }
  const path = resolve(cwd, out);
  if (!force && exists(path)) refuseExisting(path);
  return { path, force: force === true };
}

/**
 * Writes the whole file or nothing: the bytes go to a temporary file beside the target, are flushed to disk, and
 * then take the target's name in one step. Without --force that step is a hard link, which fails rather than
 * replace a file that appeared in the meantime; with --force it is a rename over it.
 */
export function writeOutFile(target: OutTarget, content: Uint8Array, id = randomBytes(6).toString("hex")): void {
  const temp = join(dirname(target.path), `.${basename(target.path)}.${id}.tmp`);
  let created = false;
  try {
    const fd = openSync(temp, "wx", 0o644);
    created = true;
    try {
      writeSync(fd, content);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    if (target.force) renameSync(temp, target.path);
    else linkInPlace(temp, target.path);
  } catch (error) {
    throw outError(target.path, error);
  } finally {
    // Gone after a rename; after a link (or a failure) the temporary name is removed, the target stays.
    if (created) rmSync(temp, { force: true });
  }
}

function linkInPlace(temp: string, path: string): void {
  try {
    linkSync(temp, path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EEXIST") refuseExisting(path);
    // Some file systems (FAT, some network shares) have no hard links: check, then rename.
    if (code !== "EPERM" && code !== "ENOTSUP" && code !== "ENOSYS") throw error;
    if (exists(path)) refuseExisting(path);
    renameSync(temp, path);
  }
}

function outError(path: string, error: unknown): Error {
  if (error instanceof UsageError) return error;
  const code = (error as NodeJS.ErrnoException).code;
  if (code === "ENOENT") return new UsageError(`cannot write ${path}: its folder does not exist`);
  if (code === "EISDIR") return new UsageError(`cannot write ${path}: it is a folder; give a file name`);
  if (code === "EACCES" || code === "EPERM" || code === "EROFS")
    return new UsageError(`cannot write ${path}: you may not write there; choose another --out file`);
  return new AppError("storage", `Could not write ${path} (${code ?? "unknown error"}); nothing was written there.`);
}
