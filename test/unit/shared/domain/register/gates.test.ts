import { describe, expect, it } from "vitest";
import {
  DEFAULT_GATE_POLICY,
  type GatePolicy,
  type GateRule,
  meetsTarget,
  requiredGates,
} from "../../../../../shared/domain/policy/gate-rules";
import {
  assertPromotion,
  type GateView,
  productionReadiness as readiness,
} from "../../../../../shared/domain/register/gates";
import type { GateName } from "../../../../../shared/domain/register/vocabulary";

// A policy that names no gates: only the change's own extras are required (the cases below add them).
const NONE: GatePolicy = {};
const productionReadiness = (validation: readonly GateName[], records: readonly GateView[]) =>
  readiness(NONE, { risk: "medium", validation }, records);
const required = ["mrp-run", "interface-health"] as const;
const pass = (gate: GateView["gate"], target: string | null = null): GateView => ({
  stage: "preproduction",
  gate,
  target,
  result: "pass",
  waivedByRole: null,
});

describe("production readiness", () => {
  it("is ready when every required pre-production gate passed", () => {
    expect(productionReadiness(required, [pass("mrp-run"), pass("interface-health")])).toEqual({
      ready: true,
      blockers: [],
    });
  });

  it("names missing and failed gates", () => {
    const result = productionReadiness(required, [{ ...pass("mrp-run"), result: "fail" }]);
    expect(result.blockers).toEqual([
      { gate: "mrp-run", state: "failed" },
      { gate: "interface-health", state: "missing" },
    ]);
  });

  it("ignores gates of other stages", () => {
    const qa = { ...pass("mrp-run"), stage: "qa" as const };
    expect(productionReadiness(["mrp-run"], [qa]).blockers).toEqual([{ gate: "mrp-run", state: "missing" }]);
  });

  it("counts a waiver only from a change manager", () => {
    const waived = (role: string | null): GateView => ({ ...pass("mrp-run"), result: "waived", waivedByRole: role });
    expect(productionReadiness(["mrp-run"], [waived("change-manager")]).ready).toBe(true);
    expect(productionReadiness(["mrp-run"], [waived("release-manager")]).blockers).toEqual([
      { gate: "mrp-run", state: "waived-without-authority" },
    ]);
  });

  it("judges the latest record per target", () => {
    const fail = { ...pass("interface-health", "MES"), result: "fail" as const };
    expect(productionReadiness(["interface-health"], [fail, pass("interface-health", "MES")]).ready).toBe(true);
    expect(productionReadiness(["interface-health"], [pass("interface-health", "MES"), fail]).ready).toBe(false);
    const wms = { ...pass("interface-health", "WMS"), result: "fail" as const };
    expect(productionReadiness(["interface-health"], [pass("interface-health", "MES"), wms]).ready).toBe(false);
  });
});

describe("promotion", () => {
  const change = {
    stage: "qa" as const,
    environment: "production" as const,
    status: "approved",
    risk: "medium" as const,
    validation: ["mrp-run" as const],
    gates: [{ ...pass("mrp-run"), stage: "qa" as const }],
  };
  it("moves one stage at a time", () => {
    expect(() => assertPromotion(NONE, change, "preproduction")).not.toThrow();
    expect(() => assertPromotion(NONE, change, "production")).toThrow(
      expect.objectContaining({ code: "illegal-transition" }),
    );
    expect(() => assertPromotion(NONE, change, "integration")).toThrow(
      expect.objectContaining({ code: "illegal-transition" }),
    );
  });
  it("needs the current stage's gates", () => {
    expect(() => assertPromotion(NONE, { ...change, gates: [] }, "preproduction")).toThrow(
      expect.objectContaining({ code: "gate-failed" }),
    );
  });
  it("stops at the target environment and enters production only while implementing", () => {
    expect(() => assertPromotion(NONE, { ...change, environment: "qa" }, "preproduction")).toThrow(/targets qa/);
    const pre = { ...change, stage: "preproduction" as const, gates: [pass("mrp-run")] };
    expect(() => assertPromotion(NONE, pre, "production")).toThrow(/only while implementing/);
    expect(() => assertPromotion(NONE, { ...pre, status: "implementing" }, "production")).not.toThrow();
  });
});

describe("gates from policy", () => {
  const rule = (gate: GateName, extra: Partial<GateRule> = {}): GateRule => ({
    gate,
    waivers: ["change-manager"],
    evidence: { measurements: [], file: false },
    ...extra,
  });
  const policy: GatePolicy = {
    preproduction: [rule("mrp-run"), rule("accounting-posting", { risks: ["high"] })],
  };

  it("keeps the policy's gates however few the change names", () => {
    const change = { risk: "medium" as const, validation: [] };
    expect(readiness(policy, change, []).blockers).toEqual([{ gate: "mrp-run", state: "missing" }]);
    expect(readiness(DEFAULT_GATE_POLICY, change, []).blockers.map((b) => b.gate)).toEqual([
      "mrp-run",
      "inventory-reservation",
      "procurement-rules",
      "accounting-posting",
      "interface-health",
    ]);
  });

  it("adds the change's extras and the risk class's own gates", () => {
    const gates = requiredGates(policy, "preproduction", { risk: "high", validation: ["smoke-tests", "mrp-run"] });
    expect(gates.map((g) => g.gate)).toEqual(["mrp-run", "accounting-posting", "smoke-tests"]);
  });

  it("counts a waiver only from a role the gate names", () => {
    const p: GatePolicy = { preproduction: [rule("mrp-run", { waivers: ["it-manager"] })] };
    const waived = (role: string): GateView => ({ ...pass("mrp-run"), result: "waived", waivedByRole: role });
    const change = { risk: "low" as const, validation: [] };
    expect(readiness(p, change, [waived("it-manager")]).ready).toBe(true);
    expect(readiness(p, change, [waived("change-manager")]).blockers).toEqual([
      { gate: "mrp-run", state: "waived-without-authority" },
    ]);
  });

  it("refuses promotion out of qa without the policy's qa gates, whatever the change says", () => {
    const change = {
      stage: "qa" as const,
      environment: "production" as const,
      status: "approved",
      risk: "low" as const,
    };
    expect(() =>
      assertPromotion(DEFAULT_GATE_POLICY, { ...change, validation: [], gates: [] }, "preproduction"),
    ).toThrow(expect.objectContaining({ code: "gate-failed" }));
  });

  it("judges measured values against their targets", () => {
    expect(meetsTarget(44, "<=", 45)).toBe(true);
    expect(meetsTarget(46, "<=", 45)).toBe(false);
    expect(meetsTarget("0", "==", 0)).toBe(true);
    expect(meetsTarget("many", ">", 1)).toBe(false);
  });
});
