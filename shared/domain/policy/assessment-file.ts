import { parse, stringify } from "yaml";
import type { RiskAnswer, RiskBreakdownItem, RiskFloorApplied } from "../register/record-shapes";
import type { RiskClass } from "../register/vocabulary";

/**
 * A risk assessment as it travels: `changes/<ID>/assessments/<email>-<time>.yaml`, signed by its assessor. Append-only
 * (a new assessment is a new file), so the answers and score another laptop shows are the ones the assessor signed.
 */
export interface AssessmentDoc {
  readonly change: string;
  readonly questionnaireVersion: number;
  readonly answers: Readonly<Record<string, RiskAnswer>>;
  /** Each answer's points and source (a fact the register knew, or declared by the assessor). */
  readonly breakdown: readonly RiskBreakdownItem[];
  readonly floors: readonly RiskFloorApplied[];
  readonly score: number;
  readonly riskClass: RiskClass;
  readonly assessedBy: { readonly name: string; readonly email: string };
  readonly assessedAt: string;
}

const CLASSES: readonly string[] = ["low", "medium", "high"];

/** The file of an assessment: the assessor's e-mail and the time, so two assessments never share a name. */
export function assessmentPath(change: string, email: string, at: string): string {
  const slug = (s: string) => s.toLowerCase().replace(/[^a-z0-9@.]+/g, "-");
  return `changes/${change}/assessments/${slug(email)}-${slug(at)}.yaml`;
}

export function writeAssessment(doc: AssessmentDoc): string {
  return stringify(doc, { lineWidth: 0 });
}

/** Reads an assessment file; throws when it is not one (verify and sync then leave it out). */
export function parseAssessment(text: string, path: string): AssessmentDoc {
  const raw = parse(text) as Partial<AssessmentDoc> | null;
  const by = raw?.assessedBy;
  if (
    !raw ||
    typeof raw.change !== "string" ||
    typeof raw.questionnaireVersion !== "number" ||
    typeof raw.score !== "number" ||
    !CLASSES.includes(String(raw.riskClass)) ||
    typeof raw.answers !== "object" ||
    raw.answers === null ||
    !Array.isArray(raw.breakdown) ||
    typeof by?.email !== "string" ||
    typeof by.name !== "string" ||
    typeof raw.assessedAt !== "string" ||
    Number.isNaN(Date.parse(raw.assessedAt))
  )
    throw new Error(`${path} is not a risk assessment.`);
  return { ...raw, floors: Array.isArray(raw.floors) ? raw.floors : [] } as AssessmentDoc;
}
