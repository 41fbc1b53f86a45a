import { describe, expect, it } from "vitest";
import type { RiskQuestionnaire } from "../../../../../shared/contract/index";
import { classify, RISK_QUESTIONNAIRE, scoreRisk } from "../../../../../shared/domain/register/risk";

const low = {
  "production-hours": false,
  "db-migration": false,
  "tested-preproduction": true,
  "rollback-rehearsed": true,
  integrations: [],
  plants: 1,
  "close-period": false,
};

describe("risk scoring", () => {
  it("scores a harmless change 0, low", () => {
    expect(scoreRisk(RISK_QUESTIONNAIRE, low)).toMatchObject({ score: 0, riskClass: "low" });
  });

  it("adds the weights of each answer and keeps a breakdown per question", () => {
    const result = scoreRisk(RISK_QUESTIONNAIRE, {
      ...low,
      "production-hours": true,
      "tested-preproduction": false,
      integrations: ["mes", "edi"],
      plants: 3,
    });
    expect(result.score).toBe(3 + 3 + 2 + 2);
    expect(result.riskClass).toBe("high");
    expect(result.breakdown).toContainEqual({ questionId: "integrations", points: 2 });
    expect(result.breakdown).toContainEqual({ questionId: "plants", points: 2 });
  });

  it("classifies at the thresholds: medium from 4, high from 8", () => {
    const t = RISK_QUESTIONNAIRE.thresholds;
    expect([3, 4, 7, 8].map((s) => classify(s, t))).toEqual(["low", "medium", "medium", "high"]);
  });

  it("uses the weights and thresholds it is given (data, not code)", () => {
    const q: RiskQuestionnaire = {
      version: 9,
      thresholds: { medium: 1, high: 2 },
      questions: [{ id: "x", text: "x?", kind: "boolean", yes: 1, no: 0 }],
    };
    expect(scoreRisk(q, { x: true }).riskClass).toBe("medium");
  });

  it.each([
    [{ ...low, extra: true }, "extra"],
    [{ ...low, "db-migration": 1 }, "db-migration"],
    [{ ...low, integrations: ["sap"] }, "integrations"],
    [{ ...low, integrations: ["mes", "mes"] }, "integrations"],
    [{ ...low, plants: true }, "plants"],
    [Object.fromEntries(Object.entries(low).filter(([k]) => k !== "close-period")), "close-period"],
  ])("refuses malformed answers (%#) naming the question", (answers, id) => {
    expect(() => scoreRisk(RISK_QUESTIONNAIRE, answers)).toThrow(expect.objectContaining({ code: "invalid-input" }));
    expect(() => scoreRisk(RISK_QUESTIONNAIRE, answers)).toThrow(id);
  });
});
