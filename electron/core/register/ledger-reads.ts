import type { ChangeStatus } from "../../../shared/domain/register/vocabulary";
import type { ChangeRow } from "./change-rows";
import type { Db } from "./db";
import { stmt } from "./statements";

// Reads of the register's `changes` and `gates` tables for the capabilities that meet a change in the ledger
// (gitops, exceptions, meeting, approvals, odoo): the register owns the tables, they call these.

/** The CHG number the change took in the repository, or null (never submitted, or no such change). */
export function numberOfChange(db: Db, id: string): string | null {
  return (stmt(db, "SELECT number FROM changes WHERE id = ?").pluck().get(id) as string | null | undefined) ?? null;
}

/** The register id of the change holding this number (a deleted one too unless `live`), or null. */
export function changeIdOfNumber(db: Db, number: string, options: { readonly live?: boolean } = {}): string | null {
  const sql = options.live
    ? "SELECT id FROM changes WHERE number = ? AND deleted_at IS NULL"
    : "SELECT id FROM changes WHERE number = ?";
  return (stmt(db, sql).pluck().get(number) as string | undefined) ?? null;
}

/** The live change holding this number, or undefined. */
export function liveChangeOfNumber(db: Db, number: string): ChangeRow | undefined {
  return stmt(db, "SELECT * FROM changes WHERE number = ? AND deleted_at IS NULL").get(number) as ChangeRow | undefined;
}

/** A change that has a repository number. */
interface NumberedChange {
  readonly id: string;
  readonly number: string;
  readonly status: ChangeStatus;
}

/** Every numbered change in number order (a deleted one too unless `live`), optionally only in these states. */
export function numberedChanges(
  db: Db,
  options: { readonly live?: boolean; readonly statuses?: readonly ChangeStatus[] } = {},
): NumberedChange[] {
  const sql = `SELECT id, number, status FROM changes WHERE number IS NOT NULL${options.live ? " AND deleted_at IS NULL" : ""} ORDER BY number`;
  const rows = stmt(db, sql).all() as NumberedChange[];
  const statuses = options.statuses;
  return statuses ? rows.filter((r) => statuses.includes(r.status)) : rows;
}

/** Where each of the change's gate records lives in the repository (null: recorded here, not yet committed). */
export function gateRepoPaths(db: Db, changeId: string): Map<string, string | null> {
  const rows = stmt(db, "SELECT id, repo_path FROM gates WHERE change_id = ?").all(changeId) as {
    id: string;
    repo_path: string | null;
  }[];
  return new Map(rows.map((g) => [g.id, g.repo_path]));
}

/** The change a gate record belongs to, or null. */
export function changeOfGate(db: Db, gateId: string): string | null {
  return (stmt(db, "SELECT change_id FROM gates WHERE id = ?").pluck().get(gateId) as string | undefined) ?? null;
}

/** The bytes of an evidence blob this laptop holds, or undefined when only its hash is known here. */
export function blobContent(db: Db, sha256: string): Buffer | undefined {
  const content = stmt(db, "SELECT content FROM blobs WHERE sha256 = ?").pluck().get(sha256);
  return content instanceof Buffer ? content : undefined;
}

/** A change's evidence as signed records name it (filename, hash, size, where its bytes are), in record order. */
export function evidenceRecordsOf(
  db: Db,
  changeId: string,
): { filename: string; sha256: string; size: number; location: "repo" | "store" }[] {
  return stmt(
    db,
    "SELECT filename, sha256, size, location FROM evidence_records WHERE change_id = ? ORDER BY rowid",
  ).all(changeId) as { filename: string; sha256: string; size: number; location: "repo" | "store" }[];
}
