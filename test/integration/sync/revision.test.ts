import { describe, expect, it } from "vitest";
import type { Core } from "../../../electron/core/core";
import { digestOf } from "../../../electron/core/gitops/commit";
import { git, isolatedGitContext } from "../../../electron/core/gitops/git";
import { DEMO_PEOPLE } from "../../../shared/domain/demo/roster";
import { demoLaptopsEachTest, type Laptops, REWORK_RISK, rework, sentAndSynced } from "../../helpers/laptops";
import { call, changeAwaitingApproval, refused, who } from "../approvals/support";
import { assessDeclared, CHANGE_MANAGER } from "../register/register-fixtures";

// Issue #17 item 4: an edit after submission travels. The requester withdraws the change, edits it, submits it in
// the register and sends it again: one commit signed by the requester over their own change.yaml. A laptop that
// syncs shows the edited change in the same state, and the approvals signed before (for the old bytes) count for
// nothing on either laptop. Before, gitops.submit refused a change already in the repository: edits stayed local,
// and an approval of the old bytes still matched the repository's digest.

const ctx = isolatedGitContext();
const laptops = demoLaptopsEachTest();

const lena = who("lena").email;

async function approveOnce(core: Core, holdKey: Laptops["holdKey"], changeId: string): Promise<string> {
  const emails = DEMO_PEOPLE.map((p) => p.email);
  const allowed = (await call(core, "approval.signers", { changeId, emails })).find((s) => s.allowed);
  if (!allowed) throw new Error("no one may approve");
  await holdKey(core, allowed.email);
  await call(core, "approval.decide", { changeId, scope: "deploy", decision: "approved", meaning: "Approved" });
  return allowed.email;
}

describe("an edit after submission", () => {
  it("travels as the requester's signed commit; the other laptop shows the edit; old approvals are stale on both", async () => {
    const world = await laptops(2);
    const { cores, remote, holdKey } = world;
    const [a, b] = cores as [Core, Core];
    await holdKey(a, lena);
    const id = await changeAwaitingApproval(a);
    const { number } = await call(a, "gitops.submit", { changeId: id });
    await approveOnce(a, holdKey, id);
    await call(a, "gitops.push", {});
    await call(b, "gitops.sync", {});
    const theirs = (await call(b, "change.list", { pageSize: 200 })).items.find((c) => c.number === number);
    expect(theirs?.title).toBe("Test change for berlin");

    // Unchanged: nothing to send.
    await holdKey(a, lena);
    expect((await refused(a, "gitops.submit", { changeId: id })).code).toBe("conflict");
    // Withdrawn, edited and submitted by Lena, assessed again by the change-manager, sent for approval again.
    await call(a, "change.transition", { id, to: "draft", reason: "Rework", actor: lena });
    const title = "Relabel Berlin pick routes (second shift only)";
    await call(a, "change.update", { id, patch: { title }, reason: "Second shift only", actor: lena });
    await call(a, "change.transition", { id, to: "submitted", actor: lena });
    await assessDeclared(a, id, REWORK_RISK, { actor: CHANGE_MANAGER });
    await call(a, "change.transition", { id, to: "assessed", actor: CHANGE_MANAGER });
    await call(a, "change.transition", { id, to: "awaiting-approval", actor: lena });
    const sent = await call(a, "gitops.submit", { changeId: id });
    expect(sent).toMatchObject({ number, pushed: true, error: null });

    const path = `changes/${number}/change.yaml`;
    const text = (await git(ctx, remote, ["show", `main:${path}`])).stdout;
    expect(text).toContain("Relabel Berlin pick routes (second shift only)");
    const writers = (await git(ctx, remote, ["log", "--format=%ce %s", "main", "--", path])).stdout.trim().split("\n");
    expect(writers).toEqual([
      `${lena} Revise ${number}: Relabel Berlin pick routes (second shift only)`,
      expect.stringMatching(new RegExp(`^${lena} Submit ${number}`)),
    ]);

    await call(b, "gitops.sync", {});
    const there = await call(b, "change.get", { id: theirs?.id ?? "" });
    const here = await call(a, "change.get", { id });
    expect([there.title, there.status]).toEqual([here.title, here.status]);
    expect(there.status).toBe("awaiting-approval");
    // The approval signed before links the old bytes: stale on both laptops, whatever the register held.
    for (const [core, changeId] of [
      [a, id],
      [b, there.id],
    ] as const) {
      const preview = await call(core, "approval.preview", { changeId });
      expect(preview.digest).toBe(digestOf(text));
      expect(preview.approvals.map((x) => x.current)).toEqual([false]);
    }
  });
});

describe("an approval signed before the requester's revision arrived", () => {
  // Found by the three-laptop race (seed 4242): the approver's laptop had not synced the revision; its push replayed
  // the approval on top of it, so its working copy held the revision without any sync having read it, and the next
  // sync read only what the fetch brought. That laptop kept the change approved; the ledger (and every other laptop)
  // has an approval of bytes that were already replaced, which counts for nothing.
  it("the approver's laptop follows the ledger after its push: awaiting approval, like the requester's", async () => {
    const world = await laptops(2);
    const { holdKey } = world;
    const { a, b, id, onB } = await sentAndSynced(world, lena);

    await holdKey(a, lena);
    await rework(a, lena, id, "Second shift only", true);
    expect(await call(a, "gitops.submit", { changeId: id })).toMatchObject({ pushed: true, error: null });

    // On B, still showing the old bytes, approvers sign until B holds the change approved.
    for (let i = 0; i < 4 && (await call(b, "change.get", { id: onB })).status !== "approved"; i++)
      await approveOnce(b, holdKey, onB);
    expect((await call(b, "change.get", { id: onB })).status).toBe("approved");
    expect((await call(b, "gitops.push", {})).error).toBeNull();

    await call(b, "gitops.sync", {});
    await call(a, "gitops.sync", {});
    const there = await call(b, "change.get", { id: onB });
    const here = await call(a, "change.get", { id });
    expect([there.title, there.status]).toEqual(["Second shift only", "awaiting-approval"]);
    expect([here.title, here.status]).toEqual(["Second shift only", "awaiting-approval"]);
  });
});

describe("an edit asked for approval again while the approvals of the old bytes sit unread in the working copy", () => {
  // Found by the three-laptop race (seed 908795740): the requester's laptop got the approval into its working copy
  // through a push's replay, not a sync; asking approval for the edited change settled it at once from that approval
  // of the old bytes, so that laptop showed it approved while the ledger (and every other laptop) waits.
  it("stays awaiting approval: the repository's decisions are for other bytes", async () => {
    const world = await laptops(2);
    const { holdKey } = world;
    const { a, b, id, onB } = await sentAndSynced(world, lena);
    for (let i = 0; i < 4 && (await call(b, "change.get", { id: onB })).status !== "approved"; i++)
      await approveOnce(b, holdKey, onB);
    expect((await call(b, "gitops.push", {})).error).toBeNull();
    // A's next push (another change) replays on top of B's approval: A's working copy holds it, unread by a sync.
    await holdKey(a, lena);
    const other = await changeAwaitingApproval(a, { windowStart: "2026-12-06T21:00:00Z" });
    expect(await call(a, "gitops.submit", { changeId: other })).toMatchObject({ pushed: true, error: null });
    expect((await call(a, "change.get", { id })).status).toBe("awaiting-approval");

    await rework(a, lena, id, "Second shift only", true);
    expect((await call(a, "change.get", { id })).status).toBe("awaiting-approval");
  });
});
