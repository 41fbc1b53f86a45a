import { AppError } from "../../errors/app-error";
import type { RiskFloorFact, RiskPolicy } from "../policy/risk-policy";
import type { RiskAnswer, RiskBreakdownItem, RiskFloorApplied, RiskQuestion, RiskQuestionnaire } from "./record-shapes";
import { classify, RISK_QUESTIONNAIRE, scoreRisk } from "./risk";
import { type Area, RISK_CLASSES, type RiskClass } from "./vocabulary";

/** What the app knows about a change that bears on its risk (gathered by the core from the change and calendars). */
export interface ChangeFacts {
  readonly plants: readonly string[];
  readonly dbMigration: boolean;
  readonly environment: string;
  readonly protectedEnvironment: boolean;
  readonly area: Area;
  /** The blackouts (close periods, peak freezes) of its plants the window runs into, described. */
  readonly blackouts: readonly string[];
  /** The production shifts of its plants the window overlaps, described. */
  readonly shifts: readonly string[];
}

/** An answer a fact gives, with the fact in words. */
interface FactAnswer {
  readonly answer: RiskAnswer;
  readonly because: string;
}

// The areas whose changes touch MRP or stock: while a shift runs, the production-hours question is answered yes.
const SHOP_FLOOR_AREAS: readonly Area[] = ["mrp", "bom", "warehouse"];

/** The questionnaire with policy.yaml's weights and thresholds applied (the built-in one is the default). */
export function questionnaireFor(policy: RiskPolicy): RiskQuestionnaire {
  const questions = RISK_QUESTIONNAIRE.questions.map((q) => {
    const w = policy.weights[q.id];
    return w === undefined ? q : weighted(q, w);
  });
  for (const id of Object.keys(policy.weights)) {
    if (!questions.some((q) => q.id === id)) throw policyError(`risk.weights names no question ${id}`);
  }
  return { ...RISK_QUESTIONNAIRE, questions, thresholds: policy.thresholds ?? RISK_QUESTIONNAIRE.thresholds };
}

function weighted(q: RiskQuestion, w: RiskPolicy["weights"][string]): RiskQuestion {
  if (q.kind === "boolean" && !Array.isArray(w) && "yes" in w && "no" in w && Object.keys(w).length === 2) {
    return { ...q, yes: Number(w.yes), no: Number(w.no) };
  }
  if (q.kind === "count" && Array.isArray(w)) return { ...q, bands: w };
  if (q.kind === "multi" && !Array.isArray(w)) {
    const weights: Readonly<Record<string, number>> = w;
    for (const value of Object.keys(weights)) {
      if (!q.options.some((o) => o.value === value)) throw policyError(`risk.weights.${q.id} has no option ${value}`);
    }
    return { ...q, options: q.options.map((o) => ({ ...o, weight: weights[o.value] ?? o.weight })) };
  }
  throw policyError(`risk.weights.${q.id} does not match the question's kind (${q.kind})`);
}

function policyError(problem: string): AppError {
  return new AppError("unavailable", `policy.yaml: ${problem}. Fix .shiftgate/policy.yaml, then assess again.`, {
    reason: "policy-invalid",
    problem,
  });
}

/** The questions the facts answer, with the fact in words. */
export function factAnswers(facts: ChangeFacts): ReadonlyMap<string, FactAnswer> {
  const out = new Map<string, FactAnswer>();
  const n = facts.plants.length;
  out.set("plants", {
    answer: n,
    because: `the change names ${n} plant${n === 1 ? "" : "s"}${n > 0 ? ` (${facts.plants.join(", ")})` : ""}`,
  });
  out.set("db-migration", {
    answer: facts.dbMigration,
    because: facts.dbMigration ? "the change includes a database migration" : "the change has no database migration",
  });
  // Only a "yes" is known: a close period or peak the calendars do not hold as a blackout is the requester's to say.
  if (facts.blackouts.length > 0) {
    out.set("close-period", { answer: true, because: `the window runs into ${facts.blackouts.join("; ")}` });
  }
  if (facts.shifts.length > 0 && SHOP_FLOOR_AREAS.includes(facts.area)) {
    out.set("production-hours", {
      answer: true,
      because: `the ${facts.area} change's window overlaps production (${facts.shifts.join("; ")})`,
    });
  }
  return out;
}

