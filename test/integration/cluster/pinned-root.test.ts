import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixedClock } from "../../../electron/core/clock";
import { approvedFromRepo } from "../../../electron/core/cluster/approved-from-repo";
import { releaseFindingsOf } from "../../../electron/core/cluster/release-authority";
import { commitFiles } from "../../../electron/core/gitops/commit";
import { git } from "../../../electron/core/gitops/git";
import { pinnedTrustRoot } from "../../../electron/core/gitops/trust-pin";
import { ADMIN, createWorld, PROD, type World } from "../../helpers/gitops-world";
import { setImageTag } from "../../helpers/ledger-writes";

// The cluster view judges the working copy from the root this laptop pinned in .git/config, never from a pin the
// history commits about itself: a self-rooted history with its own pin must approve nothing.

let world: World;
beforeAll(async () => {
  world = await createWorld("ssh");
}, 60_000);
afterAll(() => world?.cleanup());

const NOW = new Date("2026-12-06T08:00:00Z");

describe("the cluster side judges from the app's pinned trust root", () => {
  it("a self-rooted history with its own committed pin approves nothing and marks every commit unauthorised", async () => {
    const repo = await world.clone("laptop");
    expect(await pinnedTrustRoot(repo)).toBe(world.root);

    // The forger replaces the history with one of their own, signed by a key the forged policy trusts.
    await git(world.ctx, repo.dir, ["checkout", "--quiet", "--orphan", "forged"]);
    await git(world.ctx, repo.dir, ["rm", "--quiet", "--cached", ".shiftgate/trust-root"]);
    rmSync(join(repo.dir, ".shiftgate/trust-root"));
    const pwned = setImageTag(readFileSync(join(repo.dir, PROD), "utf8"), "registry.plant.example/odoo", "pwned");
    const kept = [".shiftgate/policy.yaml", ".shiftgate/allowed_signers", "apps/odoo/overlays/qa/kustomization.yaml"];
    const files = [
      ...kept.map((path) => ({ path, content: readFileSync(join(repo.dir, path), "utf8") })),
      { path: PROD, content: pwned },
    ];
    const root = await commitFiles(repo, world.signer(ADMIN), files, "Forged root\n");
    const pin = await commitFiles(
      repo,
      world.signer(ADMIN),
      [{ path: ".shiftgate/trust-root", content: `${root}\n` }],
      "Pin\n",
    );

    const approved = await approvedFromRepo({ ctx: world.ctx, dir: repo.dir, environment: "production", now: NOW });
    expect(approved.images.map((i) => i.image).filter((i) => i.includes("pwned"))).toEqual([]);

    const findings = await releaseFindingsOf(repo.dir, fixedClock(NOW.toISOString()), world.ctx)();
    for (const sha of [root, pin]) {
      expect(findings.get(sha)?.map((f) => f.kind)).toEqual(["trust-root-missing"]);
    }
  });
});
