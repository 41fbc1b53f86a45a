import { describe, expect, it } from "vitest";
import { checkReleases, type PendingRelease } from "../../../../../electron/core/cluster/release-judge";
import type { ApplicationView, DeploymentView } from "../../../../../shared/contract/methods/cluster";

const RELEASE = "1111111111111111111111111111111111111111";
const LATER = "3333333333333333333333333333333333333333";
const now = new Date("2026-12-01T08:30:00Z");

function app(name: string, over: Partial<ApplicationView> = {}): ApplicationView {
  return {
    namespace: "argocd",
    name,
    project: "odoo",
    destinationNamespace: "odoo-prod",
    sync: "Synced",
    revision: RELEASE,
    health: "Healthy",
    operation: "Succeeded",
    operationMessage: null,
    operationFinishedAt: null,
    history: [],
    images: [],
    ...over,
  };
}

const web: DeploymentView = {
  namespace: "odoo-prod",
  name: "odoo-web",
  role: "web",
  images: ["reg.example/odoo:17.0-9"],
  ready: 2,
  desired: 2,
  available: true,
  rollout: "complete",
  conditions: [],
  lastChange: null,
};

// The register knows the release commit, not Argo CD's application names: the view finds the application.
const pending: PendingRelease = {
  changeId: "CHG-2026-0007",
  revision: RELEASE,
  images: ["reg.example/odoo:17.0-9"],
  deadline: "2026-12-01T09:00:00Z",
};

describe("checkReleases without an application name", () => {
  it("takes the application that deploys the release's image repository", () => {
    const apps = [
      app("mail-relay", { images: ["reg.example/postfix:3"], revision: LATER }),
      app("odoo-prod", { images: ["reg.example/odoo:17.0-8"] }),
    ];
    const [check] = checkReleases([pending], { applications: apps, deployments: [web] }, now);
    expect(check).toMatchObject({ application: "odoo-prod", state: "passed" });
  });

  it("takes the environment's only application, and says missing when there is none", () => {
    expect(checkReleases([pending], { applications: [app("odoo")], deployments: [web] }, now)[0]).toMatchObject({
      application: "odoo",
      state: "passed",
    });
    expect(checkReleases([pending], { applications: [], deployments: [web] }, now)[0]).toMatchObject({
      application: "",
      state: "pending",
    });
  });

  it("accepts a later commit that leaves the environment's files as the release left them", () => {
    const apps = [app("odoo-prod", { revision: LATER, history: [{ revision: LATER, deployedAt: null }] })];
    expect(checkReleases([pending], { applications: apps, deployments: [web] }, now)[0]).toMatchObject({
      state: "pending",
    });
    const [check] = checkReleases([{ ...pending, sameAs: [LATER] }], { applications: apps, deployments: [web] }, now);
    expect(check).toMatchObject({ application: "odoo-prod", revision: LATER, state: "passed" });
  });
});
