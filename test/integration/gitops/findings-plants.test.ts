import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyRepo } from "../../../electron/core/gitops/verify/verify";
import { createWorld, script, testChange, type World } from "../../helpers/gitops-world";

// Plants are known things in the ledger too: a released change naming a plant policy.yaml does not list had no
// calendar lane and no blackout check; verify now names it (`unknown-plant`) on the release commit.
let world: World;
beforeAll(async () => {
  world = await createWorld("ssh");
});
afterAll(() => world?.cleanup());

const ID = "CHG-2026-0001";
const NOW = new Date("2026-12-06T08:00:00Z");

describe("gitops verify: unknown-plant", () => {
  it("names each unknown plant of a released change, on the release commit, and nothing else", async () => {
    const repo = await world.clone("unknown-plant");
    const s = script(world, repo);
    // Low risk: a change-manager suffices, so the quorum (no per-plant rule) is met and only the plant is wrong.
    const change = testChange(ID, { risk: "low", plants: ["berlin", "berlinn"] });
    const { digest } = await s.submit(change);
    await s.decide(ID, digest, "sofia.rossi@plant.example", "change-manager");
    const release = await s.release(ID);
    const result = await verifyRepo({ repo: repo.dir, now: NOW, ctx: world.ctx });
    expect(result.findings.map((f) => [f.kind, f.commit, f.change])).toEqual([["unknown-plant", release, ID]]);
    expect(result.findings[0]?.message).toContain(
      "names the unknown plant 'berlinn' (policy.yaml lists berlin (Berlin Assembly), chicago (Chicago Packaging), pune (Pune Machining))",
    );
    expect(result.ok).toBe(false);
  });
});
