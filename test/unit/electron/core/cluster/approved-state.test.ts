import { describe, expect, it } from "vitest";
import { approvedFromHistory, kustomizationImages } from "../../../../../electron/core/cluster/approved-state";

const PROD = "apps/odoo/overlays/prod/kustomization.yaml";
const kustomization = (tag: string) =>
  `images:\n  - name: reg/odoo\n    newTag: "${tag}"\n  - name: nginx\n    newName: reg/nginx\n    digest: sha256:abc\n`;
const blobs: Record<string, string> = {
  b1: kustomization("17.0-1"),
  b2: kustomization("17.0-2"),
  b3: kustomization("17.0-3"),
};

function commit(sha: string, blob: string | null, change: string | null, path = PROD) {
  return {
    sha,
    trailers: new Map(change ? [["change-request", [change]]] : []),
    changes: [{ path, blob }],
  };
}

describe("approved state from the GitOps history", () => {
  it("reads kustomization images with tags, new names and digests", () => {
    expect(kustomizationImages(kustomization("17.0-1"))).toEqual(["reg/odoo:17.0-1", "reg/nginx@sha256:abc"]);
    expect(kustomizationImages(": not yaml :")).toEqual([]);
    expect(kustomizationImages("kind: Kustomization\n")).toEqual([]);
  });

  it("approves the baseline and referenced, clean releases; later commits keep the approved revision", () => {
    const history = [
      commit("root", "b1", null),
      commit("release", "b2", "CHG-1"),
      { sha: "approval", trailers: new Map(), changes: [{ path: "changes/CHG-2/approvals/x.yaml", blob: "z" }] },
      commit("rogue", "b3", null),
      { sha: "after-rogue", trailers: new Map(), changes: [] },
    ];
    const approved = approvedFromHistory({
      history,
      isEnvironmentPath: (p) => p === PROD,
      protectedEnvironment: true,
      rejected: new Set(["rogue"]),
      readText: (b) => blobs[b] ?? null,
    });
    expect(approved.images.map((i) => [i.image, i.changeId])).toEqual([
      ["reg/odoo:17.0-1", "root of trust"],
      ["reg/nginx@sha256:abc", "root of trust"],
      ["reg/odoo:17.0-2", "CHG-1"],
      ["reg/nginx@sha256:abc", "CHG-1"],
    ]);
    expect(approved.revisions.map((r) => r.revision)).toEqual(["root", "release", "approval"]);
  });

  it("approves every clean commit of an unprotected environment", () => {
    const approved = approvedFromHistory({
      history: [commit("root", "b1", null), commit("direct", "b3", null)],
      isEnvironmentPath: (p) => p === PROD,
      protectedEnvironment: false,
      rejected: new Set(),
      readText: (b) => blobs[b] ?? null,
    });
    expect(approved.revisions.map((r) => r.revision)).toEqual(["root", "direct"]);
    expect(approved.images.map((i) => i.image)).toContain("reg/odoo:17.0-3");
  });
});
