import { describe, expect, it } from "vitest";
import { assertPromotion, type GateView, productionReadiness } from "../../../../../shared/domain/register/gates";

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
    validation: ["mrp-run" as const],
    gates: [{ ...pass("mrp-run"), stage: "qa" as const }],
  };
  it("moves one stage at a time", () => {
    expect(() => assertPromotion(change, "preproduction")).not.toThrow();
    expect(() => assertPromotion(change, "production")).toThrow(
      expect.objectContaining({ code: "illegal-transition" }),
    );
    expect(() => assertPromotion(change, "integration")).toThrow(
      expect.objectContaining({ code: "illegal-transition" }),
    );
  });
  it("needs the current stage's gates", () => {
    expect(() => assertPromotion({ ...change, gates: [] }, "preproduction")).toThrow(
      expect.objectContaining({ code: "gate-failed" }),
    );
  });
  it("stops at the target environment and enters production only while implementing", () => {
    expect(() => assertPromotion({ ...change, environment: "qa" }, "preproduction")).toThrow(/targets qa/);
    const pre = { ...change, stage: "preproduction" as const, gates: [pass("mrp-run")] };
    expect(() => assertPromotion(pre, "production")).toThrow(/only while implementing/);
    expect(() => assertPromotion({ ...pre, status: "implementing" }, "production")).not.toThrow();
  });
});
