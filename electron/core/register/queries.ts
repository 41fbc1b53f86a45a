import type {
  ChangeDetail,
  Comment,
  Evidence,
  Gate,
  RiskAnswer,
  RiskAssessment,
  RiskBreakdownItem,
  RiskFloorApplied,
} from "../../../shared/contract/index";
import { AppError } from "../../../shared/contract/index";
import type { GateEvidenceRef, GateMeasurement } from "../../../shared/contract/methods/register";
import { DEFAULT_GATE_POLICY, type GatePolicy } from "../../../shared/domain/policy/gate-rules";
import { productionReadiness } from "../../../shared/domain/register/gates";
import { allowedTransitions, derivedBy, manualTransitions } from "../../../shared/domain/register/lifecycle";
import type { GateName, GateResult, RiskClass, Stage } from "../../../shared/domain/register/vocabulary";
import { artifactOf, type ChangeRow, findChange, rowFields, toSummary } from "./change-rows";
import type { Db } from "./db";
import { stmt } from "./statements";

interface GateRow {
  id: string;
  change_id: string;
  stage: Stage;
  gate: GateName;
  target: string | null;
  result: GateResult;
  reason: string | null;
  waived_by: string | null;
  waived_by_role: string | null;
  recorded_by: string;
  recorded_at: string;
  measurements: string;
  evidence: string;
  repo_path: string | null;
  commit_sha: string | null;
}

interface EvidenceRow {
  id: string;
  change_id: string;
  gate_id: string | null;
  filename: string;
  media_type: string;
  size: number;
  sha256: string;
  attached_by: string;
  attached_at: string;
}

interface AssessmentRow {
  change_id: string;
  questionnaire_version: number;
  answers: string;
  breakdown: string;
  score: number;
  risk_class: RiskClass;
  assessed_by: string;
  assessed_at: string;
}

/** A live (not tombstoned) change row, or a not-found error. */
export function liveChange(db: Db, id: string): ChangeRow {
  const row = findChange(db, id);
  if (!row || row.deleted_at !== null) throw new AppError("not-found", `There is no change ${id} in this register.`);
  return row;
}

/** A change's gate records, oldest first. */
export function gatesOf(db: Db, changeId: string): Gate[] {
  const rows = stmt(db, "SELECT * FROM gates WHERE change_id = ? ORDER BY rowid").all(changeId) as GateRow[];
  return rows.map((r) => toGate(r, (sha) => hasBlob(db, sha)));
}

/** True when this register holds the content of that SHA-256. */
export function hasBlob(db: Db, sha256: string): boolean {
  return stmt(db, "SELECT 1 FROM blobs WHERE sha256 = ?").pluck().get(sha256) !== undefined;
}

/** One gate record. */
function toGate(r: GateRow, held: (sha256: string) => boolean): Gate {
  return {
    id: r.id,
    changeId: r.change_id,
    stage: r.stage,
    gate: r.gate,
    target: r.target,
    result: r.result,
    reason: r.reason,
    waivedBy: r.waived_by,
    waivedByRole: r.waived_by_role,
    recordedBy: r.recorded_by,
    recordedAt: r.recorded_at,
    measurements: JSON.parse(r.measurements) as GateMeasurement[],
    // Where the evidence is as seen from this laptop: its content here, kept in the evidence store, or missing.
    evidence: (JSON.parse(r.evidence) as GateEvidenceRef[]).map((e) => ({
      ...e,
      location: held(e.sha256) ? "here" : e.location === "store" ? "store" : "missing",
    })),
  };
}

/** One evidence row in contract form. */
function toEvidence(r: EvidenceRow): Evidence {
  return {
    id: r.id,
    changeId: r.change_id,
    gateId: r.gate_id,
    filename: r.filename,
    mediaType: r.media_type,
    size: r.size,
    sha256: r.sha256,
    attachedBy: r.attached_by,
    attachedAt: r.attached_at,
  };
}

/** An evidence row by id. */
export function findEvidence(db: Db, id: string): Evidence | undefined {
  const row = stmt(db, "SELECT * FROM evidence WHERE id = ?").get(id) as EvidenceRow | undefined;
  return row ? toEvidence(row) : undefined;
}

