import { afterAll, describe, expect, it } from "vitest";
import { fixedClock } from "../../../electron/core/clock";
import { demoDigest, demoPolicy } from "../../../electron/core/gitops/demo-policy";
import { isolatedGitContext } from "../../../electron/core/gitops/git";
import { fetchRemote, type GitopsRepo, rebaseOnRemote } from "../../../electron/core/gitops/repo";
import type { Signer } from "../../../electron/core/gitops/signing";
import { verifyRepo } from "../../../electron/core/gitops/verify/verify";
import { DEMO_PEOPLE } from "../../../shared/domain/demo/roster";
import { createWorld, script, testChange, type World } from "../../helpers/gitops-world";
import { pushWithRebase, recordDecision, releaseChange, submitChange } from "../../helpers/ledger-writes";

const worlds: World[] = [];
afterAll(() => {
  for (const w of worlds) w.cleanup();
});

async function sync(repo: GitopsRepo, signer: Signer) {
  await fetchRemote(repo);
  await rebaseOnRemote(repo, signer);
}

describe.each(["ssh", "openpgp"] as const)("the CAB flow signed with %s", (format) => {
  it("submit, two approvals from two working copies, release: verify is clean", async () => {
    // Production alone: this flow is about laptops meeting in the ledger, not promotion through stages.
    const policy = demoPolicy(DEMO_PEOPLE, format);
    const production = { paths: ["apps/odoo/overlays/prod/**"], protected: true };
    const world = await createWorld(format, { ...policy, environments: { production } });
    worlds.push(world);
    const now = new Date();
    const clock = fixedClock(now);
    const [lena, sofia, ana, tom] = await Promise.all(["lena", "sofia", "ana", "tom"].map((n) => world.clone(n)));
    const s = (email: string) => world.signer(email);
    const { id: _unused, ...draft } = testChange("CHG-2000-0001", {
      risk: "medium",
      plants: ["berlin"],
      window: {
        start: new Date(now.getTime() - 3_600_000).toISOString(),
        end: new Date(now.getTime() + 3_600_000).toISOString(),
      },
    });
    const submitted = await submitChange(lena as GitopsRepo, s("lena.weber@plant.example"), draft, { clock });
    expect(submitted.id).toBe(`CHG-${now.getUTCFullYear()}-0001`);

    // Two approvers on two laptops decide at the same moment; one push is refused and rebased.
    const decide = async (repo: GitopsRepo, email: string, role: string) => {
      await sync(repo, s(email));
      const out = await recordDecision(repo, s(email), {
        change: submitted.id,
        scope: "deploy",
        decision: "approved",
        meaning: "Approved for production release",
        role,
        signedAt: now.toISOString(),
      });
      expect(out.approval.changeDigest).toBe(submitted.digest);
      await pushWithRebase(repo, s(email));
    };
    await Promise.all([
      decide(sofia as GitopsRepo, "sofia.rossi@plant.example", "change-manager"),
      decide(ana as GitopsRepo, "ana.ortiz@plant.example", "plant-ops-leader"),
    ]);

    await sync(tom as GitopsRepo, s("tom.fischer@plant.example"));
    await releaseChange(tom as GitopsRepo, s("tom.fischer@plant.example"), {
      change: submitted.id,
      environment: "production",
      image: "registry.plant.example/odoo",
      newTag: "17.0-2",
      digest: demoDigest("17.0-2"),
    });
    await pushWithRebase(tom as GitopsRepo, s("tom.fischer@plant.example"));

    const result = await verifyRepo({ repo: world.remote, now, ctx: isolatedGitContext() });
    // Judged from the world's committed pin; the pin commit itself is one of the commits checked.
    expect(result).toEqual({
      ok: true,
      checked: 5,
      trustRoot: { commit: world.root, source: "committed" },
      findings: [],
    });
  });

  it("an approval signed with a key the repository does not list is reported as unknown-signer", async () => {
    const world = await createWorld(format);
    worlds.push(world);
    const clock = fixedClock("2026-12-01T08:00:00Z");
    const repo = await world.clone("w");
    const { id: _unused, ...draft } = testChange("CHG-2000-0001");
    const submitted = await submitChange(repo, world.signer("lena.weber@plant.example"), draft, { clock });
    const stranger = { ...(await world.stranger("kenji.sato@plant.example")), name: "Kenji Sato" };
    const { commit } = await recordDecision(repo, stranger, {
      change: submitted.id,
      scope: "deploy",
      decision: "approved",
      meaning: "ok",
      role: "cab-member",
      signedAt: "2026-12-01T09:00:00Z",
    });
    const result = await verifyRepo({ repo: repo.dir, now: clock.now(), ctx: world.ctx });
    expect(result.findings.map((f) => [f.kind, f.commit])).toEqual([["unknown-signer", commit]]);
  });
});

describe("OpenPGP signature findings", () => {
  it("bad-signature, signer-mismatch and unsigned, judged by git's %G? through gpg", async () => {
    const world = await createWorld("openpgp");
    worlds.push(world);
    const repo = await world.clone("pgp");
    const s = script(world, repo);
    const id = "CHG-2026-0001";
    const { digest } = await s.submit(testChange(id));
    await s.decide(id, digest, "raj.patel@plant.example", "cab-member");
    const tampered = await s.tamperHead();
    const mismatch = await s.decide(id, digest, "ana.ortiz@plant.example", "plant-ops-leader", {
      as: { ...world.signer("marcus.reed@plant.example"), email: "ana.ortiz@plant.example", name: "Ana Ortiz" },
    });
    const unsigned = await s.unsigned("kenji.sato@plant.example", `changes/${id}/notes.txt`, "x");
    const result = await verifyRepo({ repo: repo.dir, now: new Date("2026-12-06T00:00:00Z"), ctx: world.ctx });
    expect(result.findings.map((f) => [f.kind, f.commit])).toEqual([
      ["bad-signature", tampered],
      ["signer-mismatch", mismatch],
      ["unsigned", unsigned],
    ]);
  });
});
