import { AppError } from "../../errors/app-error";
import type { RiskAnswer, RiskBreakdownItem, RiskQuestion, RiskQuestionnaire } from "./record-shapes";
import type { RiskClass } from "./vocabulary";

/** The risk questionnaire: questions, weights and thresholds as data, so the CAB can tune them in one place. */
export const RISK_QUESTIONNAIRE: RiskQuestionnaire = {
  version: 1,
  thresholds: { medium: 4, high: 8 },
  questions: [
    {
      id: "production-hours",
      text: "Does it touch MRP or stock while production is running?",
      kind: "boolean",
      yes: 3,
      no: 0,
    },
    { id: "db-migration", text: "Does it include a database migration?", kind: "boolean", yes: 3, no: 0 },
    { id: "tested-preproduction", text: "Was it tested in pre-production?", kind: "boolean", yes: 0, no: 3 },
    { id: "rollback-rehearsed", text: "Was the rollback rehearsed?", kind: "boolean", yes: 0, no: 2 },
    {
      id: "integrations",
      text: "Which integrations does it touch?",
      kind: "multi",
      options: [
        { value: "mes", label: "MES", weight: 1 },
        { value: "wms", label: "WMS", weight: 1 },
        { value: "edi", label: "EDI", weight: 1 },
        { value: "shipping", label: "Shipping", weight: 1 },
      ],
    },
    {
      id: "plants",
      text: "How many plants does it affect?",
      kind: "count",
      bands: [
        { min: 1, weight: 0 },
        { min: 2, weight: 1 },
        { min: 3, weight: 2 },
      ],
    },
    {
      id: "close-period",
      text: "Does the window fall inside an accounting close period?",
      kind: "boolean",
      yes: 2,
      no: 0,
    },
  ],
};

/** A scored questionnaire. */
export interface RiskScore {
  readonly score: number;
  readonly riskClass: RiskClass;
  readonly breakdown: readonly RiskBreakdownItem[];
}

/** The class a score falls in under the questionnaire's thresholds. */
export function classify(score: number, thresholds: RiskQuestionnaire["thresholds"]): RiskClass {
  if (score >= thresholds.high) return "high";
  if (score >= thresholds.medium) return "medium";
  return "low";
}

/**
 * Scores answers against a questionnaire. Every question must be answered in its own shape;
 * unknown questions and options are refused so a typo cannot lower the score silently.
 */
export function scoreRisk(q: RiskQuestionnaire, answers: Readonly<Record<string, RiskAnswer>>): RiskScore {
  const known = new Set(q.questions.map((x) => x.id));
  for (const id of Object.keys(answers)) {
    if (!known.has(id)) throw bad(id, "is not a question of the risk questionnaire");
  }
  const breakdown = q.questions.map((question) => {
    if (!Object.hasOwn(answers, question.id)) throw bad(question.id, "needs an answer");
    return { questionId: question.id, points: points(question, answers[question.id]) };
  });
  const score = breakdown.reduce((sum, b) => sum + b.points, 0);
  return { score, riskClass: classify(score, q.thresholds), breakdown };
}

function points(question: RiskQuestion, answer: RiskAnswer | undefined): number {
  switch (question.kind) {
    case "boolean":
      if (typeof answer !== "boolean") throw bad(question.id, "needs yes or no (true or false)");
      return answer ? question.yes : question.no;
    case "multi": {
      if (!Array.isArray(answer)) throw bad(question.id, "needs a list of options");
      const list: readonly string[] = answer;
      if (new Set(list).size !== list.length) throw bad(question.id, "lists an option twice");
      return list.reduce((sum, value) => {
        const option = question.options.find((o) => o.value === value);
        if (!option) throw bad(question.id, `has no option ${JSON.stringify(value)}`);
        return sum + option.weight;
      }, 0);
    }
    case "count": {
      if (typeof answer !== "number" || !Number.isInteger(answer) || answer < 0) {
        throw bad(question.id, "needs a whole number");
      }
      let weight = 0;
      for (const band of question.bands) if (answer >= band.min) weight = band.weight;
      return weight;
    }
    default: {
      const never: never = question;
      throw new AppError("internal", `Unknown question kind in ${JSON.stringify(never)}.`);
    }
  }
}

function bad(id: string, message: string): AppError {
  return new AppError("invalid-input", `Risk answer ${id} ${message}.`, {
    issues: [{ path: `answers.${id}`, message }],
  });
}
