import { describe, expect, it } from "vitest";
import { fixedClock } from "../../../electron/core/clock";
import type { Core } from "../../../electron/core/core";
import { DEMO_IMAGE, demoDigest } from "../../../electron/core/gitops/demo-policy";
import { git, isolatedGitContext } from "../../../electron/core/gitops/git";
import { dataPaths } from "../../../electron/core/paths";
import { PROMOTED_RELEASE } from "../../helpers/demo-release";
import { type Doors, doorsForFile, refusedAtEveryDoor } from "../../helpers/doors";
import { waitFor } from "../../helpers/wait";
import { actAs, call as callCore, changeAwaitingApproval, decideAs } from "../approvals/support";
import { call } from "../register/register-fixtures";

// Production receives only an image named by digest that pre-production ran: no door releases a tag alone or a
// digest that skipped a stage, and a refused release leaves the register, the audit chain and the repository alone.

let core: Core;
let doors: Doors;
let remote: string;
const clock = fixedClock("2026-12-01T08:00:00Z");
const ctx = isolatedGitContext();
const TOM = "tom.fischer@plant.example";
doorsForFile(
  { clock },
  (live) => {
    ({ core, doors } = live);
    remote = dataPaths(live.dir).gitopsDemoRemote;
  },
  { prepare: (c) => call(c, "gitops.createDemo", {}) },
);

async function approvedWithNumber(): Promise<string> {
  const id = await changeAwaitingApproval(core, { windowStart: "2026-12-01T07:00:00Z" });
  await actAs(core, "lena.weber@plant.example");
  await callCore(core, "gitops.submit", { changeId: id });
  await decideAs(core, "sofia.rossi@plant.example", id);
  await decideAs(core, "ana.ortiz@plant.example", id);
  const db = core.services.register.db;
  const unpushed = db.prepare("SELECT count(*) FROM gitops_outbox WHERE state IN ('pending', 'committed')").pluck();
  await waitFor(() => unpushed.get() === 0, "the approvals to be pushed");
  await actAs(core, TOM);
  return id;
}

const tip = async () => (await git(ctx, remote, ["rev-parse", "main"])).stdout.trim();

describe("no door releases to production what pre-production did not run", () => {
  it("a digest pre-production never pinned: refused at every door, repository unchanged", async () => {
    const id = await approvedWithNumber();
    const before = await tip();
    const digest = demoDigest("17.0-20261299");
    await refusedAtEveryDoor(
      core,
      doors,
      "gitops.release",
      { changeId: id, image: DEMO_IMAGE, tag: "17.0-20261299", digest },
      {
        code: "forbidden",
        message: /was never released to preproduction: .*Release this digest to preproduction first/,
      },
    );
    expect(await tip()).toBe(before);
    expect((await call<{ status: string }>(core, "change.get", { id })).status).toBe("approved");
  });

  it("a tag without its digest: refused at every door, naming what to give", async () => {
    const id = await approvedWithNumber();
    const before = await tip();
    await refusedAtEveryDoor(
      core,
      doors,
      "gitops.release",
      { changeId: id, image: DEMO_IMAGE, tag: PROMOTED_RELEASE.tag },
      {
        code: "invalid-input",
        message: /production is protected: a release names the image by digest.*Give the digest/,
      },
    );
    expect(await tip()).toBe(before);
  });
});
