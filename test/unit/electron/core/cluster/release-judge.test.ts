import { describe, expect, it } from "vitest";
import { judgeRelease } from "../../../../../electron/core/cluster/release-judge";
import type { ApplicationView, DeploymentView } from "../../../../../shared/contract/methods/cluster";

const REV = "1111111111111111111111111111111111111111";
const OTHER = "2222222222222222222222222222222222222222";
const deadline = new Date("2026-12-01T09:00:00Z");
const before = new Date("2026-12-01T08:30:00Z");
const after = new Date("2026-12-01T09:00:01Z");

function app(over: Partial<ApplicationView> = {}): ApplicationView {
  return {
    namespace: "argocd",
    name: "odoo-prod",
    project: "odoo",
    destinationNamespace: "odoo-prod",
    sync: "Synced",
    revision: REV,
    health: "Healthy",
    operation: "Succeeded",
    operationMessage: null,
    operationFinishedAt: "2026-12-01T08:20:00Z",
    history: [{ revision: REV, deployedAt: "2026-12-01T08:20:00Z" }],
    images: [],
    ...over,
  };
}

function deployment(over: Partial<DeploymentView> = {}): DeploymentView {
  return {
    namespace: "odoo-prod",
    name: "odoo-web",
    role: "web",
    images: ["reg/odoo:17.0-9"],
    ready: 2,
    desired: 2,
    available: true,
    rollout: "complete",
    conditions: [],
    lastChange: null,
    ...over,
  };
}

describe("judgeRelease", () => {
  it("passes once synced at the revision, healthy and rolled out with the expected image", () => {
    const verdict = judgeRelease(
      app(),
      [deployment()],
      { revision: REV.slice(0, 8), images: ["reg/odoo:17.0-9"] },
      deadline,
      before,
    );
    expect(verdict).toEqual({ state: "passed", message: "Release 11111111 is synced, healthy and rolled out." });
  });

  it("waits while Argo CD has not reached the revision, or a deployment still rolls out", () => {
    expect(judgeRelease(app({ revision: OTHER, history: [] }), [deployment()], REV, deadline, before).state).toBe(
      "pending",
    );
    expect(
      judgeRelease(app(), [deployment({ rollout: "progressing", ready: 1 })], REV, deadline, before),
    ).toMatchObject({
      state: "pending",
      message: expect.stringContaining("odoo-web still rolling out"),
    });
    expect(judgeRelease(app({ sync: "OutOfSync" }), [], REV, deadline, before).state).toBe("pending");
    expect(judgeRelease(null, [], REV, deadline, before).state).toBe("pending");
  });

  it("fails degraded, on a failed sync operation, or a stalled rollout", () => {
    expect(judgeRelease(app({ health: "Degraded" }), [deployment()], REV, deadline, before)).toMatchObject({
      state: "failed",
      reason: "degraded",
    });
    expect(judgeRelease(app(), [deployment({ rollout: "stalled" })], REV, deadline, before)).toMatchObject({
      state: "failed",
      reason: "degraded",
      message: expect.stringContaining("progress deadline exceeded"),
    });
    expect(
      judgeRelease(app({ operation: "Failed", operationMessage: "hook failed" }), [], REV, deadline, before),
    ).toMatchObject({
      state: "failed",
      reason: "operation-failed",
      message: expect.stringContaining("hook failed"),
    });
  });

  it("fails when another revision replaced the release, or runs at the deadline", () => {
    const replaced = app({
      revision: OTHER,
      history: [
        { revision: OTHER, deployedAt: "2026-12-01T08:25:00Z" },
        { revision: REV, deployedAt: "2026-12-01T08:20:00Z" },
      ],
    });
    expect(judgeRelease(replaced, [], REV, deadline, before)).toMatchObject({
      state: "failed",
      reason: "other-revision",
    });
    expect(judgeRelease(app({ revision: OTHER, history: [] }), [], REV, deadline, after)).toMatchObject({
      state: "failed",
      reason: "other-revision",
    });
  });

  it("fails timed out when the deadline passes first", () => {
    expect(
      judgeRelease(app({ revision: OTHER, operation: "Running", history: [] }), [], REV, deadline, after),
    ).toMatchObject({
      state: "failed",
      reason: "timed-out",
    });
    expect(judgeRelease(app(), [deployment({ rollout: "progressing" })], REV, deadline, after)).toMatchObject({
      state: "failed",
      reason: "timed-out",
    });
    expect(judgeRelease(null, [], REV, deadline, after)).toMatchObject({ state: "failed", reason: "missing" });
  });
});
