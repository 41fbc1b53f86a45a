import type { Db } from "../register/db";
import type { FileWrite } from "./commit";
import { repoPath } from "./repo-path";
import type { Signer } from "./signing";

/** What kind of record a commit carries (docs/gitops-repo.md layout). */
export type OutboxKind = "submission" | "approval" | "rejection" | "exception" | "review" | "release" | "gate";
/** pending: not yet a commit; committed: in the working copy; pushed: on the remote; abandoned: given up. */
type OutboxState = "pending" | "committed" | "pushed" | "abandoned";

/** An intent: everything needed to make the commit again after a crash, except a passphrase. */
export interface OutboxIntent {
  readonly kind: OutboxKind;
  readonly changeNumber: string | null;
  readonly subject: string;
  readonly files: readonly FileWrite[];
  readonly message: string;
  readonly signer: Signer;
}

/** One outbox row. */
export interface OutboxRow extends OutboxIntent {
  readonly id: string;
  readonly state: OutboxState;
  readonly sha: string | null;
  readonly attempts: number;
  readonly lastError: string | null;
  readonly createdAt: string;
  readonly nextAttemptAt: string | null;
  readonly pushedAt: string | null;
}

interface RawRow {
  id: string;
  kind: OutboxKind;
  change_number: string | null;
  subject: string;
  files: string;
  message: string;
  signer: string;
  state: OutboxState;
  sha: string | null;
  attempts: number;
  last_error: string | null;
  created_at: string;
  next_attempt_at: string | null;
  pushed_at: string | null;
}

function toRow(r: RawRow): OutboxRow {
  return {
    id: r.id,
    kind: r.kind,
    changeNumber: r.change_number,
    subject: r.subject,
    files: JSON.parse(r.files) as FileWrite[],
    message: r.message,
    signer: JSON.parse(r.signer) as Signer,
    state: r.state,
    sha: r.sha,
    attempts: r.attempts,
    lastError: r.last_error,
    createdAt: r.created_at,
    nextAttemptAt: r.next_attempt_at,
    pushedAt: r.pushed_at,
  };
}

// A passphrase must never reach the register: the row keeps only which key to use.
function withoutSecret(signer: Signer): Signer {
  const { passphrase: _drop, ...key } = signer.key;
  return { name: signer.name, email: signer.email, key };
}

/** Inserts an intent row (call inside the transaction that records what the commit is about). */
export function insertIntent(db: Db, id: string, intent: OutboxIntent, at: Date): void {
  // Refused here, inside the caller's transaction, so an unsafe path never becomes an intent (nor its audit row).
  for (const f of intent.files) repoPath(f.path);
  db.prepare(
    `INSERT INTO gitops_outbox (id, kind, change_number, subject, files, message, signer, state, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, 'pending', ?)`,
  ).run(
    id,
    intent.kind,
    intent.changeNumber,
    intent.subject,
    JSON.stringify(intent.files),
    intent.message,
    JSON.stringify(withoutSecret(intent.signer)),
    at.toISOString(),
  );
}

/** Rows in a state, oldest first. */
export function rowsIn(db: Db, states: readonly OutboxState[]): OutboxRow[] {
  const marks = states.map(() => "?").join(", ");
  return (
    db
      .prepare(`SELECT * FROM gitops_outbox WHERE state IN (${marks}) ORDER BY created_at, id`)
      .all(...states) as RawRow[]
  ).map(toRow);
}

/** The most recent rows of any state (newest first). */
export function recentRows(db: Db, limit: number): OutboxRow[] {
  return (
    db.prepare("SELECT * FROM gitops_outbox ORDER BY created_at DESC, id DESC LIMIT ?").all(limit) as RawRow[]
  ).map(toRow);
}

/** One row by id. */
export function findRow(db: Db, id: string): OutboxRow | null {
  const r = db.prepare("SELECT * FROM gitops_outbox WHERE id = ?").get(id) as RawRow | undefined;
  return r ? toRow(r) : null;
}

/**
 * The commit of an intent while it is committed or pushed (the pushed sha after a replay re-signed it), else null.
 * Records whose commit is made after their register transaction find it here by their intent id.
 */
export function intentSha(db: Db, id: string): string | null {
  const r = db.prepare("SELECT sha FROM gitops_outbox WHERE id = ? AND state IN ('committed', 'pushed')").get(id) as
    | { sha: string | null }
    | undefined;
  return r?.sha ?? null;
}

/** The commit of the newest committed or pushed intent of a kind for a change number (a change's one review). */
export function latestIntentSha(db: Db, kind: OutboxKind, changeNumber: string): string | null {
  const r = db
    .prepare(
      `SELECT sha FROM gitops_outbox WHERE kind = ? AND change_number = ? AND state IN ('committed', 'pushed')
       ORDER BY created_at DESC, id DESC LIMIT 1`,
    )
    .get(kind, changeNumber) as { sha: string | null } | undefined;
  return r?.sha ?? null;
}

export function markCommitted(db: Db, id: string, sha: string): void {
  db.prepare(
    "UPDATE gitops_outbox SET state = 'committed', sha = ?, last_error = NULL WHERE id = ? AND state = 'pending'",
  ).run(sha, id);
}

/** Marks pushed; the sha follows a rebase (the pushed commit is a re-signed copy). */
export function markPushed(db: Db, id: string, sha: string, at: Date): void {
  db.prepare(
    `UPDATE gitops_outbox SET state = 'pushed', sha = ?, last_error = NULL, next_attempt_at = NULL, pushed_at = ?
     WHERE id = ? AND state IN ('pending', 'committed')`,
  ).run(sha, at.toISOString(), id);
}

export function markAbandoned(db: Db, id: string, reason: string): void {
  db.prepare("UPDATE gitops_outbox SET state = 'abandoned', last_error = ? WHERE id = ?").run(reason, id);
}

/** Counts a failed attempt and when the next one is due. */
export function markFailed(db: Db, ids: readonly string[], error: string, next: Date | null): void {
  const stmt = db.prepare(
    "UPDATE gitops_outbox SET attempts = attempts + 1, last_error = ?, next_attempt_at = ? WHERE id = ?",
  );
  for (const id of ids) stmt.run(error, next ? next.toISOString() : null, id);
}

/**
 * Every change number an intent of this laptop carries, whatever its state: a number given out once is held even
 * while its commit waits for a retry (no folder yet), so the next change never takes it as well.
 */
export function heldNumbers(db: Db): string[] {
  const rows = db
    .prepare("SELECT DISTINCT change_number AS n FROM gitops_outbox WHERE change_number IS NOT NULL")
    .all();
  return (rows as { n: string }[]).map((r) => r.n);
}

/** A submission renumbered on push (another laptop took its number): the rows follow. */
export function renumber(db: Db, from: string, to: string): void {
  db.prepare("UPDATE gitops_outbox SET change_number = ? WHERE change_number = ?").run(to, from);
}

/** A committed row whose commit is no longer in the branch (a replay was cut short): commit it again. */
export function markPending(db: Db, id: string): void {
  db.prepare("UPDATE gitops_outbox SET state = 'pending', sha = NULL WHERE id = ? AND state = 'committed'").run(id);
}
