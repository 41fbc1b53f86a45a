import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Core } from "../../../electron/core/core";
import { demoPolicy } from "../../../electron/core/gitops/demo-policy";
import type { ChangeDetail, Gate } from "../../../shared/contract/index";
import type { GateRule, Policy } from "../../../shared/domain/policy/index";
import { tempCore } from "../../helpers/temp";
import { type PolicyWorkingCopy, policyWorkingCopy } from "./policy-world";
import {
  CHANGE_MANAGER,
  call,
  GATE_RECORDER,
  GATES,
  lowRiskAnswers,
  newChange,
  recordGates,
} from "./register-fixtures";

// Issue #15 items 1-2: the gates come from policy.yaml, not from the change, and a pass carries what the policy asks.
const LENA = "lena.weber@plant.example";
const RELEASE = "tom.fischer@plant.example";

const plain = (gate: GateRule["gate"]): GateRule => ({
  gate,
  waivers: ["change-manager"],
  evidence: { measurements: [], file: false },
});
// mrp-run at pre-production must carry its duration (<= 45 min) and exceptions (== 0), and its log file.
const MRP: GateRule = {
  gate: "mrp-run",
  waivers: ["change-manager"],
  evidence: {
    measurements: [
      { name: "duration", unit: "min", op: "<=", value: 45, required: true },
      { name: "exceptions", op: "==", value: 0, required: true },
    ],
    file: true,
  },
};
const POLICY: Policy = {
  ...demoPolicy(),
  gates: {
    qa: GATES.map((g) => plain(g as GateRule["gate"])),
    preproduction: [MRP, ...GATES.slice(1).map((g) => plain(g as GateRule["gate"]))],
  },
};

let core: Core;
let repo: PolicyWorkingCopy;
let cleanup: () => void;
beforeAll(async () => {
  const t = await tempCore({ demo: false });
  core = t.core;
  repo = await policyWorkingCopy(t.dir, POLICY);
  cleanup = () => {
    t.cleanup();
    repo.cleanup();
  };
});
afterAll(() => cleanup());

// A production change that names no gates of its own, assessed, at the qa stage.
async function ungatedChangeAtQa(): Promise<ChangeDetail> {
  const c = await call<ChangeDetail>(core, "change.create", { ...newChange({ validation: [] }), actor: LENA });
  await call(core, "risk.assess", { changeId: c.id, answers: lowRiskAnswers(), actor: CHANGE_MANAGER });
  await call(core, "change.transition", { id: c.id, to: "submitted", actor: LENA });
  await call(core, "change.transition", { id: c.id, to: "assessed", actor: CHANGE_MANAGER });
  for (const to of ["integration", "qa"])
    await call(core, "change.promote", { id: c.id, to, actor: RELEASE, reason: "dev and integration gate nothing" });
  return call<ChangeDetail>(core, "change.get", { id: c.id });
}

describe("required gates come from the policy", () => {
  it("a change that names no gates still needs the policy's qa and pre-production gates", async () => {
    const c = await ungatedChangeAtQa();
    expect(c.validation).toEqual([]);
    const promote = await core.call("change.promote", { id: c.id, to: "preproduction", actor: RELEASE });
    expect(promote).toMatchObject({ ok: false, error: { code: "gate-failed" } });
    if (!promote.ok) expect(promote.error.message).toMatch(/mrp-run \(missing\)/);
    expect(c.productionReadiness.ready).toBe(false);
    expect(c.productionReadiness.blockers.map((b) => b.gate)).toEqual(GATES);
    const request = await core.call("change.transition", { id: c.id, to: "awaiting-approval", actor: LENA });
    expect(request).toMatchObject({ ok: false, error: { code: "gate-failed" } });
    const after = await call<ChangeDetail>(core, "change.get", { id: c.id });
    expect({ stage: after.stage, status: after.status }).toEqual({ stage: "qa", status: "assessed" });
  });

  it("change.update with validation: [] after submission does not drop them either", async () => {
    const c = await ungatedChangeAtQa();
    await call(core, "change.transition", { id: c.id, to: "draft", reason: "Rework", actor: LENA });
    await call(core, "change.update", { id: c.id, patch: { validation: [] }, reason: "No gates", actor: LENA });
    const promote = await core.call("change.promote", { id: c.id, to: "preproduction", actor: RELEASE });
    expect(promote).toMatchObject({ ok: false, error: { code: "gate-failed" } });
    await recordGates(core, c.id, "qa", "pass", GATE_RECORDER);
    expect(
      (await call<ChangeDetail>(core, "change.promote", { id: c.id, to: "preproduction", actor: RELEASE })).stage,
    ).toBe("preproduction");
  });
});

