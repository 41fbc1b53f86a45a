import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { ChangeDetail, RiskAssessment, RiskQuestionnaire } from "../../../shared/contract/index";
import { bypassWorld } from "../../helpers/bypass-world";
import { actAs } from "../approvals/support";
import {
  CHANGE_MANAGER,
  call,
  GATE_RECORDER,
  lowRiskAnswers,
  newChange,
  recordGates,
} from "../register/register-fixtures";

// Issue #15 item 5: a three-plant change with a database migration answered "one plant, no migration", scored 0,
// low, and got the low quorum. The facts the app knows answer their questions; a contradicting answer is refused at
// every door with the fact shown, and nothing changes. policy.yaml's `risk:` sets weights, thresholds and floors.

let policyFile: string;
const world = bypassWorld({}, async (w) => {
  policyFile = join(
    w.core.services.gitopsDir ?? expect.fail("the demo has a working copy"),
    ".shiftgate",
    "policy.yaml",
  );
});

async function draft(overrides: Record<string, unknown>): Promise<ChangeDetail> {
  await actAs(world.core, "lena.weber@plant.example");
  const c = await call<ChangeDetail>(world.core, "change.create", newChange(overrides));
  await actAs(world.core, CHANGE_MANAGER);
  return c;
}

describe("risk answers the change's facts contradict are refused at every door", () => {
  it("the seen case: three plants and a migration answered as one plant, no migration", async () => {
    const c = await draft({ plants: ["berlin", "chicago", "pune"], dbMigration: true });
    await world.refused(
      "risk.assess",
      { changeId: c.id, answers: { ...lowRiskAnswers(), plants: 1 } },
      {
        code: "invalid-input",
        message:
          /^Risk answer plants contradicts the change: the change names 3 plants \(berlin, chicago, pune\), so the answer is 3, not 1\./,
      },
    );
    await world.refused(
      "risk.assess",
      { changeId: c.id, answers: { ...lowRiskAnswers(), "db-migration": false } },
      {
        code: "invalid-input",
        message:
          /^Risk answer db-migration contradicts the change: the change includes a database migration, so the answer is yes, not no\./,
      },
    );
    expect((await call<ChangeDetail>(world.core, "change.get", { id: c.id })).assessment).toBeNull();
  });

  it("a window in a plant's close period answered as outside one is refused, naming the blackout", async () => {
    const c = await draft({
      plants: ["berlin"],
      window: { start: "2026-12-31T10:00:00+01:00", end: "2026-12-31T12:00:00+01:00" },
    });
    await world.refused(
      "risk.assess",
      { changeId: c.id, answers: lowRiskAnswers() },
      {
        code: "invalid-input",
        message:
          /^Risk answer close-period contradicts the change: the window runs into Berlin Assembly's blackout "Month-end inventory close"/,
      },
    );
  });

  it("left unanswered, the facts answer: the seen case scores high, and the record shows how", async () => {
    const c = await draft({ plants: ["berlin", "chicago", "pune"], dbMigration: true });
    // Only what no fact answers is declared: the plants, the migration and Chicago's day shift are known.
    const declared = {
      "tested-preproduction": true,
      "rollback-rehearsed": true,
      integrations: [],
      "close-period": false,
    };
    const a = await call<RiskAssessment>(world.core, "risk.assess", { changeId: c.id, answers: declared });
    expect(a).toMatchObject({ score: 8, riskClass: "high", floors: [] });
    expect(a.answers).toMatchObject({ plants: 3, "db-migration": true, "production-hours": true });
    expect(a.breakdown).toContainEqual({
      questionId: "plants",
      points: 2,
      answer: 3,
      source: "fact",
      fact: "the change names 3 plants (berlin, chicago, pune)",
    });
    expect(a.breakdown.find((b) => b.questionId === "production-hours")).toMatchObject({
      points: 3,
      source: "fact",
      fact: expect.stringContaining(`Chicago Packaging's shift "Crew B day"`),
    });
    expect(a.breakdown).toContainEqual({
      questionId: "rollback-rehearsed",
      points: 0,
      answer: true,
      source: "declared",
    });
    const detail = await call<ChangeDetail>(world.core, "change.get", { id: c.id });
    expect(detail).toMatchObject({ risk: "high", riskScore: 8, assessment: { floors: [], breakdown: a.breakdown } });
  });
});

describe("an assessment the change's facts no longer bear out", () => {
  it("a change given more plants after its assessment cannot ask for approval until assessed again", async () => {
    const c = await draft({ plants: ["berlin"], validation: [] });
    await call(world.core, "change.transition", { id: c.id, to: "submitted" });
    await call(world.core, "risk.assess", { changeId: c.id, answers: lowRiskAnswers() });
    await call(world.core, "change.transition", { id: c.id, to: "assessed" });
    await actAs(world.core, "lena.weber@plant.example");
    await call(world.core, "change.update", { id: c.id, patch: { plants: ["berlin", "chicago", "pune"] } });
    await world.refused(
      "change.transition",
      { id: c.id, to: "awaiting-approval" },
      {
        code: "gate-failed",
        message:
          /^The risk assessment no longer matches the change \(plants: the change names 3 plants \(berlin, chicago, pune\)\); assess its risk again/,
      },
    );
    await actAs(world.core, CHANGE_MANAGER);
    // Chicago's day shift now answers production hours too: only what no fact decides is declared.
    const { "production-hours": _, ...declared } = lowRiskAnswers();
    const again = await call<RiskAssessment>(world.core, "risk.assess", { changeId: c.id, answers: declared });
    expect(again.answers).toMatchObject({ plants: 3, "production-hours": true });
    // The policy's pre-production gates (no change drops them), recorded by a plant-ops-leader.
    await actAs(world.core, GATE_RECORDER);
    await recordGates(world.core, c.id, "preproduction");
    await actAs(world.core, "lena.weber@plant.example");
    const asked = await call<ChangeDetail>(world.core, "change.transition", { id: c.id, to: "awaiting-approval" });
    expect(asked.status).toBe("awaiting-approval");
  });
});

describe("policy.yaml risk: weights, thresholds and floors", () => {
  it("a floor the facts meet raises the class and says why; the questionnaire shows the policy's weights", async () => {
    const before = readFileSync(policyFile, "utf8");
    try {
      writeFileSync(
        policyFile,
        `${before.trimEnd()}\nrisk:\n  thresholds: { medium: 3, high: 9 }\n  weights:\n    db-migration: { yes: 4, no: 0 }\n  floors:\n    protectedEnvironment: high\n`,
      );
      const q = await call<RiskQuestionnaire>(world.core, "risk.questionnaire", {});
      expect(q.thresholds).toEqual({ medium: 3, high: 9 });
      expect(q.questions.find((x) => x.id === "db-migration")).toMatchObject({ yes: 4, no: 0 });
      const c = await draft({ plants: ["berlin"], dbMigration: true });
      const a = await call<RiskAssessment>(world.core, "risk.assess", { changeId: c.id, answers: lowRiskAnswers() });
      expect(a).toMatchObject({
        score: 4,
        riskClass: "high",
        floors: [{ riskClass: "high", because: "production is a protected environment", raised: true }],
      });
      expect((await call<ChangeDetail>(world.core, "change.get", { id: c.id })).risk).toBe("high");
    } finally {
      writeFileSync(policyFile, before);
    }
  });
});
