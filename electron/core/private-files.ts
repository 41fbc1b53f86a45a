import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from "node:fs";
import { dirname } from "node:path";

// The register holds who approved what and the keys folder holds private keys: other accounts on the machine
// must not read either. The umask only ever removes bits, so each mode is set explicitly after creation.

/**
 * Creates a folder (and missing parents) only its owner may enter (0700). An existing folder is left as it is,
 * unless `tighten` (a folder Shiftgate writes private keys into is made owner-only whoever created it).
 */
export function makePrivateDir(dir: string, options: { readonly tighten?: boolean } = {}): void {
  if (existsSync(dir)) {
    if (options.tighten) chmodSync(dir, 0o700);
    return;
  }
  const missing: string[] = [];
  for (let d = dir; !existsSync(d); d = dirname(d)) {
    missing.push(d);
    if (dirname(d) === d) break;
  }
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  for (const d of missing) chmodSync(d, 0o700);
}

/** Creates an empty file only its owner may read and write (0600), before anything is written into it. */
export function createPrivateFile(file: string): void {
  closeSync(openSync(file, "wx", 0o600));
  chmodSync(file, 0o600);
}

/** Makes the given files owner-only (0600) where they exist (a register and its -wal/-shm). */
export function restrictFiles(files: readonly string[]): void {
  for (const file of files) if (existsSync(file)) chmodSync(file, 0o600);
}
