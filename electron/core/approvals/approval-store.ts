import type { ApprovalDecision, ApprovalScope, SignatureManifest } from "../../../shared/contract/methods/approvals";
import type { ApprovalDoc } from "../../../shared/domain/policy/index";
import { intentSha } from "../gitops/outbox-store";
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
  /** The digest of the gate records the signature covers; null for a decision made before approvals covered them. */
  readonly gatesDigest: string | null;
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

// The change_digest column holds what the signature was made over: change.yaml's digest, then (for decisions
// that cover gate records) the gate records' digest after a space. One column keeps the table as it is.
function splitDigests(column: string): { changeDigest: string; gatesDigest: string | null } {
  const [changeDigest = column, gates] = column.split(" ");
  return { changeDigest, gatesDigest: gates ?? null };
}

// A decision published through the outbox has its commit made after its row (append-only) was written: the
// commit is its outbox intent's, which carries the approval's id and follows a replay's re-signed copy.
function toApproval(db: Db, r: ApprovalRow): StoredApproval {
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
    ...splitDigests(r.change_digest),
    keyFingerprint: r.key_fingerprint,
    signatureText: r.signature,
    commit: r.commit_sha ?? intentSha(db, r.id),
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
  return rows.map((r) => toApproval(db, r));
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
    a.gatesDigest ? `${a.changeDigest} ${a.gatesDigest}` : a.changeDigest,
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
    ...(a.gatesDigest ? { gates: a.gatesDigest } : {}),
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
