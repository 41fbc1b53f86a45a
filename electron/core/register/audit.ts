import { hash } from "node:crypto";
import type { AuditEvent, AuditVerifyResult, ListPage } from "../../../shared/contract/index";
import type { AuditInput, Door } from "../dispatch";
import { AUDIT_BATCH_ROWS, checkInParallel } from "./audit-parallel";
import type { Db } from "./db";
import { stmt } from "./statements";

/** The prev_hash of the first row. */
export const GENESIS_HASH = "0".repeat(64);

// The canonical form of a row, built by SQLite for both writer and verifier, so the bytes hashed never depend
// on how JavaScript and SQLite each encode text (lone surrogates, for instance, are replaced on the way in).
/** The canonical form of an audit row, as SQL over its columns (exported for the benchmark's baseline). */
export const AUDIT_CANONICAL =
  "json_array(seq, prev_hash, at, actor, door, action, entity, entity_id, change_id, before, after, reason)";

/** An audit entry as the register writes it: the dispatcher's entry plus who acted. */
export interface RegisterAuditInput extends AuditInput {
  readonly actor?: string;
}

function actorOf(entry: AuditInput): string | null {
  return "actor" in entry && typeof entry.actor === "string" ? entry.actor : null;
}

// Rows about a comment, gate or evidence are filed under their change too, for the change's timeline.
function changeIdOf(entry: AuditInput): string | null {
  if (entry.entity === "change") return entry.entityId;
  for (const side of [entry.after, entry.before]) {
    if (side && typeof side === "object" && "changeId" in side && typeof side.changeId === "string") {
      return side.changeId;
    }
  }
  return null;
}

function json(value: unknown): string | null {
  return value === undefined || value === null ? null : JSON.stringify(value);
}

/** SHA-256 of a canonical row, hex. */
export function sha256Hex(text: string): string {
  // The one-shot form: verify hashes a million rows and createHash's object per row is a third of that time.
  return hash("sha256", text, "hex");
}

/**
 * Appends audit rows after the last one; call inside the transaction that made the change.
 * `fallbackActor` names who acted when an entry does not say (calls without identity).
 */
