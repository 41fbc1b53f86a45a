import { describe, expect, it } from "vitest";
import {
  allowedTransitions,
  assertTransition,
  type LifecycleView,
} from "../../../../../shared/domain/register/lifecycle";

const view: LifecycleView = {
  type: "normal",
  status: "approved",
  environment: "production",
  hasRiskAssessment: true,
  hasWindow: true,
  productionReadiness: { ready: true, blockers: [] },
};

describe("lifecycle rules", () => {
  it("names the state and the allowed targets when refusing", () => {
    expect(() => assertTransition(view, "closed", undefined)).toThrow(
      "A normal change that is approved cannot become closed; from approved it can become: scheduled, draft, cancelled.",
    );
  });
  it("says when a state is final", () => {
    expect(() => assertTransition({ ...view, status: "closed" }, "draft", "x")).toThrow("nothing (it is final)");
  });
  it("blocks production approval while pre-production gates are not ready", () => {
    const blocked = {
      ...view,
      status: "assessed" as const,
      productionReadiness: { ready: false, blockers: [{ gate: "mrp-run" as const, state: "failed" as const }] },
    };
    expect(() => assertTransition(blocked, "awaiting-approval", undefined)).toThrow(/mrp-run \(failed\)/);
    expect(() => assertTransition({ ...blocked, environment: "qa" }, "awaiting-approval", undefined)).not.toThrow();
  });
  it("lets standard changes skip the CAB and emergencies skip the slot", () => {
    expect(allowedTransitions("standard", "assessed")).toContain("approved");
    expect(allowedTransitions("standard", "assessed")).not.toContain("awaiting-approval");
    expect(allowedTransitions("emergency", "approved")).toContain("implementing");
    expect(allowedTransitions("normal", "approved")).not.toContain("implementing");
  });
});
