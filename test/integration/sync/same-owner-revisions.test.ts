import { describe, expect, it } from "vitest";
import { fixedClock } from "../../../electron/core/clock";
import type { Core } from "../../../electron/core/core";
import { git, isolatedGitContext } from "../../../electron/core/gitops/git";
import { verifyRepo } from "../../../electron/core/gitops/verify/verify";
import { demoLaptopsEachTest, rework, sentAndSynced } from "../../helpers/laptops";
import { call, who } from "../approvals/support";

// Found by the three-laptop race (seed 1833237449): the same requester revised the same change on two laptops before
// either synced. The second laptop's sync stopped as a conflict ("changed both here and on the GitOps remote") and
// never recovered, so the laptops kept different changes. Both revisions are the requester's own signed commits of
// the file they own: nothing is lost whichever stands. The revision whose action came later stands (on the remote,
// as its own bytes); the other stays in history. A laptop whose revision is the earlier one gives its outbox row up
// with the reason, says so in the change's audit trail, and shows the repository's revision at the same sync.

const ctx = isolatedGitContext();
const laptops = demoLaptopsEachTest();

const lena = who("lena").email;

/** Lena withdraws the change, retitles it, has it assessed again and sends the revision. */
async function revise(core: Core, id: string, title: string) {
  await rework(core, lena, id, title, false);
  return call(core, "gitops.submit", { changeId: id });
}

/** A change of Lena's on both laptops; then each revises it, A's revision reaching the remote first. */
async function revisedOnBoth(atA: string, atB: string) {
  const clock = fixedClock("2026-12-01T08:00:00Z");
  const world = await laptops(2, { clock });
  const { holdKey } = world;
  const { a, b, id, number, onB } = await sentAndSynced(world, lena);
  clock.set(atA);
  expect(await revise(a, id, "Revised on A")).toMatchObject({ pushed: true, error: null });
  clock.set(atB);
  await holdKey(b, lena);
  const sentB = await revise(b, onB, "Revised on B");
  clock.set("2026-12-01T12:00:00Z");
  return { a, b, id, onB, number, sentB, remote: world.remote };
}

/** Every laptop synced: the standing revision on the remote and on both registers; `revisions` signed in history. */
async function settled(w: Awaited<ReturnType<typeof revisedOnBoth>>, title: string, revisions: readonly string[]) {
  const { a, b, id, onB, number, remote } = w;
  for (const core of [b, a, b]) await call(core, "gitops.sync", {});
  const path = `changes/${number}/change.yaml`;
  expect((await git(ctx, remote, ["show", `main:${path}`])).stdout).toContain(`title: ${title}`);
  const log = await git(ctx, remote, ["log", "--format=%G? %ce %s", "main", "--", path], {
    config: [`gpg.ssh.allowedSignersFile=${a.services.gitopsDir}/.shiftgate/allowed_signers`],
  });
  expect(log.stdout.trim().split("\n")).toEqual([
    ...revisions.map((t) => `G ${lena} Revise ${number}: ${t}`),
    expect.stringMatching(new RegExp(`^G ${lena} Submit ${number}: `)),
  ]);
  const here = await call(a, "change.get", { id });
  const there = await call(b, "change.get", { id: onB });
  expect([here.title, here.status]).toEqual([title, "assessed"]);
  expect([there.title, there.status]).toEqual([here.title, here.status]);
  const verdict = await verifyRepo({ repo: remote, rev: "main", now: new Date("2026-12-01T12:00:00Z"), ctx });
  expect(verdict.findings.filter((f) => f.change === number)).toEqual([]);
}

describe("one requester revises the same change on two laptops before either synced", () => {
  it("the later revision is this laptop's: it is replayed on top, as its own bytes, signed by the requester", async () => {
    const w = await revisedOnBoth("2026-12-01T10:00:00Z", "2026-12-01T10:05:00Z");
    expect(w.sentB).toMatchObject({ pushed: true, error: null });
    // Both revisions in history, each the requester's signed commit; B's, the later, stands as its own bytes.
    await settled(w, "Revised on B", ["Revised on B", "Revised on A"]);
    // A is told by the import of the later revision in its audit trail.
    const trail = await call(w.a, "audit.list", { changeId: w.id, pageSize: 500 });
    expect(trail.items.map((e) => e.action)).toContain("change.revise.import");
  });

  it("the later revision is the repository's: this laptop's is not sent, the requester is told, the register follows", async () => {
    const w = await revisedOnBoth("2026-12-01T10:05:00Z", "2026-12-01T10:00:00Z");
    expect(w.sentB.error).toBeNull();
    // B's earlier revision is left out of the replay (like a superseded review); A's stands.
    await settled(w, "Revised on A", ["Revised on A"]);
    const given = (await call(w.b, "gitops.outbox", {})).recent.find((r) => r.subject.startsWith("Revise"));
    expect(given?.state).toBe("abandoned");
    expect(given?.lastError).toMatch(/revised .* again on another laptop later/);
    const trail = await call(w.b, "audit.list", { changeId: w.onB, pageSize: 500 });
    expect(trail.items.map((e) => e.action)).toContain("change.revision.superseded");
  });
});
