import type { ExceptionRecord, SignatureManifest } from "../../../shared/contract/methods/approvals";
import type { Db } from "../register/db";
import { stmt } from "../register/statements";

/** What the store keeps of a signed record besides what the contract shows: the key and the detached signature. */
interface Signed {
  readonly keyFingerprint: string;
  readonly signatureText: string;
}

/** A stored emergency exception: the contract's fields as logged, the change by id, the review due as epoch ms. */
export type StoredException = Pick<
  ExceptionRecord,
  "id" | "justification" | "incident" | "plants" | "breakGlass" | "actions" | "loggedBy" | "commit"
> &
  Signed & { readonly changeId: string; readonly reviewDueMs: number };

/** A stored retrospective review: the contract's review, the change by id. */
type StoredReview = NonNullable<ExceptionRecord["review"]> & Signed & { readonly changeId: string };

// The signature columns of both tables, named alike by the SELECTs below (each table names its signer's columns).
interface SignedRow {
  change_id: string;
  meaning: string;
  email: string;
  name: string;
  role: string;
  signed_at: string;
  time_zone: string;
  key_fingerprint: string;
  signature: string;
  commit_sha: string | null;
}

interface ExceptionRow extends SignedRow {
  id: string;
  justification: string;
  incident: string;
  plants: string;
  break_start: string;
  break_end: string;
  actions: string;
  review_due_ms: number;
}

interface ReviewRow extends SignedRow {
  outcome: StoredReview["outcome"];
  notes: string;
}

const EXCEPTIONS = `SELECT *, logged_email AS email, logged_name AS name, logged_role AS role, logged_at AS signed_at
  FROM exceptions`;
const REVIEWS = `SELECT *, reviewer_email AS email, reviewer_name AS name, reviewer_role AS role,
  reviewed_at AS signed_at FROM exception_reviews`;

function manifestOf(r: SignedRow): SignatureManifest {
  return {
    name: r.name,
    email: r.email,
    role: r.role,
    signedAt: r.signed_at,
    timeZone: r.time_zone,
    meaning: r.meaning,
  };
}

function signedOf(r: SignedRow): Signed & { readonly changeId: string; readonly commit: string | null } {
  return { changeId: r.change_id, keyFingerprint: r.key_fingerprint, signatureText: r.signature, commit: r.commit_sha };
}

function toException(r: ExceptionRow): StoredException {
  return {
    ...signedOf(r),
    id: r.id,
    justification: r.justification,
    incident: r.incident,
    plants: JSON.parse(r.plants) as string[],
    breakGlass: { start: r.break_start, end: r.break_end },
    actions: r.actions,
    loggedBy: manifestOf(r),
    reviewDueMs: r.review_due_ms,
  };
}

function toReview(r: ReviewRow): StoredReview {
  return { ...signedOf(r), outcome: r.outcome, notes: r.notes, signature: manifestOf(r) };
}

/** Appends an exception. */
export function insertException(db: Db, e: StoredException): void {
  stmt(
    db,
    `INSERT INTO exceptions (id, change_id, justification, incident, plants, break_start, break_end, break_end_ms,
       actions, meaning, logged_email, logged_name, logged_role, logged_at, time_zone, review_due_ms, key_fingerprint,
       signature, commit_sha) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    e.id,
    e.changeId,
    e.justification,
    e.incident,
    JSON.stringify(e.plants),
    e.breakGlass.start,
    e.breakGlass.end,
    Date.parse(e.breakGlass.end),
    e.actions,
    e.loggedBy.meaning,
    e.loggedBy.email.toLowerCase(),
    e.loggedBy.name,
    e.loggedBy.role,
    e.loggedBy.signedAt,
    e.loggedBy.timeZone,
    e.reviewDueMs,
    e.keyFingerprint,
    e.signatureText,
    e.commit,
  );
}

/** Appends a review. */
export function insertReview(db: Db, r: StoredReview): void {
  stmt(
    db,
    `INSERT INTO exception_reviews (change_id, outcome, notes, meaning, reviewer_email, reviewer_name, reviewer_role,
       reviewed_at, reviewed_at_ms, time_zone, key_fingerprint, signature, commit_sha)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    r.changeId,
    r.outcome,
    r.notes,
    r.signature.meaning,
    r.signature.email.toLowerCase(),
    r.signature.name,
    r.signature.role,
    r.signature.signedAt,
    Date.parse(r.signature.signedAt),
    r.signature.timeZone,
    r.keyFingerprint,
    r.signatureText,
    r.commit,
  );
}

/** The exception of a change, or null. */
export function findException(db: Db, changeId: string): StoredException | null {
  const row = stmt(db, `${EXCEPTIONS} WHERE change_id = ?`).get(changeId) as ExceptionRow | undefined;
  return row ? toException(row) : null;
}

/** Every exception, the earliest review due first. */
export function allExceptions(db: Db): StoredException[] {
  return (stmt(db, `${EXCEPTIONS} ORDER BY review_due_ms, id`).all() as ExceptionRow[]).map(toException);
}

/** The review of an exception, or null. */
export function findReview(db: Db, changeId: string): StoredReview | null {
  const row = stmt(db, `${REVIEWS} WHERE change_id = ?`).get(changeId) as ReviewRow | undefined;
  return row ? toReview(row) : null;
}
