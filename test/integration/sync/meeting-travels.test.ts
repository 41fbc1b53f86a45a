import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Core } from "../../../electron/core/core";
import { git, isolatedGitContext } from "../../../electron/core/gitops/git";
import { verifyRepo } from "../../../electron/core/gitops/verify/verify";
import { demoLaptopsEachTest, type Laptops } from "../../helpers/laptops";
import { expectRewriteRefused } from "../../helpers/rewrite-refused";
import { call, changeAwaitingApproval, who } from "../approvals/support";
import { CHANGE_MANAGER } from "../register/register-fixtures";

// Issue #17 item 4: CAB meeting decisions and minutes metadata travel. When the chair ends a meeting holding their
// key, the meeting's record (attendees, items with each decision and who took it) is committed as
// meetings/<date>-<id>.yaml signed by the chair; a laptop that syncs lists the same meeting and decisions. Before,
// meetings stayed in the register of the laptop that held them.

const ctx = isolatedGitContext();
const laptops = demoLaptopsEachTest();

const lena = who("lena").email;
const REASON = "Wait for the MES vendor's confirmation of the interface change.";

async function meetingClosed(a: Core, holdKey: Laptops["holdKey"]) {
  await holdKey(a, lena);
  const changeId = await changeAwaitingApproval(a);
  const { number } = await call(a, "gitops.submit", { changeId });
  await holdKey(a, CHANGE_MANAGER);
  const m = await call(a, "meeting.start", { title: "Weekly CAB", attendees: [CHANGE_MANAGER, lena] });
  await call(a, "meeting.defer", { id: m.id, changeId, reason: REASON });
  const ended = await call(a, "meeting.end", { id: m.id });
  await call(a, "gitops.push", {});
  return { number, ended };
}

describe("a CAB meeting's record travels", () => {
  it("as the chair's signed file; the other laptop lists the same meeting and decisions", async () => {
    const world = await laptops(2);
    const { cores, remote, holdKey } = world;
    const [a, b] = cores as [Core, Core];
    const { number, ended } = await meetingClosed(a, holdKey);
    const files = (await git(ctx, remote, ["ls-tree", "-r", "--name-only", "main", "meetings"])).stdout.trim();
    expect(files).toBe(`meetings/${ended.startedAt.slice(0, 10)}-${ended.id.toLowerCase()}.yaml`);
    expect((await git(ctx, remote, ["log", "-1", "--format=%ce", "main", "--", files])).stdout.trim()).toBe(
      CHANGE_MANAGER,
    );

    await call(b, "gitops.sync", {});
    // The chair's commit is sound: verify finds nothing about it.
    const dirB = b.services.gitopsDir ?? "";
    const meetingCommit = (await git(ctx, dirB, ["log", "-1", "--format=%H", "--", files])).stdout.trim();
    const findings = (await verifyRepo({ repo: dirB, now: new Date(), ctx })).findings;
    expect(findings.filter((f) => f.commit === meetingCommit)).toEqual([]);
    const listed = await call(b, "meeting.list", {});
    expect(listed.map((m) => [m.id, m.title, m.status])).toEqual([[ended.id, "Weekly CAB", "ended"]]);
    const there = await call(b, "meeting.get", { id: ended.id });
    expect(there.chair).toBe(CHANGE_MANAGER);
    expect(there.attendees.map((p) => p.email)).toEqual(ended.attendees.map((p) => p.email));
    const theirs = (await call(b, "change.list", { pageSize: 200 })).items.find((c) => c.number === number);
    const item = there.items.find((i) => i.changeId === theirs?.id);
    expect(item?.current?.number).toBe(number);
    expect(item?.decisions.map((d) => [d.kind, d.by.email, d.reason])).toEqual([["deferred", CHANGE_MANAGER, REASON]]);
    // A second sync takes nothing twice.
    await call(b, "gitops.sync", {});
    expect(await call(b, "meeting.list", {})).toHaveLength(1);
  });

  it("names the SHA-256 of its canonical minutes, which any laptop recomputes from the record with yq", async () => {
    const world = await laptops(2);
    const { cores, holdKey } = world;
    const [a, b] = cores as [Core, Core];
    await meetingClosed(a, holdKey);
    await call(b, "gitops.sync", {});
    const dir = b.services.gitopsDir ?? "";
    const path = (await git(ctx, dir, ["ls-files", "meetings"])).stdout.trim();
    // docs/gitops-repo.md: every field but minutesSha256, as sorted compact JSON, hashed.
    const canonical = execFileSync("sh", ["-c", `yq -S -c 'del(.minutesSha256)' "$0" | tr -d '\\n'`, join(dir, path)]);
    const stated = /^minutesSha256: ([0-9a-f]{64})$/m.exec((await git(ctx, dir, ["show", `HEAD:${path}`])).stdout);
    expect(stated?.[1]).toBe(createHash("sha256").update(canonical).digest("hex"));
  });

  it("a rewrite of a meeting record is refused on push and reported by verify", async () => {
    const world = await laptops(2);
    const { cores, holdKey } = world;
    const [a, b] = cores as [Core, Core];
    await meetingClosed(a, holdKey);
    await call(b, "gitops.sync", {});
    const dir = b.services.gitopsDir ?? "";
    const path = (await git(ctx, dir, ["ls-files", "meetings"])).stdout.trim();
    const approve = (text: string) => text.replaceAll("deferred", "approved");
    // No change owns a meeting record: the finding names none.
    expect(await expectRewriteRefused(b, world.remote, path, approve, CHANGE_MANAGER)).toEqual([null]);
    // The minutes it states no longer match what it says: verify names that too.
    const found = (await verifyRepo({ repo: dir, now: new Date(), ctx })).findings;
    const head = (await git(ctx, dir, ["rev-parse", "HEAD"])).stdout.trim();
    expect(found.filter((f) => f.kind === "minutes-mismatch").map((f) => f.commit)).toEqual([head]);
  });
});
