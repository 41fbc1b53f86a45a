import { createHash } from "node:crypto";
import { readFileSync, statSync } from "node:fs";
import { isAbsolute } from "node:path";
import { BOUNDS } from "../../../shared/contract/bounds";
import {
  AppError,
  type Evidence,
  type EvidenceContent,
  type RiskAnswer,
  type RiskAssessment,
} from "../../../shared/contract/index";
import type { RiskPolicy } from "../../../shared/domain/policy/risk-policy";
import { EDITABLE } from "../../../shared/domain/register/lifecycle";
import { questionnaireFor, scoreWithFacts } from "../../../shared/domain/register/risk-facts";
import type { RiskClass } from "../../../shared/domain/register/vocabulary";
import { type ChangeRow, RISK_RANK, touchChange } from "./change-rows";
import type { OpEnv } from "./ops-env";
import { findEvidence, findEvidenceAt, liveChange } from "./queries";
import { changeFacts } from "./risk-facts";
import { BUILT_IN_RISK_RULES } from "./risk-rules";
import { stmt } from "./statements";

/**
 * Evidence files are kept inside the register; beyond this they belong in a document system. The same bound
 * for every door: its base64 must fit the browser door's request body (docs/contract-bounds.md).
 */
const MAX_EVIDENCE_BYTES = BOUNDS.evidenceBytes;
const TOO_LARGE = `larger than ${BOUNDS.evidenceBytes / 1_000_000} MB; attach a smaller file or link the document from the change`;

/** The policy a risk assessment is made under: weights, thresholds, floors, and the protected environments. */
interface RiskRules {
  readonly risk: RiskPolicy;
  readonly protectedEnvironments: readonly string[];
}

/**
 * Scores the answers with the facts the register knows filled in (a contradicting answer is refused), keeps them,
 * and sets the change's risk class and score; `check` may refuse the class first.
 */