export function appendAudit(
  db: Db,
  entries: readonly AuditInput[],
  meta: { readonly door: Door; readonly at: Date },
  fallbackActor: string,
): void {
  const last = stmt(db, "SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1").get() as
    | { seq: number; hash: string }
    | undefined;
  let seq = last?.seq ?? 0;
  let prev = last?.hash ?? GENESIS_HASH;
  const at = meta.at.toISOString();
  // seq is cast because a bound JS number may arrive as REAL and print as 1.0 where the column prints 1.
  const canonical = stmt(
    db,
    `SELECT ${AUDIT_CANONICAL} AS c FROM (SELECT CAST(? AS INTEGER) AS seq, ? AS prev_hash, ? AS at, ? AS actor, ? AS door, ? AS action,
      ? AS entity, ? AS entity_id, ? AS change_id, ? AS before, ? AS after, ? AS reason)`,
  ).pluck();
  const insert = stmt(
    db,
    `INSERT INTO audit (seq, at, actor, door, action, entity, entity_id, change_id, before, after, reason, prev_hash, hash)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  for (const entry of entries) {
    seq += 1;
    const row = [
      at,
      actorOf(entry) ?? fallbackActor,
      meta.door,
      entry.action,
      entry.entity,
      entry.entityId,
      changeIdOf(entry),
      json(entry.before),
      json(entry.after),
      entry.reason ?? null,
    ] as const;
    const hash = sha256Hex(canonical.get(seq, prev, ...row) as string);
    insert.run(seq, ...row, prev, hash);
    prev = hash;
  }
}

/** Below this many rows starting worker threads (or the verify's own process) costs more than it saves. */
export const PARALLEL_FROM_ROWS = 20_000;

/**
 * Walks the chain in order and returns the first row whose sequence, link or hash is wrong.
 * A deleted row shows as a gap (its seq is reported); an edited or forged row by its own seq.
 */
export function verifyAudit(db: Db): AuditVerifyResult {
  // One read transaction, so the batches and any walk after them see the same rows.
  return db.transaction(() => verifyInSnapshot(db))();
}

/** The rows from < seq <= to, each its stored hash then its canonical form, joined by newlines. */
export const AUDIT_BATCH_SQL = `SELECT group_concat(r, char(10)) FROM (SELECT hash || ${AUDIT_CANONICAL} AS r FROM audit WHERE seq > ? AND seq <= ? ORDER BY seq)`;

function verifyInSnapshot(db: Db): AuditVerifyResult {
  const { total, low, high } = stmt(
    db,
    "SELECT count(*) AS total, min(seq) AS low, max(seq) AS high FROM audit",
  ).get() as {
    total: number;
    low: number | null;
    high: number | null;
  };
  // Batches are seq ranges, so they need seq to run 1..total without gaps; otherwise the walk finds what is wrong.
  if (total < PARALLEL_FROM_ROWS || low !== 1 || high !== total) return walkAudit(db, 0, GENESIS_HASH);
  const batch = stmt(db, AUDIT_BATCH_SQL).pluck();
  const outcome = checkInParallel(total, GENESIS_HASH, (from, to) => batch.get(from, to) as string | null);
  if (outcome === null) return walkAudit(db, 0, GENESIS_HASH);
  if (outcome.badBatch === null) return { ok: true, events: total, firstBadSeq: null };
  // Every row before the bad batch is good, so the walk resumes there in the state it would have reached.
  return walkAudit(db, outcome.badBatch * AUDIT_BATCH_ROWS, outcome.hashBefore);
}

/** The sequential walk over the rows after `afterSeq`, as if the rows up to it had all been good. */
export function walkAudit(db: Db, afterSeq: number, hashBefore: string): AuditVerifyResult {
  // One string per row (stored hash, then the canonical form): reading is the cost of a verify, and every
  // extra column is another string for SQLite to hand over. The canonical form starts [seq,"prev_hash",.
  // From the start every row is read, whatever its seq (a forged seq of 0 or below is a bad row too).
  const rows = (
    afterSeq === 0
      ? stmt(db, `SELECT hash || ${AUDIT_CANONICAL} FROM audit ORDER BY seq`).pluck().iterate()
      : stmt(db, `SELECT hash || ${AUDIT_CANONICAL} FROM audit WHERE seq > ? ORDER BY seq`).pluck().iterate(afterSeq)
  ) as IterableIterator<string>;
  let expectedSeq = afterSeq + 1;
  let prev = hashBefore;
  let events = afterSeq;
  let firstBadSeq: number | null = null;
  for (const row of rows) {
    events += 1;
    if (firstBadSeq !== null) continue;
    const hash = row.slice(0, 64);
    const canonical = row.slice(64);
    const comma = canonical.indexOf(",");
    const seq = Number(canonical.slice(1, comma));
    // A stored hash of the wrong length shifts the split: the row no longer starts with "[<integer>,".
    if (canonical.charCodeAt(0) !== 91 || comma < 2 || !Number.isInteger(seq)) firstBadSeq = expectedSeq;
    else if (seq !== expectedSeq) firstBadSeq = Math.min(seq, expectedSeq);
    else if (canonical.slice(comma + 2, comma + 66) !== prev || sha256Hex(canonical) !== hash) firstBadSeq = seq;
    prev = hash;
    expectedSeq = seq + 1;
  }
  return { ok: firstBadSeq === null, events, firstBadSeq };
}

interface AuditRow {
  seq: number;
  at: string;
  actor: string;
  door: string;
  action: string;
  entity: string;
  entity_id: string | null;
  before: string | null;
  after: string | null;
  reason: string | null;
  prev_hash: string;
  hash: string;
}

/** Filters for the audit timeline. */
interface AuditFilter {
  readonly entity?: string;
  readonly entityId?: string;
  readonly changeId?: string;
  readonly page: number;
  readonly pageSize: number;
}

/** A page of the audit timeline, oldest first. */
export function listAudit(db: Db, filter: AuditFilter): ListPage<AuditEvent> {
  const where: string[] = [];
  const params: (string | number)[] = [];
  if (filter.entity !== undefined) {
    where.push("entity = ?");
    params.push(filter.entity);
  }
  if (filter.entityId !== undefined) {
    where.push("entity_id = ?");
    params.push(filter.entityId);
  }
  if (filter.changeId !== undefined) {
    where.push("change_id = ?");
    params.push(filter.changeId);
  }
  const clause = where.length > 0 ? `WHERE ${where.join(" AND ")}` : "";
  const total = stmt(db, `SELECT count(*) FROM audit ${clause}`)
    .pluck()
    .get(...params) as number;
  const rows = stmt(db, `SELECT * FROM audit ${clause} ORDER BY seq LIMIT ? OFFSET ?`).all(
    ...params,
    filter.pageSize,
    (filter.page - 1) * filter.pageSize,
  ) as AuditRow[];
  return {
    total,
    page: filter.page,
    pageSize: filter.pageSize,
    items: rows.map((r) => ({
      seq: r.seq,
      at: r.at,
      actor: r.actor,
      door: r.door,
      action: r.action,
      entity: r.entity,
      entityId: r.entity_id,
      before: r.before === null ? null : (JSON.parse(r.before) as unknown),
      after: r.after === null ? null : (JSON.parse(r.after) as unknown),
      reason: r.reason,
      prevHash: r.prev_hash,
      hash: r.hash,
    })),
  };
}

/** When and by whom the newest audit row of one of these actions on an entity was written, or null. */
export function latestAuditOf(
  db: Db,
  entity: string,
  entityId: string,
  actions: readonly string[],
): { readonly at: string; readonly actor: string } | null {
  const marks = actions.map(() => "?").join(", ");
  const row = stmt(
    db,
    `SELECT at, actor FROM audit WHERE entity_id = ? AND entity = ? AND action IN (${marks}) ORDER BY seq DESC LIMIT 1`,
  ).get(entityId, entity, ...actions) as { at: string; actor: string } | undefined;
  return row ?? null;
}