/** The evidence already attached with this content at this place, if any. */
export function findEvidenceAt(db: Db, changeId: string, gateId: string | null, sha256: string): Evidence | undefined {
  const row = stmt(
    db,
    "SELECT * FROM evidence WHERE change_id = ? AND ifnull(gate_id, '') = ifnull(?, '') AND sha256 = ?",
  ).get(changeId, gateId, sha256) as EvidenceRow | undefined;
  return row ? toEvidence(row) : undefined;
}

/** A change's evidence rows (files this register holds), oldest first. */
export function evidenceOf(db: Db, changeId: string): Evidence[] {
  return (stmt(db, "SELECT * FROM evidence WHERE change_id = ? ORDER BY rowid").all(changeId) as EvidenceRow[]).map(
    toEvidence,
  );
}

/** The assessment in force for a change (the latest), or null. */
export function latestAssessment(db: Db, changeId: string): RiskAssessment | null {
  const r = stmt(db, "SELECT * FROM risk_assessments WHERE change_id = ? ORDER BY rowid DESC LIMIT 1").get(changeId) as
    | AssessmentRow
    | undefined;
  if (!r) return null;
  return {
    changeId: r.change_id,
    questionnaireVersion: r.questionnaire_version,
    answers: JSON.parse(r.answers) as Record<string, RiskAnswer>,
    ...breakdownOf(r.breakdown),
    score: r.score,
    riskClass: r.risk_class,
    assessedBy: r.assessed_by,
    assessedAt: r.assessed_at,
  };
}

// Assessments before facts kept a bare list; since then the list and the floors applied are kept together.
function breakdownOf(json: string): { breakdown: RiskBreakdownItem[]; floors: RiskFloorApplied[] } {
  const parsed = JSON.parse(json) as RiskBreakdownItem[] | { items: RiskBreakdownItem[]; floors: RiskFloorApplied[] };
  return Array.isArray(parsed) ? { breakdown: parsed, floors: [] } : { breakdown: parsed.items, floors: parsed.floors };
}

/** Everything the change page shows about one change. */
export function changeDetail(
  db: Db,
  row: ChangeRow,
  now: Date,
  gatePolicy: GatePolicy = DEFAULT_GATE_POLICY,
): ChangeDetail {
  const f = rowFields(row);
  const gates = gatesOf(db, row.id);
  const comments = (
    stmt(db, "SELECT id, change_id, author, body, created_at FROM comments WHERE change_id = ? ORDER BY rowid").all(
      row.id,
    ) as { id: string; change_id: string; author: string; body: string; created_at: string }[]
  ).map((c): Comment => ({ id: c.id, changeId: c.change_id, author: c.author, body: c.body, createdAt: c.created_at }));
  const evidence = evidenceOf(db, row.id);
  return {
    ...toSummary(row, now.getTime()),
    description: f.description,
    dbMigration: f.dbMigration,
    rollbackPlan: f.rollbackPlan,
    snapshotRef: f.snapshotRef,
    checkpointRef: f.checkpointRef,
    links: {
      incident: f.links.incident ?? null,
      ticket: f.links.ticket ?? null,
      pullRequest: f.links.pullRequest ?? null,
    },
    validation: f.validation,
    template: f.template,
    comments,
    assessment: latestAssessment(db, row.id),
    gates,
    evidence,
    onBehalfOf:
      row.on_behalf_of_email !== null ? { name: row.on_behalf_of_name ?? "", email: row.on_behalf_of_email } : null,
    artifact: artifactOf(row.artifact),
    // Every hand move; the register's handlers narrow this to what the caller may do (permissions.ts).
    allowedTransitions: row.deleted_at === null ? manualTransitions(row.type, row.status) : [],
    unavailableTransitions: [],
    derivedTransitions:
      row.deleted_at === null
        ? allowedTransitions(row.type, row.status).flatMap((to) => {
            const by = derivedBy(row.type, row.status, to);
            return by === null ? [] : [{ to, by }];
          })
        : [],
    productionReadiness: productionReadiness(gatePolicy, { risk: row.risk, validation: f.validation }, gates),
    deleted: row.deleted_at !== null,
  };
}
