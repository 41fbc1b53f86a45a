import { describe, expect, it } from "vitest";
import { findDrift, normaliseImage, sameRevision } from "../../../../../electron/core/cluster/drift";
import type { ApplicationView, DeploymentView } from "../../../../../shared/contract/methods/cluster";

function deployment(name: string, images: string[]): DeploymentView {
  return {
    namespace: "odoo-prod",
    name,
    role: "web",
    images,
    ready: 1,
    desired: 1,
    available: true,
    rollout: "complete",
    conditions: [],
    lastChange: null,
  };
}

function app(revision: string | null, sync = "Synced"): ApplicationView {
  return {
    namespace: "argocd",
    name: "odoo-prod",
    project: "odoo",
    destinationNamespace: "odoo-prod",
    sync,
    revision,
    health: "Healthy",
    operation: "Succeeded",
    operationMessage: null,
    operationFinishedAt: null,
    history: [],
    images: [],
  };
}

const approved = {
  images: [
    { image: "registry.example.com/odoo:17.0-1", changeId: "CHG-2026-1" },
    { image: "registry.example.com/odoo:17.0-2", changeId: "CHG-2026-2" },
    { image: "nginx:1.27", changeId: "CHG-2026-3" },
  ],
  revisions: [
    { revision: "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", changeId: "CHG-2026-1" },
    { revision: "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb", changeId: "CHG-2026-2" },
  ],
};

describe("findDrift", () => {
  it("finds nothing when every image and revision is approved", () => {
    const running = {
      environment: "production" as const,
      deployments: [deployment("odoo-web", ["registry.example.com/odoo:17.0-2", "docker.io/library/nginx:1.27"])],
      applications: [app("bbbbbbb")],
    };
    expect(findDrift(running, approved)).toEqual([]);
  });

  it("flags an unapproved image with the latest approved one of its repository", () => {
    const running = {
      environment: "production" as const,
      deployments: [deployment("odoo-web", ["registry.example.com/odoo:17.0-hotfix"])],
      applications: [],
    };
    expect(findDrift(running, approved)).toEqual([
      {
        environment: "production" as const,
        namespace: "odoo-prod",
        name: "odoo-web",
        kind: "image",
        running: "registry.example.com/odoo:17.0-hotfix",
        approved: "registry.example.com/odoo:17.0-2",
        message:
          "odoo-web runs registry.example.com/odoo:17.0-hotfix, but the approved image is registry.example.com/odoo:17.0-2.",
      },
    ]);
  });

  it("flags an image of a repository no change names, and an unapproved synced revision", () => {
    const running = {
      environment: "qa" as const,
      deployments: [deployment("debug", ["busybox"])],
      applications: [app("cccccccccccccccccccccccccccccccccccccccc"), app(null), app("dddddddd", "Unknown")],
    };
    const drift = findDrift(running, approved);
    expect(drift.map((d) => [d.kind, d.running, d.approved])).toEqual([
      ["image", "busybox", null],
      ["revision", "cccccccccccccccccccccccccccccccccccccccc", "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"],
    ]);
    expect(drift[0]?.message).toMatch(/no approved change names/);
  });
});

describe("image and revision comparison", () => {
  it("treats Docker Hub shorthands and a missing tag as equal forms", () => {
    expect(normaliseImage("nginx")).toBe("nginx:latest");
    expect(normaliseImage("docker.io/library/nginx:1.27")).toBe("nginx:1.27");
    expect(normaliseImage("registry:5000/odoo")).toBe("registry:5000/odoo:latest");
    expect(normaliseImage("odoo@sha256:abc")).toBe("odoo@sha256:abc");
  });

  it("compares a kustomize digest pin (name:tag@digest) by its digest: the tag beside it is for people", () => {
    expect(normaliseImage("registry:5000/odoo:17.0-7@sha256:abc")).toBe("registry:5000/odoo@sha256:abc");
    expect(normaliseImage("registry:5000/odoo@sha256:abc")).toBe("registry:5000/odoo@sha256:abc");
    const running = {
      environment: "production" as const,
      deployments: [deployment("odoo-web", ["reg/odoo:17.0-7@sha256:abc"])],
      applications: [],
    };
    const approving = (image: string) => ({ images: [{ image, changeId: "CHG-2026-1" }], revisions: [] });
    expect(findDrift(running, approving("reg/odoo@sha256:abc"))).toEqual([]);
    // The same tag over other bytes is drift.
    expect(findDrift(running, approving("reg/odoo:17.0-7@sha256:def"))).toHaveLength(1);
  });

  it("matches a short SHA with its full form only", () => {
    expect(sameRevision("abcdef1", "abcdef1234567890abcdef1234567890abcdef12")).toBe(true);
    expect(sameRevision("abcdef2", "abcdef1234567890abcdef1234567890abcdef12")).toBe(false);
    expect(sameRevision("main", "main")).toBe(true);
    expect(sameRevision("mai", "main")).toBe(false);
  });
});
