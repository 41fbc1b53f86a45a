import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { AuditInput, HandlerContext } from "../dispatch";
import type { GitContext } from "../gitops/git";
import { signedFileCommit } from "../gitops/repo-approvals";
import type { Trust } from "../identity/trust";
import type { RegisterAuditInput } from "./audit";

/** The folders under changes/<number>/ that hold one signed record a file. */
type RecordKind = "gates" | "assessments" | "attachments" | "requests";

/** One signed-record file of a change in the working copy, parsed. */
interface ChangeRecordFile<T> {
  readonly path: string;
  readonly doc: T;
}

/**
 * The record files under changes/<number>/<kind>/ in name order, parsed, those of another change left out. A file
 * that does not parse is verify's to report: it never becomes a register row, so it is skipped here.
 * `skip` passes over paths already known without reading them.
 */
export function changeRecordFiles<T extends { readonly change: string }>(
  repoDir: string,
  number: string,
  kind: RecordKind,
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

/**
 * What sync does for every change `rows` lists when there is a working copy (none: nothing), one change at a time;
 * returns what `each` took, in order.
 */
export async function forEachNumbered<Row>(
  trust: Trust,
  rows: () => readonly Row[],
  each: (repoDir: string, row: Row) => Promise<readonly string[]>,
): Promise<string[]> {
  const repoDir = trust.repoDir;
  const taken: string[] = [];
  if (!repoDir) return taken;
  for (const row of rows()) taken.push(...(await each(repoDir, row)));
  return taken;
}

/** A record file whose signature counts, as handed to `take`. */
interface SignedRecord<Doc> extends ChangeRecordFile<Doc> {
  readonly repoDir: string;
  /** The signed commit that last wrote it. */
  readonly commit: string;
}

/** How one kind of signed record under changes/<ID>/<kind>/ becomes this register's. */
interface RecordImport<Row, Doc> {
  readonly kind: RecordKind;
  readonly parse: (text: string, path: string) => Doc;
  /** Paths already taken, passed over without reading. */
  readonly skip?: (path: string) => boolean;
  /** The order the files are taken in (default: by name). */
  readonly order?: (a: Doc, b: Doc) => number;
  /** The person whose key must have signed the commit that last wrote the file. */
  readonly signer: (doc: Doc) => string;
  /** Whether the file may be taken at all (the policy, what the register holds), asked before git runs. */
  readonly admits: (row: Row, doc: Doc) => boolean;
  /** Takes a file whose signature counts; false when it took nothing new (it is then not counted as imported). */
  readonly take: (row: Row, record: SignedRecord<Doc>) => boolean;
  /** A file that fails after it parsed: passed over, as verify's to report, or the sync fails ("throw"). */
  readonly failure: "pass-over" | "throw";
}

/**
 * The signed records other laptops committed under changes/<ID>/<kind>/ for the changes `rows` lists, taken one by
 * one: a file counts only when the commit that last wrote it is signed by the key of the person it names. Returns
 * the repository paths taken.
 */
export function importChangeRecords<Row extends { readonly number: string }, Doc extends { readonly change: string }>(
  trust: Trust,
  gitCtx: GitContext,
  rows: () => readonly Row[],
  how: RecordImport<Row, Doc>,
): Promise<string[]> {
  return forEachNumbered(trust, rows, async (repoDir, row) => {
    const taken: string[] = [];
    const files = changeRecordFiles(repoDir, row.number, how.kind, how.parse, how.skip);
    if (how.order) files.sort((a, b) => how.order?.(a.doc, b.doc) ?? 0);
    for (const { path, doc } of files) {
      try {
        if (!how.admits(row, doc)) continue;
        const signed = await signedFileCommit(repoDir, path, how.signer(doc), trust, gitCtx);
        if (signed && how.take(row, { path, doc, repoDir, commit: signed.commit })) taken.push(path);
      } catch (error) {
        if (how.failure === "throw") throw error;
      }
    }
    return taken;
  });
}

/** The audit row of a record taken from the repository: an automatic step of sync, its evidence the signed file. */
export function auditImported(ctx: HandlerContext, entry: AuditInput & { readonly reason: string }): void {
  const row: RegisterAuditInput = { ...entry, actor: "system:gitops" };
  ctx.audit(row);
}
