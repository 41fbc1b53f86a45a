import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { demoKustomization } from "../../../electron/core/gitops/demo-policy";
import { git } from "../../../electron/core/gitops/git";
import { releaseChange } from "../../../electron/core/gitops/release";
import { AppError } from "../../../shared/contract/errors";
import { ADMIN, createWorld, PROD, script, testChange, type World } from "../../helpers/gitops-world";

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

async function fresh() {
  const repo = await world.clone(`release-${++n}`);
  const s = script(world, repo);
  const run = (args: string[]) => git(world.ctx, repo.dir, args).then((o) => o.stdout.trim());
  const release = (newTag: string) =>
    releaseChange(repo, world.signer(TOM), {
      change: ID,
      environment: "production",
      image: IMAGE,
      newTag,
      date: new Date("2026-12-05T22:30:00Z"),
    });
  return { repo, s, run, release };
}

describe("releaseChange: the artifact and the overlay", () => {
  it("refuses an image other than change.yaml's artifact, and commits nothing", async () => {
    const { s, run, release } = await fresh();
    await s.submit(testChange(ID, { artifact: { image: IMAGE, tag: "17.0-5" } }));
    const head = await run(["rev-parse", "HEAD"]);
    const error = await release("17.0-6").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: "forbidden" });
    expect((error as AppError).message).toContain(`approvals cover ${IMAGE}:17.0-5, not ${IMAGE}:17.0-6`);
    expect(await run(["rev-parse", "HEAD"])).toBe(head);
    expect(await run(["status", "--porcelain"])).toBe("");
    const sha = await release("17.0-5");
    expect(await run(["show", "--name-only", "--format=", sha])).toBe(PROD);
  });

  it("refuses a tag release of a change whose artifact is pinned by digest", async () => {
    const { s, run, release } = await fresh();
    await s.submit(testChange(ID, { artifact: { image: IMAGE, digest: `sha256:${"a".repeat(64)}` } }));
    const head = await run(["rev-parse", "HEAD"]);
    await expect(release("17.0-5")).rejects.toMatchObject({ code: "forbidden" });
    expect(await run(["rev-parse", "HEAD"])).toBe(head);
  });

  it("pins the image in the prod overlay although the protected base holds a kustomization too", async () => {
    const { s, run, release } = await fresh();
    await s.write(ADMIN, "apps/odoo/base/kustomization.yaml", demoKustomization("base", "17.0-1"));
    await s.submit(testChange(ID));
    const sha = await release("17.0-7");
    expect(await run(["show", "--name-only", "--format=", sha])).toBe(PROD);
    expect(await run(["show", `${sha}:${PROD}`])).toContain('newTag: "17.0-7"');
  });
});
