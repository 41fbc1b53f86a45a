import type { ReviewOutcome, SignatureManifest } from "../../../shared/contract/methods/approvals";
import type { Db } from "../register/db";
import { stmt } from "../register/statements";

/** A stored emergency exception. */
export interface StoredException {
  readonly id: string;
  readonly changeId: string;
  readonly justification: string;
  readonly incident: string;
  readonly plants: readonly string[];
  readonly breakGlass: { readonly start: string; readonly end: string };
  readonly actions: string;
  readonly loggedBy: SignatureManifest;
  readonly reviewDueMs: number;
  readonly keyFingerprint: string;
  readonly signatureText: string;
  readonly commit: string | null;
}

/** A stored retrospective review. */
interface StoredReview {
  readonly changeId: string;
  readonly outcome: ReviewOutcome;
  readonly notes: string;
  readonly signature: SignatureManifest;
  readonly keyFingerprint: string;
  readonly signatureText: string;
  readonly commit: string | null;
}

interface ExceptionRow {
  id: string;
  change_id: string;
  justification: string;
  incident: string;
  plants: string;
  break_start: string;
  break_end: string;
  actions: string;
  meaning: string;
  logged_email: string;
  logged_name: string;
  logged_role: string;
  logged_at: string;
  time_zone: string;
  review_due_ms: number;
  key_fingerprint: string;
  signature: string;
  commit_sha: string | null;
}

interface ReviewRow {
  change_id: string;
  outcome: ReviewOutcome;
  notes: string;
  meaning: string;
  reviewer_email: string;
  reviewer_name: string;
  reviewer_role: string;
  reviewed_at: string;
  time_zone: string;
  key_fingerprint: string;
  signature: string;
  commit_sha: string | null;
}

function toException(r: ExceptionRow): StoredException {
  return {
    id: r.id,
    changeId: r.change_id,
    justification: r.justification,
    incident: r.incident,
    plants: JSON.parse(r.plants) as string[],
    breakGlass: { start: r.break_start, end: r.break_end },
    actions: r.actions,
    loggedBy: {
      name: r.logged_name,
      email: r.logged_email,
      role: r.logged_role,
      signedAt: r.logged_at,
      timeZone: r.time_zone,
      meaning: r.meaning,
    },
    reviewDueMs: r.review_due_ms,
    keyFingerprint: r.key_fingerprint,
    signatureText: r.signature,
    commit: r.commit_sha,
  };
}

function toReview(r: ReviewRow): StoredReview {
  return {
    changeId: r.change_id,
    outcome: r.outcome,
    notes: r.notes,
    signature: {
      name: r.reviewer_name,
      email: r.reviewer_email,
      role: r.reviewer_role,
      signedAt: r.reviewed_at,
      timeZone: r.time_zone,
      meaning: r.meaning,
    },
    keyFingerprint: r.key_fingerprint,
    signatureText: r.signature,
    commit: r.commit_sha,
  };
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
  const row = stmt(db, "SELECT * FROM exceptions WHERE change_id = ?").get(changeId) as ExceptionRow | undefined;
  return row ? toException(row) : null;
}

/** Every exception, the earliest review due first. */
export function allExceptions(db: Db): StoredException[] {
  return (stmt(db, "SELECT * FROM exceptions ORDER BY review_due_ms, id").all() as ExceptionRow[]).map(toException);
}

/** The review of an exception, or null. */
export function findReview(db: Db, changeId: string): StoredReview | null {
  const row = stmt(db, "SELECT * FROM exception_reviews WHERE change_id = ?").get(changeId) as ReviewRow | undefined;
  return row ? toReview(row) : null;
}
