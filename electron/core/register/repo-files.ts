import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

/** One signed-record file of a change in the working copy, parsed. */
interface ChangeRecordFile<T> {
  readonly path: string;
  readonly doc: T;
}

/**
 * The record files under changes/<number>/<kind>/ (gates, assessments) in name order, parsed, those of another change
 * left out. A file that does not parse is verify's to report: it never becomes a register row, so it is skipped here.
 * `skip` passes over paths already known without reading them.
 */
export function changeRecordFiles<T extends { readonly change: string }>(
  repoDir: string,
  number: string,
  kind: "gates" | "assessments",
  parse: (text: string, path: string) => T,
  skip: (path: string) => boolean = () => false,
): ChangeRecordFile<T>[] {
  const folder = join(repoDir, "changes", number, kind);
  if (!existsSync(folder)) return [];
  return readdirSync(folder)
    .sort()
    .flatMap((name) => {
      const path = `changes/${number}/${kind}/${name}`;
      if (!name.endsWith(".yaml") || skip(path)) return [];
      try {
        const doc = parse(readFileSync(join(folder, name), "utf8"), path);
        return doc.change === number ? [{ path, doc }] : [];
      } catch {
        return [];
      }
    });
}
