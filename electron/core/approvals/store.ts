import type {
  ApprovalDecision,
  ApprovalScope,
  ReviewOutcome,
  SignatureManifest,
} from "../../../shared/contract/methods/approvals";
import type { ApprovalDoc } from "../../../shared/domain/policy/index";
import type { Db } from "../register/db";
import { stmt } from "../register/statements";

/** One stored approval or rejection. */
export interface StoredApproval {
  readonly id: string;
  readonly changeId: string;
  readonly scope: ApprovalScope;
  readonly decision: ApprovalDecision;
  readonly signature: SignatureManifest;
  readonly changeDigest: string;
  readonly keyFingerprint: string;
  readonly signatureText: string;
  readonly commit: string | null;
}

interface ApprovalRow {
  id: string;
  change_id: string;
  scope: ApprovalScope;
  decision: ApprovalDecision;
  meaning: string;
  signer_email: string;
  signer_name: string;
  signer_role: string;
  signed_at: string;
  time_zone: string;
  change_digest: string;
  key_fingerprint: string;
  signature: string;
  commit_sha: string | null;
}

function toApproval(r: ApprovalRow): StoredApproval {
  return {
    id: r.id,
    changeId: r.change_id,
    scope: r.scope,
    decision: r.decision,
    signature: {
      name: r.signer_name,
      email: r.signer_email,
      role: r.signer_role,
      signedAt: r.signed_at,
      timeZone: r.time_zone,
      meaning: r.meaning,
    },
    changeDigest: r.change_digest,
    keyFingerprint: r.key_fingerprint,
    signatureText: r.signature,
    commit: r.commit_sha,
  };
}

/** Each signer's current decision per scope on a change (their latest), oldest first. */
export function currentApprovals(db: Db, changeId: string): StoredApproval[] {
  const rows = stmt(
    db,
    `SELECT * FROM approvals a WHERE change_id = ? AND seq = (
       SELECT max(seq) FROM approvals b WHERE b.change_id = a.change_id AND b.signer_email = a.signer_email
         AND b.scope = a.scope)
     ORDER BY seq`,
  ).all(changeId) as ApprovalRow[];
  return rows.map(toApproval);
}

/** Appends one decision. */
export function insertApproval(db: Db, a: StoredApproval): void {
  stmt(
    db,
    `INSERT INTO approvals (id, change_id, scope, decision, meaning, signer_email, signer_name, signer_role, signed_at,
       signed_at_ms, time_zone, change_digest, key_fingerprint, signature, commit_sha)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    a.id,
    a.changeId,
    a.scope,
    a.decision,
    a.signature.meaning,
    a.signature.email.toLowerCase(),
    a.signature.name,
    a.signature.role,
    a.signature.signedAt,
    Date.parse(a.signature.signedAt),
    a.signature.timeZone,
    a.changeDigest,
    a.keyFingerprint,
    a.signatureText,
    a.commit,
  );
}

/** The approval file content a stored decision stands for (what the evaluator and the repository read). */
export function approvalDocOf(a: StoredApproval, changeRef: string): ApprovalDoc {
  return {
    change: changeRef,
    scope: a.scope,
    decision: a.decision,
    meaning: a.signature.meaning,
    signer: { name: a.signature.name, email: a.signature.email, role: a.signature.role },
    signedAt: a.signature.signedAt,
    changeDigest: a.changeDigest,
  };
}

/** Records when the quorum was first met for a revision (the end of its approval lead time). */
export function recordQuorumMet(db: Db, changeId: string, digest: string, at: Date): void {
  stmt(
    db,
    "INSERT OR IGNORE INTO approval_outcomes (change_id, change_digest, met_at, met_at_ms) VALUES (?, ?, ?, ?)",
  ).run(changeId, digest, at.toISOString(), at.getTime());
}

/** When each change first met its quorum, by change id. */
export function quorumMetTimes(db: Db): Map<string, number> {
  const rows = stmt(db, "SELECT change_id, min(met_at_ms) AS ms FROM approval_outcomes GROUP BY change_id").all() as {
    change_id: string;
    ms: number;
  }[];
  return new Map(rows.map((r) => [r.change_id, r.ms]));
}

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
export interface StoredReview {
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