/** The minimum classes the facts set under the policy's floors. */
function factFloors(facts: ChangeFacts, policy: RiskPolicy): { riskClass: RiskClass; because: string }[] {
  const holds: Record<RiskFloorFact, string | null> = {
    protectedEnvironment: facts.protectedEnvironment ? `${facts.environment} is a protected environment` : null,
    dbMigration: facts.dbMigration ? "the change includes a database migration" : null,
    closePeriod: facts.blackouts.length > 0 ? `the window runs into ${facts.blackouts.join("; ")}` : null,
    productionHours: facts.shifts.length > 0 ? `the window overlaps production (${facts.shifts.join("; ")})` : null,
    multiplePlants: facts.plants.length > 1 ? `the change names ${facts.plants.length} plants` : null,
  };
  return Object.entries(policy.floors).flatMap(([fact, riskClass]) => {
    const because = holds[fact as RiskFloorFact];
    return because && riskClass ? [{ riskClass, because }] : [];
  });
}

/** A scored assessment with each answer's source and the floors applied. */
interface FactScore {
  readonly answers: Readonly<Record<string, RiskAnswer>>;
  readonly breakdown: readonly RiskBreakdownItem[];
  readonly score: number;
  readonly floors: readonly RiskFloorApplied[];
  readonly riskClass: RiskClass;
}

/**
 * Scores the declared answers with the facts filled in: a question a fact answers may be left out, and an answer
 * that contradicts the fact is refused with the fact shown. The class is the higher of the score's and the floors'.
 */
export function scoreWithFacts(
  q: RiskQuestionnaire,
  policy: RiskPolicy,
  facts: ChangeFacts,
  declared: Readonly<Record<string, RiskAnswer>>,
): FactScore {
  const known = factAnswers(facts);
  const answers: Record<string, RiskAnswer> = { ...declared };
  for (const [id, fact] of known) {
    if (Object.hasOwn(declared, id) && !sameAnswer(declared[id], fact.answer)) {
      const message = `contradicts the change: ${fact.because}, so the answer is ${show(fact.answer)}, not ${show(declared[id])}`;
      throw new AppError(
        "invalid-input",
        `Risk answer ${id} ${message}. Leave the question for the app to answer, or correct the change first.`,
        {
          issues: [{ path: `answers.${id}`, message }],
          fact: { question: id, answer: fact.answer, because: fact.because },
        },
      );
    }
    answers[id] = fact.answer;
  }
  const scored = scoreRisk(q, answers);
  const breakdown = scored.breakdown.map((b) => {
    const fact = known.get(b.questionId);
    const answer = answers[b.questionId] as RiskAnswer;
    return fact
      ? { ...b, answer, source: "fact" as const, fact: fact.because }
      : { ...b, answer, source: "declared" as const };
  });
  let riskClass = classify(scored.score, q.thresholds);
  const floors = factFloors(facts, policy).map((f) => {
    const raised = rank(f.riskClass) > rank(scored.riskClass);
    if (rank(f.riskClass) > rank(riskClass)) riskClass = f.riskClass;
    return { ...f, raised };
  });
  return { answers, breakdown, score: scored.score, floors, riskClass };
}

const rank = (c: RiskClass) => RISK_CLASSES.indexOf(c);

function sameAnswer(a: RiskAnswer | undefined, b: RiskAnswer): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function show(answer: RiskAnswer | undefined): string {
  if (answer === true) return "yes";
  if (answer === false) return "no";
  return JSON.stringify(answer);
}
