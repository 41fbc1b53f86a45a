import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Core } from "../../../electron/core/core";
import { commitFiles, digestOf } from "../../../electron/core/gitops/commit";
import { git, isolatedGitContext } from "../../../electron/core/gitops/git";
import { outboxOf } from "../../../electron/core/gitops/outbox-registry";
import { pushBranch } from "../../../electron/core/gitops/repo";
import { verifyRepo } from "../../../electron/core/gitops/verify/verify";
import { dataPaths } from "../../../electron/core/paths";
import { requestFile } from "../../../electron/core/register/request-publish";
import type { ChangeStatus } from "../../../shared/domain/register/vocabulary";
import { demoLaptopsEachTest, type Laptops } from "../../helpers/laptops";
import { call, who } from "../approvals/support";
import { CHANGE_MANAGER, changeIn } from "../register/register-fixtures";

// Issue #17 item 4: a laptop that has synced shows the same change, in the same state, as the laptop that made it.
// "Asked for approval" had no record in the ledger: a change assessed on one laptop and sent was awaiting approval on
// every other. Now asking for approval is a signed record (changes/<ID>/requests/...); an assessed change is assessed
// everywhere until someone who may ask does, then waiting for approval everywhere.

const ctx = isolatedGitContext();
const laptops = demoLaptopsEachTest();

const lena = who("lena").email;
const OPEN: readonly ChangeStatus[] = ["submitted", "assessed", "awaiting-approval"];

const statusOf = async (core: Core, number: string) =>
  (await call(core, "change.list", { pageSize: 200 })).items.find((c) => c.number === number)?.status;

async function assessedAndSent(a: Core, holdKey: Laptops["holdKey"]) {
  const change = await changeIn(a, "normal", "assessed");
  await holdKey(a, lena);
  const { number } = await call(a, "gitops.submit", { changeId: change.id });
  return { id: change.id, number };
}

describe("asking for approval travels as a signed request", () => {
  it("an assessed change is assessed on every laptop until asked, then waits for approval on every laptop", async () => {
    const world = await laptops(2);
    const { cores, remote, holdKey } = world;
    const [a, b] = cores as [Core, Core];
    // The demo too: every open change is in the same state on both laptops (its assessed CHG-0007 included).
    const open = (await call(a, "change.list", { pageSize: 200 })).items.filter(
      (c) => c.number && OPEN.includes(c.status),
    );
    expect(open.map((c) => c.status)).toContain("assessed");
    for (const c of open) expect([c.number, await statusOf(b, c.number ?? "")]).toEqual([c.number, c.status]);

    const { id, number } = await assessedAndSent(a, holdKey);
    await call(b, "gitops.sync", {});
    expect([await statusOf(a, number), await statusOf(b, number)]).toEqual(["assessed", "assessed"]);

    // Sofia asks for approval on laptop a, holding her key: her signed request is the ledger's record of it.
    await holdKey(a, CHANGE_MANAGER);
    await call(a, "change.transition", { id, to: "awaiting-approval" });
    await call(a, "gitops.push", {});
    const shown = await git(ctx, remote, ["show", "--name-only", "--format=%ce %s", "main"]);
    expect(shown.stdout.trim().split("\n")).toEqual([
      expect.stringMatching(new RegExp(`^${CHANGE_MANAGER} Ask approval for ${number}: `)),
      "",
      expect.stringMatching(new RegExp(`^changes/${number}/requests/`)),
    ]);
    await call(b, "gitops.sync", {});
    expect([await statusOf(a, number), await statusOf(b, number)]).toEqual(["awaiting-approval", "awaiting-approval"]);
    const dirB = b.services.gitopsDir ?? "";
    expect(
      (await verifyRepo({ repo: dirB, now: new Date(), ctx })).findings.filter((f) => f.change === number),
    ).toEqual([]);
    // A second sync moves nothing again.
    const audits = async () => (await call(b, "audit.list", { pageSize: 500 })).total;
    const before = await audits();
    await call(b, "gitops.sync", {});
    expect(await audits()).toBe(before);
  });

  it("a change sent while it waits for approval carries its requester's request", async () => {
    const world = await laptops(2);
    const { cores, holdKey } = world;
    const [a, b] = cores as [Core, Core];
    const change = await changeIn(a, "normal", "awaiting-approval");
    await holdKey(a, lena);
    const { number } = await call(a, "gitops.submit", { changeId: change.id });
    await call(b, "gitops.sync", {});
    expect([await statusOf(a, number), await statusOf(b, number)]).toEqual(["awaiting-approval", "awaiting-approval"]);
  });

  it("a request sent with a change that loses its number follows the renumbered change.yaml", async () => {
    const world = await laptops(2);
    const { cores, holdKey } = world;
    const [a, b] = cores as [Core, Core];
    const first = await changeIn(a, "normal", "awaiting-approval");
    const second = await changeIn(b, "normal", "awaiting-approval");
    await holdKey(a, lena);
    const taken = await call(a, "gitops.submit", { changeId: first.id });
    // B has not synced: it sends its change under the same number, and its push renumbers it.
    await holdKey(b, lena);
    const renumbered = await call(b, "gitops.submit", { changeId: second.id });
    expect(renumbered).toMatchObject({ pushed: true, error: null });
    expect(renumbered.number).not.toBe(taken.number);
    await call(a, "gitops.sync", {});
    expect(await statusOf(a, renumbered.number)).toBe("awaiting-approval");
    const dir = a.services.gitopsDir ?? "";
    const found = (await verifyRepo({ repo: dir, now: new Date(), ctx })).findings;
    expect(found.filter((f) => f.change === renumbered.number || f.change === taken.number)).toEqual([]);
  });

  it("a request signed by someone the policy does not let ask is reported by verify and moves nothing", async () => {
    const world = await laptops(2);
    const { cores, holdKey } = world;
    const [a, b] = cores as [Core, Core];
    const { number } = await assessedAndSent(a, holdKey);
    await call(a, "gitops.push", {});
    await call(b, "gitops.sync", {});
    // Ana (plant-ops-leader) is neither the requester nor a change-manager: she signs a request around the app.
    const ana = who("ana");
    const repo = outboxOf(b.services)?.repo ?? expect.fail("laptop b has no repository");
    const yaml = (await git(ctx, repo.dir, ["show", `HEAD:changes/${number}/change.yaml`])).stdout;
    expect(digestOf(yaml)).toMatch(/^sha256:/);
    const keyFile = join(dataPaths(a.services.dataDir).keys, `${ana.email}.key`);
    const sha = await commitFiles(
      repo,
      { ...ana, key: { format: "ssh", keyFile } },
      [requestFile(number, yaml, ana, new Date().toISOString())],
      `Ask approval for ${number}`,
    );
    await pushBranch(repo);
    const found = (await verifyRepo({ repo: repo.dir, now: new Date(), ctx })).findings.filter((f) => f.commit === sha);
    expect(found.map((f) => f.kind)).toEqual(["role-not-held"]);
    await call(a, "gitops.sync", {});
    await call(b, "gitops.sync", {});
    expect([await statusOf(a, number), await statusOf(b, number)]).toEqual(["assessed", "assessed"]);
  });
});
