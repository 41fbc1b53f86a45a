import { describe, expect, it } from "vitest";
import { parsePolicy } from "../../../../../shared/domain/policy/index";
import { type ChangeFacts, questionnaireFor, scoreWithFacts } from "../../../../../shared/domain/register/risk-facts";
import { rollbackBlockers } from "../../../../../shared/domain/register/rollback";

const FACTS: ChangeFacts = {
  plants: ["berlin"],
  dbMigration: false,
  environment: "production",
  protectedEnvironment: true,
  area: "warehouse",
  blackouts: [],
  shifts: [],
};
const DECLARED = {
  "production-hours": false,
  "tested-preproduction": true,
  "rollback-rehearsed": true,
  integrations: [],
  "close-period": false,
};

describe("risk floored by facts (pure rules)", () => {
  it("a floor applies only while its fact holds", () => {
    const policy = { weights: {}, floors: { dbMigration: "high", protectedEnvironment: "medium" } } as const;
    const q = questionnaireFor(policy);
    expect(scoreWithFacts(q, policy, { ...FACTS, protectedEnvironment: false }, DECLARED)).toMatchObject({
      riskClass: "low",
      floors: [],
    });
    expect(scoreWithFacts(q, policy, { ...FACTS, dbMigration: true }, DECLARED)).toMatchObject({
      score: 3,
      riskClass: "high",
      floors: [
        { riskClass: "high", because: "the change includes a database migration", raised: true },
        { riskClass: "medium", because: "production is a protected environment", raised: true },
      ],
    });
  });

  it("shifts answer production hours only for a change that touches MRP or stock", () => {
    const policy = { weights: {}, floors: {} };
    const q = questionnaireFor(policy);
    const shifts = ['Berlin Assembly\'s shift "Early" (2026-12-07 06:00 – 14:00 Europe/Berlin)'];
    expect(() => scoreWithFacts(q, policy, { ...FACTS, shifts }, DECLARED)).toThrow(/production-hours contradicts/);
    expect(scoreWithFacts(q, policy, { ...FACTS, shifts, area: "accounting" }, DECLARED).score).toBe(0);
  });

  it("policy weights must fit their question, and risk: parses with the rest of policy.yaml", () => {
    expect(() => questionnaireFor({ weights: { plants: { yes: 1, no: 0 } }, floors: {} })).toThrow(
      /risk.weights.plants does not match the question's kind \(count\)/,
    );
    expect(() => questionnaireFor({ weights: { "moon-phase": { yes: 1, no: 0 } }, floors: {} })).toThrow(
      /names no question moon-phase/,
    );
    expect(() => questionnaireFor({ weights: { integrations: { sap: 2 } }, floors: {} })).toThrow(/has no option sap/);
    const base = "version: 1\napprovals: {}\n";
    expect(parsePolicy(`${base}risk: {floors: {closePeriod: high}}\nrollback: {snapshotMaxAge: 12h}\n`)).toMatchObject({
      risk: { floors: { closePeriod: "high" }, weights: {} },
      rollback: { snapshotMaxAge: "12h", planRequiredFor: ["production"] },
    });
    expect(() => parsePolicy(`${base}risk: {floors: {moonPhase: high}}\n`)).toThrow();
    expect(() => parsePolicy(`${base}risk: {thresholds: {medium: 9, high: 4}}\n`)).toThrow();
  });

  it("rollback readiness: a plan for production (not for an emergency), a snapshot for any migration", () => {
    const policy = { planRequiredFor: ["production"], snapshotMaxAge: "24h" };
    const change = {
      type: "normal",
      environment: "production",
      dbMigration: true,
      rollbackPlan: "",
      snapshotRef: null,
    } as const;
    expect(rollbackBlockers(change, policy)).toHaveLength(2);
    expect(rollbackBlockers({ ...change, type: "emergency" }, policy)).toEqual([
      expect.stringContaining("needs a pre-deployment snapshot"),
    ]);
    expect(rollbackBlockers({ ...change, environment: "qa", snapshotRef: "snap-1" }, policy)).toEqual([]);
  });
});
