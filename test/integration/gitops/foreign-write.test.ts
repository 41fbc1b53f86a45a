import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { git } from "../../../electron/core/gitops/git";
import { pushBranch } from "../../../electron/core/gitops/repo";
import { withSigningSetup } from "../../../electron/core/gitops/signing";
import type { Finding } from "../../../electron/core/gitops/verify/findings";
import { verifyRepo } from "../../../electron/core/gitops/verify/verify";
import type { AppError } from "../../../shared/contract/errors";
import { approvalPath, writeChange } from "../../../shared/domain/policy/index";
import { createWorld, script, testChange, type World } from "../../helpers/gitops-world";

// The ledger is append-only (issue #17): a file in a change's folder is changed only by the person who owns it.
// Before this rule, each rewrite below verified without a finding about it.

let world: World;
let n = 0;
beforeAll(async () => {
  world = await createWorld("ssh");
}, 60_000);
afterAll(() => world?.cleanup());

const NOW = new Date("2026-12-06T08:00:00Z");
const LENA = "lena.weber@plant.example";
const TOM = "tom.fischer@plant.example";
const RAJ = "raj.patel@plant.example";
const MARCUS = "marcus.reed@plant.example";

async function fresh() {
  const repo = await world.clone(`foreign-${++n}`);
  return { repo, s: script(world, repo) };
}
const foreign = (findings: readonly Finding[]) =>
  findings.filter((f) => f.kind === "foreign-write").map((f) => [f.commit, f.change]);

describe("foreign-write: the ledger is append-only, each file changed only by its owner", () => {
  it("another person rewriting a change.yaml is reported; its requester revising it is not", async () => {
    const { repo, s } = await fresh();
    const id = "CHG-2026-0001";
    await s.submit(testChange(id));
    const own = await s.write(LENA, `changes/${id}/change.yaml`, writeChange(testChange(id, { title: "Revised" })));
    const other = await s.write(
      MARCUS,
      `changes/${id}/change.yaml`,
      writeChange(testChange(id, { title: "Marcus's change now", requester: { name: "Marcus Reed", email: MARCUS } })),
      [["Change-Request", id]],
    );
    const found = foreign((await verifyRepo({ repo: repo.dir, now: NOW, ctx: world.ctx })).findings);
    expect(found).toEqual([[other, id]]);
    expect(found.map(([sha]) => sha)).not.toContain(own);
  });

  it("deleting someone else's approval (a rejection) is reported; changing one's own decision is not", async () => {
    const { repo, s } = await fresh();
    const id = "CHG-2026-0002";
    const { digest } = await s.submit(testChange(id));
    await s.decide(id, digest, RAJ, "plant-ops-leader", { reject: true });
    await s.decide(id, digest, RAJ, "plant-ops-leader");
    await git(world.ctx, repo.dir, ["rm", "--quiet", "--", approvalPath(id, RAJ, "deploy")]);
    await withSigningSetup(world.signer(TOM), (setup) =>
      git(world.ctx, repo.dir, ["commit", "--quiet", "-m", `Tidy ${id}\n\nChange-Request: ${id}`], setup),
    );
    const deleted = (await git(world.ctx, repo.dir, ["rev-parse", "HEAD"])).stdout.trim();
    const found = foreign((await verifyRepo({ repo: repo.dir, now: NOW, ctx: world.ctx })).findings);
    expect(found).toEqual([[deleted, id]]);
  });

  it("a record that is not a person's own document (e.g. a minutes file) cannot be rewritten by anyone", async () => {
    const { repo, s } = await fresh();
    const id = "CHG-2026-0003";
    await s.submit(testChange(id));
    await s.write(LENA, `changes/${id}/notes/minutes.md`, "CAB agreed.\n", [["Change-Request", id]]);
    const rewrite = await s.write(LENA, `changes/${id}/notes/minutes.md`, "CAB did not object.\n", [
      ["Change-Request", id],
    ]);
    const found = foreign((await verifyRepo({ repo: repo.dir, now: NOW, ctx: world.ctx })).findings);
    expect(found).toEqual([[rewrite, id]]);
  });

  it("a push that would carry such a commit is refused before anything leaves the laptop", async () => {
    const { repo, s } = await fresh();
    const id = "CHG-2026-0004";
    await s.submit(testChange(id));
    await pushBranch(repo);
    const remoteTip = async () => (await git(world.ctx, world.remote, ["rev-parse", "main"])).stdout.trim();
    const before = await remoteTip();
    const rewrite = await s.write(
      MARCUS,
      `changes/${id}/change.yaml`,
      writeChange(testChange(id, { title: "Not Lena's any more" })),
    );
    const error = await pushBranch(repo).then(
      () => null,
      (e: unknown) => e as AppError,
    );
    expect(error).toMatchObject({ code: "conflict", details: { reason: "foreign-write" } });
    expect(error?.message).toContain(`changes/${id}/change.yaml`);
    expect(error?.message).toContain(`only ${LENA} may change it`);
    expect(error?.message).toContain(rewrite.slice(0, 10));
    expect(await remoteTip()).toBe(before);
    // Lena revising her own change goes out.
    await git(world.ctx, repo.dir, ["reset", "--quiet", "--hard", "HEAD~1"]);
    await s.write(LENA, `changes/${id}/change.yaml`, writeChange(testChange(id, { title: "Revised by Lena" })));
    await pushBranch(repo);
    expect(await remoteTip()).not.toBe(before);
  });
});
