import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemClock } from "../../../electron/core/clock";
import { demoDigest, demoKustomization } from "../../../electron/core/gitops/demo-policy";
import { startGitops } from "../../../electron/core/gitops/first-run";
import { git } from "../../../electron/core/gitops/git";
import { verifyRepo } from "../../../electron/core/gitops/verify/verify";
import { dataPaths } from "../../../electron/core/paths";
import { AppError } from "../../../shared/contract/errors";
import { PROMOTED_RELEASE as PROMOTED } from "../../helpers/demo-release";
import { ADMIN, createWorld, PROD, script, testChange, type World } from "../../helpers/gitops-world";
import { releaseChange } from "../../helpers/ledger-writes";
import { tempCore } from "../../helpers/temp";
import { actAs, call, changeAwaitingApproval, decideAs, refused } from "../approvals/support";
import { GATE_RECORDER, recordGates } from "../register/register-fixtures";

// The core writes a release (every door's gitops.release builds it the same way): it pins the image the change's
// approvals cover, in the environment's overlay, never in the shared base the overlay builds on.

let world: World;
let n = 0;
beforeAll(async () => {
  world = await createWorld("ssh");
});
afterAll(() => world?.cleanup());

const ID = "CHG-2026-0001";
const IMAGE = "registry.plant.example/odoo";
const TOM = "tom.fischer@plant.example";
const PREPROD = "apps/odoo/overlays/preprod/kustomization.yaml";

async function fresh() {
  const repo = await world.clone(`release-${++n}`);
  const s = script(world, repo);
  const run = (args: string[]) => git(world.ctx, repo.dir, args).then((o) => o.stdout.trim());
  // By digest (production refuses a tag alone); the demo's stand-in digest of each tag.
  const release = (newTag: string, digest = demoDigest(newTag)) =>
    releaseChange(repo, world.signer(TOM), {
      change: ID,
      environment: "production",
      image: IMAGE,
      newTag,
      digest,
      date: new Date("2026-12-05T22:30:00Z"),
    });
  // Pre-production ran the tag's digest: the promotion rule's precondition for production.
  const promote = (tag: string) => s.write(ADMIN, PREPROD, demoKustomization("preprod", tag, demoDigest(tag)));
  return { repo, s, run, release, promote };
}

describe("releaseChange: the artifact and the overlay", () => {
  it("refuses an image other than change.yaml's artifact, and commits nothing", async () => {
    const { s, run, release, promote } = await fresh();
    await s.submit(testChange(ID, { artifact: { image: IMAGE, tag: "17.0-5" } }));
    await promote("17.0-6");
    const head = await run(["rev-parse", "HEAD"]);
    const error = await release("17.0-6").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: "forbidden" });
    expect((error as AppError).message).toContain(`approvals cover ${IMAGE}:17.0-5, not ${IMAGE}:17.0-6`);
    expect(await run(["rev-parse", "HEAD"])).toBe(head);
    expect(await run(["status", "--porcelain"])).toBe("");
    await promote("17.0-5");
    const sha = await release("17.0-5");
    expect(await run(["show", "--name-only", "--format=", sha])).toBe(PROD);
  });

  it("refuses a release of another digest than the one the change's artifact pins", async () => {
    const { s, run, release } = await fresh();
    await s.submit(testChange(ID, { artifact: { image: IMAGE, digest: `sha256:${"a".repeat(64)}` } }));
    const head = await run(["rev-parse", "HEAD"]);
    await expect(release("17.0-5")).rejects.toMatchObject({ code: "forbidden" });
    expect(await run(["rev-parse", "HEAD"])).toBe(head);
  });

  it("pins the image in the prod overlay although the protected base holds a kustomization too", async () => {
    const { s, run, release, promote } = await fresh();
    await s.write(ADMIN, "apps/odoo/base/kustomization.yaml", demoKustomization("base", "17.0-1"));
    await s.submit(testChange(ID));
    await promote("17.0-7");
    const sha = await release("17.0-7");
    expect(await run(["show", "--name-only", "--format=", sha])).toBe(PROD);
    expect(await run(["show", `${sha}:${PROD}`])).toContain('newTag: "17.0-7"');
    expect(await run(["show", `${sha}:${PROD}`])).toContain(`digest: ${demoDigest("17.0-7")}`);
  });
});

describe("gitops.submit names the artifact; gitops.release holds to it (through the core, as every door calls it)", () => {
  it("writes artifact into change.yaml, refuses another image with nothing changed, releases the named one", async () => {
    // The core judges the release against the window at its clock, and the outbox commits at the wall clock.
    const t = await tempCore({ clock: systemClock });
    try {
      const core = t.core;
      await startGitops(core.services);
      const remote = dataPaths(t.dir).gitopsDemoRemote;
      const tip = () => git(world.ctx, remote, ["rev-parse", "main"]).then((o) => o.stdout.trim());
      // The outbox commits at the wall clock: the window must hold the real time of the test run.
      const id = await changeAwaitingApproval(core, { windowStart: new Date(Date.now() - 3_600_000).toISOString() });
      await actAs(core, "lena.weber@plant.example");
      const badTag = await refused(core, "gitops.submit", { changeId: id, artifact: { image: IMAGE, tag: "17.0 42" } });
      expect(badTag.code).toBe("invalid-input");
      expect((await call(core, "change.get", { id })).number).toBeNull();
      const { number } = await call(core, "gitops.submit", { changeId: id, artifact: PROMOTED });
      const yaml = (await git(world.ctx, remote, ["show", `main:changes/${number}/change.yaml`])).stdout;
      expect(yaml).toContain(`artifact: { image: ${IMAGE}, tag: ${PROMOTED.tag}, digest: ${PROMOTED.digest} }`);
      // The pre-production gates travel once the change is in the repository.
      await actAs(core, GATE_RECORDER);
      await recordGates(core, id, "preproduction");
      await decideAs(core, "sofia.rossi@plant.example", id);
      await decideAs(core, "ana.ortiz@plant.example", id);

      await actAs(core, TOM);
      // The decisions' commits reach the remote first, so the tip below can only move by a release.
      await call(core, "gitops.push", {});
      const before = { tip: await tip(), status: (await call(core, "change.get", { id })).status };
      const audit = () =>
        core.services.register.db.prepare("SELECT count(*) AS n FROM audit WHERE action = 'change.release'").get();
      const releasesBefore = audit();
      const digest = demoDigest("17.0-43");
      const other = await refused(core, "gitops.release", { changeId: id, image: IMAGE, tag: "17.0-43", digest });
      expect(other.code).toBe("forbidden");
      expect(other.message).toContain(
        `approvals cover ${IMAGE}:${PROMOTED.tag}@${PROMOTED.digest}, not ${IMAGE}:17.0-43@${digest}`,
      );
      expect({ tip: await tip(), status: (await call(core, "change.get", { id })).status }).toEqual(before);
      expect(audit()).toEqual(releasesBefore);

      await call(core, "gitops.release", { changeId: id, ...PROMOTED });
      const sha = await tip();
      const verdict = await verifyRepo({ repo: remote, now: new Date(), ctx: world.ctx });
      // Only the wall clock may add a finding (Berlin's month-end blackout); never one about the artifact.
      expect(verdict.findings.filter((f) => f.commit === sha && f.kind !== "blackout")).toEqual([]);
    } finally {
      t.cleanup();
    }
  });
});
