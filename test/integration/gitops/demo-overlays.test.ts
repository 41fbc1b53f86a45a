import { readdirSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixedClock } from "../../../electron/core/clock";
import type { DemoGitops } from "../../../electron/core/gitops/demo";
import { createDemoGitops } from "../../../electron/core/gitops/demo-install";
import { DEMO_IMAGE, demoDigest } from "../../../electron/core/gitops/demo-policy";
import { verifyRepo } from "../../../electron/core/gitops/verify/verify";
import { kustomizeBuild, renderedImages } from "../../helpers/kustomize";
import { tempCore } from "../../helpers/temp";

// Issue #16 item 5: the demo's overlays referenced a ../../base that did not exist, so `kubectl kustomize` failed
// on every one. Each now builds, and renders the image its last release pinned, by digest.

const clock = fixedClock("2026-12-01T08:00:00Z");
let demo: DemoGitops;
let cleanup: () => void;
beforeAll(async () => {
  const t = await tempCore({ clock, demo: false });
  cleanup = t.cleanup;
  demo = await createDemoGitops(t.dir, clock);
}, 60_000);
afterAll(() => cleanup?.());

describe("the demo repository's overlays", () => {
  it("every overlay builds with kubectl kustomize and runs its release's image by digest", () => {
    const overlays = readdirSync(join(demo.repo.dir, "apps/odoo/overlays")).sort();
    expect(overlays).toEqual(["preprod", "prod", "qa"]);
    // CHG-0005's hotfix went last through every stage.
    const hotfix = `${DEMO_IMAGE}:17.0-20261127-hotfix1@${demoDigest("17.0-20261127-hotfix1")}`;
    for (const overlay of overlays) {
      const built = kustomizeBuild(demo.repo.dir, `apps/odoo/overlays/${overlay}`);
      expect(built, overlay).toContain(`namespace: odoo-${overlay}`);
      expect(renderedImages(built), overlay).toEqual([hotfix]);
    }
  });

  it("verify finds no release that skipped a stage in the demo's history", async () => {
    const result = await verifyRepo({ repo: demo.remote, now: clock.now(), ctx: demo.repo.ctx });
    expect(result.findings.filter((f) => f.kind === "unpromoted-digest")).toEqual([]);
  });
});