export function assessRisk(
  env: OpEnv,
  input: { changeId: string; answers: Record<string, RiskAnswer> },
  check: (row: ChangeRow, riskClass: RiskClass) => void = () => undefined,
  rules: RiskRules = BUILT_IN_RISK_RULES,
): RiskAssessment {
  const row = liveChange(env.db, input.changeId);
  if (!EDITABLE.includes(row.status)) {
    throw new AppError(
      "illegal-transition",
      `The risk of a ${row.status} change can no longer be reassessed; only ${EDITABLE.join(", ")} changes can.`,
      { from: row.status, allowed: [...EDITABLE] },
    );
  }
  const questionnaire = questionnaireFor(rules.risk);
  const facts = changeFacts(env.db, row, rules.protectedEnvironments);
  const scored = scoreWithFacts(questionnaire, rules.risk, facts, input.answers);
  check(row, scored.riskClass);
  const assessment: RiskAssessment = {
    changeId: row.id,
    questionnaireVersion: questionnaire.version,
    answers: scored.answers,
    breakdown: scored.breakdown,
    score: scored.score,
    floors: scored.floors,
    riskClass: scored.riskClass,
    assessedBy: env.actor,
    assessedAt: env.now.toISOString(),
  };
  stmt(
    env.db,
    `INSERT INTO risk_assessments (id, change_id, questionnaire_version, answers, breakdown, score, risk_class,
      assessed_by, assessed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    env.newId(),
    row.id,
    assessment.questionnaireVersion,
    JSON.stringify(assessment.answers),
    // The floors travel with the breakdown (how the class was reached), so no column is added for them.
    JSON.stringify({ items: assessment.breakdown, floors: assessment.floors }),
    assessment.score,
    assessment.riskClass,
    assessment.assessedBy,
    assessment.assessedAt,
  );
  stmt(
    env.db,
    "UPDATE changes SET risk = ?, risk_rank = ?, risk_score = ?, updated_at = ?, version = version + 1 WHERE id = ?",
  ).run(assessment.riskClass, RISK_RANK[assessment.riskClass], assessment.score, assessment.assessedAt, row.id);
  env.audit({
    action: "risk.assess",
    entity: "change",
    entityId: row.id,
    before: { risk: row.risk, riskScore: row.risk_score },
    after: assessment,
    actor: env.actor,
  });
  return assessment;
}

const MEDIA_TYPES: Readonly<Record<string, string>> = {
  pdf: "application/pdf",
  png: "image/png",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  txt: "text/plain",
  log: "text/plain",
  csv: "text/csv",
  json: "application/json",
  html: "text/html",
  xml: "application/xml",
  zip: "application/zip",
};

/** The media type a file name suggests. */
export function mediaTypeOf(filename: string): string {
  const ext = filename.toLowerCase().split(".").pop() ?? "";
  return MEDIA_TYPES[ext] ?? "application/octet-stream";
}

// Only the CLI and in-process callers name files on this machine: a window or browser page must not be
// able to pull arbitrary local files into the register and read them back.
function readEvidenceFile(env: OpEnv, path: string): Buffer {
  if (env.door !== "cli" && env.door !== "direct") {
    throw new AppError("forbidden", "Attach the file's content; a file path is accepted only from the command line.");
  }
  if (!isAbsolute(path)) throw new AppError("invalid-input", "The evidence path must be absolute.");
  try {
    const size = statSync(path).size;
    if (size > MAX_EVIDENCE_BYTES) throw new AppError("invalid-input", `The evidence file is ${TOO_LARGE}.`);
    return readFileSync(path);
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw new AppError("not-found", `The evidence file ${path} cannot be read.`);
  }
}

/** Attaches content to a change or gate; identical content at the same place is kept once. */
export function attachEvidence(
  env: OpEnv,
  input: {
    changeId: string;
    gateId?: string;
    filename: string;
    mediaType?: string;
    contentBase64?: string;
    path?: string;
  },
): Evidence & { deduplicated: boolean } {
  const row = liveChange(env.db, input.changeId);
  const gateId = input.gateId ?? null;
  if (gateId !== null) {
    const owner = stmt(env.db, "SELECT change_id FROM gates WHERE id = ?").pluck().get(gateId);
    if (owner !== row.id) throw new AppError("not-found", `Change ${row.id} has no gate ${gateId}.`);
  }
  const content =
    input.path !== undefined ? readEvidenceFile(env, input.path) : Buffer.from(input.contentBase64 ?? "", "base64");
  if (content.length > MAX_EVIDENCE_BYTES) throw new AppError("invalid-input", `The evidence is ${TOO_LARGE}.`);
  const sha256 = createHash("sha256").update(content).digest("hex");
  const existing = findEvidenceAt(env.db, row.id, gateId, sha256);
  if (existing) return { ...existing, deduplicated: true };
  stmt(env.db, "INSERT OR IGNORE INTO blobs (sha256, size, content) VALUES (?, ?, ?)").run(
    sha256,
    content.length,
    content,
  );
  const evidence: Evidence = {
    id: env.newId(),
    changeId: row.id,
    gateId,
    filename: input.filename,
    mediaType: input.mediaType ?? mediaTypeOf(input.filename),
    size: content.length,
    sha256,
    attachedBy: env.actor,
    attachedAt: env.now.toISOString(),
  };
  stmt(
    env.db,
    `INSERT INTO evidence (id, change_id, gate_id, filename, media_type, sha256, size, attached_by, attached_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    evidence.id,
    evidence.changeId,
    evidence.gateId,
    evidence.filename,
    evidence.mediaType,
    evidence.sha256,
    evidence.size,
    evidence.attachedBy,
    evidence.attachedAt,
  );
  touchChange(env.db, row.id, evidence.attachedAt);
  env.audit({
    action: "evidence.attach",
    entity: "evidence",
    entityId: evidence.id,
    after: evidence,
    actor: env.actor,
  });
  return { ...evidence, deduplicated: false };
}

/** An evidence file's metadata and content. */
export function readEvidence(env: Pick<OpEnv, "db">, id: string): EvidenceContent {
  const evidence = findEvidence(env.db, id);
  if (!evidence) throw new AppError("not-found", `There is no evidence ${id} in this register.`);
  const content = stmt(env.db, "SELECT content FROM blobs WHERE sha256 = ?").pluck().get(evidence.sha256);
  if (!(content instanceof Buffer)) throw new AppError("storage-corrupt", `The content of evidence ${id} is missing.`);
  return { evidence, contentBase64: content.toString("base64") };
}
