import type { DecisionEvidence, DecisionView, RiskReason } from "../../../shared/contract/methods/approvals";
import type { Gate, RiskAnswer, RiskAssessment, RiskQuestion } from "../../../shared/contract/methods/register";
import { displayNumber } from "../../../shared/domain/register/change-number";
import { RISK_QUESTIONNAIRE } from "../../../shared/domain/register/risk";
import { findPlant } from "../calendar/plant-store";
import { artifactOf, type ChangeRow, rowFields } from "../register/change-rows";
import type { Db } from "../register/db";
import { evidenceRecordsOf } from "../register/ledger-reads";
import { evidenceOf, latestAssessment } from "../register/queries";
import { plantName } from "./state";

function answerText(answer: RiskAnswer | undefined, question: RiskQuestion | undefined): string {
  if (answer === undefined) return "not answered";
  if (typeof answer === "boolean") return answer ? "Yes" : "No";
  if (typeof answer === "number") return String(answer);
  const label = (v: string) => (question?.kind === "multi" ? question.options.find((o) => o.value === v)?.label : v);
  return answer.length > 0 ? answer.map((v) => label(v) ?? v).join(", ") : "None";
}

// The reasons behind the score as the register holds them: each question the assessor answered, with its points.
function riskReasons(assessment: RiskAssessment): RiskReason[] {
  const questions = RISK_QUESTIONNAIRE.version === assessment.questionnaireVersion ? RISK_QUESTIONNAIRE.questions : [];
  return assessment.breakdown.map((b) => {
    const question = questions.find((q) => q.id === b.questionId);
    return {
      question: question?.text ?? b.questionId,
      answer: answerText(assessment.answers[b.questionId], question),
      points: b.points,
    };
  });
}

// Every evidence file behind the change's gates: the files this register holds, and the files a gate record names
// by hash wherever they are (a record made on another laptop may name files this one lacks).
function decisionEvidence(db: Db, changeId: string, gates: readonly Gate[]): DecisionEvidence[] {
  const here: DecisionEvidence[] = evidenceOf(db, changeId).map((e) => ({
    filename: e.filename,
    sha256: e.sha256,
    size: e.size,
    gateId: e.gateId,
    location: "here",
  }));
  const named = gates.flatMap((g) =>
    g.evidence
      .filter((ref) => !here.some((h) => h.sha256 === ref.sha256 && h.gateId === g.id))
      .map((ref): DecisionEvidence => ({ ...ref, gateId: g.id })),
  );
  // Evidence of the change as a whole that a signed record names but whose bytes this laptop does not hold.
  const recorded = evidenceRecordsOf(db, changeId)
    .filter((r) => !here.some((h) => h.sha256 === r.sha256 && h.gateId === null))
    .map((r): DecisionEvidence => ({ ...r, gateId: null, location: r.location === "store" ? "store" : "missing" }));
  return [...here, ...named, ...recorded];
}

/** What the signer sees of the change itself beside the quorum (the approval panel and the CAB item). */
export function decisionView(db: Db, row: ChangeRow, gates: readonly Gate[]): DecisionView {
  const f = rowFields(row);
  const assessment = latestAssessment(db, row.id);
  return {
    number: displayNumber(row),
    description: f.description,
    rollbackPlan: f.rollbackPlan,
    snapshotRef: f.snapshotRef,
    checkpointRef: f.checkpointRef,
    artifact: artifactOf(row.artifact),
    risk: assessment
      ? {
          score: assessment.score,
          assessedBy: assessment.assessedBy,
          assessedAt: assessment.assessedAt,
          reasons: riskReasons(assessment),
        }
      : null,
    evidence: decisionEvidence(db, row.id, gates),
    plantZones: f.plants.map((id) => {
      const plant = findPlant(db, id);
      return { plant: id, name: plant?.name ?? plantName(id), timeZone: plant?.timeZone ?? "UTC" };
    }),
  };
}
