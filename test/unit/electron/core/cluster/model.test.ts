import { describe, expect, it } from "vitest";
import { toApplicationView, toDeploymentView, toProjectView } from "../../../../../electron/core/cluster/model";
import { argoApplication, argoProject, odooDeployment } from "../../../../helpers/kube-fixtures";

describe("mapping Kubernetes objects", () => {
  it("reads a deployment's images, replicas, rollout and last change from JSON or client models", () => {
    const raw = odooDeployment({
      namespace: "odoo-prod",
      name: "odoo-worker",
      role: "worker",
      replicas: 3,
      ready: 2,
      updatedAt: "2026-11-21T10:00:00Z",
    });
    const view = toDeploymentView(raw);
    expect(view).toMatchObject({
      role: "worker",
      ready: 2,
      desired: 3,
      available: false,
      rollout: "progressing",
      lastChange: "2026-11-21T10:00:00.000Z",
    });
    const withDates = JSON.parse(JSON.stringify(raw), (key, value) =>
      key === "lastUpdateTime" ? new Date(value) : value,
    );
    expect(toDeploymentView(withDates)?.lastChange).toBe("2026-11-21T10:00:00.000Z");
    expect(
      toDeploymentView(odooDeployment({ namespace: "x", name: "y", progressing: "ProgressDeadlineExceeded" }))?.rollout,
    ).toBe("stalled");
    expect(toDeploymentView({ metadata: {} })).toBeNull();
    expect(toDeploymentView("garbage")).toBeNull();
  });

  it("reads an application's sync, health, operation and history (newest first)", () => {
    const view = toApplicationView(
      argoApplication({
        name: "odoo-qa",
        destinationNamespace: "odoo-qa",
        sync: "OutOfSync",
        health: "Progressing",
        phase: "Running",
      }),
    );
    expect(view).toMatchObject({
      sync: "OutOfSync",
      health: "Progressing",
      operation: "Running",
      destinationNamespace: "odoo-qa",
      project: "odoo",
    });
    expect(view?.history).toHaveLength(1);
    expect(toApplicationView({ metadata: { name: "bare" } })).toMatchObject({
      sync: "Unknown",
      health: "Unknown",
      operation: null,
      revision: null,
    });
  });

  it("keeps only well-formed sync windows", () => {
    const project = toProjectView(
      argoProject({
        name: "odoo",
        windows: [{ kind: "deny", schedule: "* * * * *", duration: "1h" }, { kind: "maybe" }],
      }),
    );
    expect(project?.windows).toEqual([
      {
        kind: "deny",
        schedule: "* * * * *",
        duration: "1h",
        applications: [],
        namespaces: [],
        clusters: [],
        manualSync: false,
        timeZone: "UTC",
      },
    ]);
  });
});
