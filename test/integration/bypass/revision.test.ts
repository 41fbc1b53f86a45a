import { describe, expect, it } from "vitest";
import { fixedClock } from "../../../electron/core/clock";
import type { Core } from "../../../electron/core/core";
import { git, isolatedGitContext } from "../../../electron/core/gitops/git";
import { dataPaths } from "../../../electron/core/paths";
import { type Doors, doorsForFile, refusedAtEveryDoor } from "../../helpers/doors";
import { actAs, call, changeAwaitingApproval } from "../approvals/support";

// A revision of a change in the repository (#17 item 4) is its requester's alone, and only of bytes that changed:
// no door sends an unchanged change again or someone else's revision, and a refusal leaves the register, the audit
// chain and the repository as they were. (No CLI command sends submissions.)

let core: Core;
let doors: Doors;
let remote: string;
const ctx = isolatedGitContext();
const LENA = "lena.weber@plant.example";
doorsForFile(
  { clock: fixedClock("2026-12-01T08:00:00Z") },
  (live) => {
    ({ core, doors } = live);
    remote = dataPaths(live.dir).gitopsDemoRemote;
  },
  { prepare: (c) => call(c, "gitops.createDemo", {}) },
);

const tip = async () => (await git(ctx, remote, ["rev-parse", "main"])).stdout.trim();

async function submitted(): Promise<string> {
  const id = await changeAwaitingApproval(core);
  await actAs(core, LENA);
  await call(core, "gitops.submit", { changeId: id });
  await call(core, "gitops.push", {});
  return id;
}

describe("no door sends a revision that is not the requester's, or not a revision", () => {
  it("the same bytes again: refused as a conflict at every door, nothing changed", async () => {
    const id = await submitted();
    const before = await tip();
    await refusedAtEveryDoor(
      core,
      doors,
      "gitops.submit",
      { changeId: id },
      {
        code: "conflict",
        message: /already in the GitOps repository as CHG-\d{4}-\d{4}, as it stands; edit it first/,
      },
    );
    expect(await tip()).toBe(before);
  });

  it("an edited change sent by someone other than its requester: refused at every door, nothing changed", async () => {
    const id = await submitted();
    await call(core, "change.transition", { id, to: "draft", reason: "Rework" });
    await call(core, "change.update", { id, patch: { title: "Edited by Lena" }, reason: "Rework" });
    await call(core, "change.transition", { id, to: "submitted" });
    await actAs(core, "marcus.reed@plant.example");
    const before = await tip();
    await refusedAtEveryDoor(
      core,
      doors,
      "gitops.submit",
      { changeId: id },
      {
        code: "forbidden",
        message: /Only the requester \(lena.weber@plant.example\) signs/,
      },
    );
    expect(await tip()).toBe(before);
    // Lena herself sends it.
    await actAs(core, LENA);
    expect(await call(core, "gitops.submit", { changeId: id })).toMatchObject({ pushed: true, error: null });
    expect(await tip()).not.toBe(before);
  });
});
