import type { ChangeStatus, RiskClass } from "../../../shared/domain/register/vocabulary";
import { RISK_RANK } from "./change-rows";
import type { Db } from "./db";
import { stmt } from "./statements";

// The register owns the `changes` and `risk_assessments` tables: what the ledger decides about a change (its number,
// the image it names, a revision or assessment signed on another laptop) is written here, by these typed functions,
// never by another capability's SQL. Each is called inside the caller's transaction, beside its audit row.

/** The image a change names, stored as change.yaml has it (tag and digest as given). */
interface LedgerArtifact {
  readonly image: string;
  readonly tag?: string | null;
  readonly digest?: string | null;
}

const artifactJson = (artifact: LedgerArtifact | null | undefined): string | null =>
  artifact ? JSON.stringify(artifact) : null;

/** A revision sent with a new image: the change now names it (its version moves, as for any edit). */
export function setRevisedArtifact(db: Db, id: string, artifact: LedgerArtifact): void {
  stmt(db, "UPDATE changes SET artifact = ?, version = version + 1 WHERE id = ?").run(artifactJson(artifact), id);
}

/** The number the change takes in the repository on submission, with the image change.yaml names (or none). */
export function setSubmittedNumber(db: Db, id: string, number: string, artifact: LedgerArtifact | null | undefined) {
  stmt(db, "UPDATE changes SET number = ?, artifact = ?, version = version + 1 WHERE id = ?").run(
    number,
    artifactJson(artifact),
    id,
  );
}

/** An emergency change published with its exception: its number, and the high risk class an unassessed one counts as. */
export function setEmergencyNumber(db: Db, id: string, number: string): void {
  stmt(db, "UPDATE changes SET number = ?, risk = COALESCE(risk, 'high'), version = version + 1 WHERE id = ?").run(
    number,
    id,
  );
}

/** What a change submitted on another laptop carries beside its fields: its number, risk class and image. */
export function setImportedLedgerFields(
  db: Db,
  id: string,
  fields: { readonly number: string; readonly risk: RiskClass | null; readonly artifact: LedgerArtifact | null },
): void {
  stmt(db, "UPDATE changes SET number = ?, risk = ?, artifact = ? WHERE id = ?").run(
    fields.number,
    fields.risk,
    artifactJson(fields.artifact),
    id,
  );
}

/** A revision signed by the requester on another laptop: its risk class, image and the state it reopens in. */
export function setImportedRevision(
  db: Db,
  id: string,
  fields: { readonly risk: RiskClass | null; readonly artifact: LedgerArtifact | null; readonly status: ChangeStatus },
): void {
  stmt(db, "UPDATE changes SET risk = ?, artifact = ?, status = ? WHERE id = ?").run(
    fields.risk,
    artifactJson(fields.artifact),
    fields.status,
    id,
  );
}

/** A risk assessment signed on another laptop, as its file in the repository holds it. */
interface ImportedAssessment {
  readonly id: string;
  readonly changeId: string;
  readonly questionnaireVersion: number;
  readonly answers: unknown;
  readonly breakdown: unknown;
  readonly score: number;
  readonly riskClass: RiskClass;
  readonly assessedBy: string;
  readonly assessedAt: string;
}

/** Records an assessment from the ledger and gives the change its class and score, as the register's own would. */
export function insertImportedAssessment(db: Db, a: ImportedAssessment): void {
  stmt(
    db,
    `INSERT INTO risk_assessments (id, change_id, questionnaire_version, answers, breakdown, score, risk_class,
      assessed_by, assessed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    a.id,
    a.changeId,
    a.questionnaireVersion,
    JSON.stringify(a.answers),
    JSON.stringify(a.breakdown),
    a.score,
    a.riskClass,
    a.assessedBy,
    a.assessedAt,
  );
  stmt(db, "UPDATE changes SET risk = ?, risk_rank = ?, risk_score = ? WHERE id = ?").run(
    a.riskClass,
    RISK_RANK[a.riskClass],
    a.score,
    a.changeId,
  );
}