describe("a pass carries the measurements and files the policy asks for", () => {
  const log = Buffer.from(
    "MRP scheduler run, berlin preproduction\nplanned manufacturing orders: 131\nexceptions: 0\n",
  );
  const base = (id: string) => ({
    changeId: id,
    stage: "preproduction",
    gate: "mrp-run",
    result: "pass",
    actor: GATE_RECORDER,
  });

  it("refuses a pass without its measurements, with a missed target, or without its file; nothing is recorded", async () => {
    const c = await ungatedChangeAtQa();
    const file = [{ filename: "mrp-run.log", contentBase64: log.toString("base64") }];
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ evidence: file }, /must carry its measured duration \(target <= 45 min\), exceptions/],
      [
        {
          measurements: [
            { name: "duration", value: 52 },
            { name: "exceptions", value: 0 },
          ],
          evidence: file,
        },
        /duration 52 min misses its target <= 45: record mrp-run as failed/,
      ],
      [
        {
          measurements: [
            { name: "duration", value: 30 },
            { name: "exceptions", value: 0 },
          ],
        },
        /needs its evidence file/,
      ],
    ];
    for (const [extra, message] of cases) {
      const result = await core.call("gate.record", { ...base(c.id), ...extra });
      expect(result).toMatchObject({ ok: false, error: { code: "invalid-input" } });
      if (!result.ok) expect(result.error.message).toMatch(message);
    }
    const after = await call<ChangeDetail>(core, "change.get", { id: c.id });
    expect(after.gates).toEqual([]);
    expect(after.evidence).toEqual([]);
  });

  it("keeps the measured values against their targets and the evidence by hash; a missed target may be a fail", async () => {
    const c = await ungatedChangeAtQa();
    const gate = await call<Gate>(core, "gate.record", {
      ...base(c.id),
      measurements: [
        { name: "duration", value: 31 },
        { name: "exceptions", value: 0 },
        { name: "orders-planned", value: 131 },
      ],
      evidence: [{ filename: "mrp-run.log", contentBase64: log.toString("base64") }],
    });
    expect(gate).toMatchObject({ recordedBy: GATE_RECORDER, result: "pass" });
    expect(gate.measurements).toEqual([
      { name: "duration", value: 31, unit: "min", target: { op: "<=", value: 45 }, ok: true },
      { name: "exceptions", value: 0, unit: null, target: { op: "==", value: 0 }, ok: true },
      { name: "orders-planned", value: 131, unit: null, target: null, ok: true },
    ]);
    const sha256 = createHash("sha256").update(log).digest("hex");
    expect(gate.evidence).toEqual([{ filename: "mrp-run.log", sha256, size: log.length, location: "here" }]);
    const detail = await call<ChangeDetail>(core, "change.get", { id: c.id });
    expect(detail.gates[0]).toEqual(gate);
    expect(detail.evidence).toMatchObject([{ gateId: gate.id, sha256, filename: "mrp-run.log" }]);

    const failed = await call<Gate>(core, "gate.record", {
      ...base(c.id),
      result: "fail",
      reason: "MRP run too slow",
      measurements: [{ name: "duration", value: 52 }],
    });
    expect(failed.measurements).toEqual([
      { name: "duration", value: 52, unit: "min", target: { op: "<=", value: 45 }, ok: false },
    ]);
  });
});
