import { afterEach, describe, expect, it } from "vitest";
import { fixedClock } from "../../../electron/core/clock";
import type { Core } from "../../../electron/core/core";
import { git, isolatedGitContext } from "../../../electron/core/gitops/git";
import { verifyRepo } from "../../../electron/core/gitops/verify/verify";
import { reviewPath } from "../../../shared/domain/policy/index";
import { demoLaptops, type Laptops } from "../../helpers/laptops";
import { expectRewriteRefused } from "../../helpers/rewrite-refused";
import { call, who } from "../approvals/support";

// Found by the three-laptop race (#17): two reviewers reviewed the same emergency on two laptops before either
// synced. Both wrote changes/<ID>/review.yaml; the second laptop's push was refused as a foreign write (the file was
// the first reviewer's), so that laptop could never push again and its acknowledged review never reached the
// ledger. Each reviewer now signs a file of their own (reviews/<email>.yaml): both land, and either counts.
// Found next at 200 operations (seed 99): one reviewer reviewing the same emergency on two laptops. Their second
// review either could not be replayed (sync stopped for good) or vanished in the rebase while its user had been told
// it was recorded. A review is final: the one that reached the repository first stands; the second laptop does not
// write the file again, gives up its outbox row with the reason, and says so in the change's audit trail.

const ctx = isolatedGitContext();
let world: Laptops | null = null;
afterEach(() => {
  world?.cleanup();
  world = null;
});

const OLIVIA = "olivia.brown@plant.example";
const emergency = {
  title: "Scanner parser hotfix",
  area: "barcode" as const,
  plants: ["pune"],
  requester: who("lena"),
  implementer: who("tom"),
  justification: "Shipping stopped: scanners reject lot numbers",
  incident: "INC-4711",
  breakGlass: { start: "2026-12-01T07:00:00Z", end: "2026-12-01T09:00:00Z" },
  actions: "Patched the parser",
};

/** Two laptops; an emergency logged on the first is on both, not yet reviewed anywhere. */
async function emergencyOnTwoLaptops(options: Parameters<typeof demoLaptops>[1] = {}) {
  world = await demoLaptops(2, options);
  const [a, b] = world.cores as [Core, Core];
  await world.holdKey(a, "raj.patel@plant.example");
  const logged = await call(a, "exception.log", emergency);
  const number = logged.change.number ?? "";
  await call(a, "gitops.push", {});
  await call(b, "gitops.sync", {});
  const there = (await call(b, "exception.list", {})).find((e) => e.change.number === number);
  expect(there?.review).toBeNull();
  return { a, b, number, onA: logged.change.id, onB: there?.change.id ?? "", remote: world.remote };
}

const reviewOf = async (core: Core, number: string) =>
  (await call(core, "exception.list", {})).find((e) => e.change.number === number)?.review;

describe("two reviewers review the same emergency on two laptops", () => {
  it("both reviews land in the ledger, in files of their own; both laptops show it reviewed", async () => {
    const { a, b, number, onA, onB, remote } = await emergencyOnTwoLaptops();
    const holdKey = world?.holdKey ?? (() => undefined);
    await holdKey(a, "sofia.rossi@plant.example");
    await call(a, "exception.review", { changeId: onA, outcome: "accepted", notes: "Root cause fixed" });
    expect((await call(a, "gitops.push", {})).error).toBeNull();
    await holdKey(b, OLIVIA);
    await call(b, "exception.review", { changeId: onB, outcome: "accepted", notes: "Agreed" });
    const round = await call(b, "gitops.push", {});
    expect(round.error).toBeNull();
    expect(round.pending).toBe(0);

    for (const email of ["sofia.rossi@plant.example", OLIVIA]) {
      const log = await git(ctx, remote, ["log", "--format=%ce", "main", "--", reviewPath(number, email)]);
      expect(log.stdout.trim()).toBe(email);
    }
    await call(a, "gitops.sync", {});
    await call(b, "gitops.sync", {});
    for (const core of [a, b]) expect((await reviewOf(core, number))?.outcome).toBe("accepted");
    const verdict = await verifyRepo({ repo: remote, rev: "main", now: new Date("2026-12-08T08:00:00Z"), ctx });
    expect(verdict.findings.filter((f) => f.change === number).map((f) => f.kind)).toEqual([]);
  });
});

describe("one reviewer reviews the same emergency on two laptops before either synced", () => {
  // How the second laptop reaches the remote: its background push, or a sync (which checks for conflicts first).
  for (const via of ["gitops.push", "gitops.sync"] as const)
    it(`the first review stands; the second laptop writes nothing and says why (${via})`, async () => {
      const { a, b, number, onA, onB, remote } = await emergencyOnTwoLaptops();
      const holdKey = world?.holdKey ?? (() => undefined);
      await holdKey(a, OLIVIA);
      await call(a, "exception.review", { changeId: onA, outcome: "accepted", notes: "Root cause fixed" });
      expect((await call(a, "gitops.push", {})).error).toBeNull();
      const standing = (await git(ctx, remote, ["rev-parse", `main:${reviewPath(number, OLIVIA)}`])).stdout.trim();
      await holdKey(b, OLIVIA);
      await call(b, "exception.review", { changeId: onB, outcome: "follow-up-required", notes: "Check the scanners" });

      const reached = await b.call(via, {});
      expect(reached.ok, JSON.stringify(reached)).toBe(true);
      expect((await call(b, "gitops.push", {})).error).toBeNull();
      // Written once, by the first laptop's commit, with its content.
      const writes = await git(ctx, remote, ["log", "--format=%H", "main", "--", reviewPath(number, OLIVIA)]);
      expect(writes.stdout.trim().split("\n")).toHaveLength(1);
      expect((await git(ctx, remote, ["rev-parse", `main:${reviewPath(number, OLIVIA)}`])).stdout.trim()).toBe(
        standing,
      );
      // The second laptop says what became of its review: nothing waits, the row is given up with the reason.
      const outbox = await call(b, "gitops.outbox", {});
      expect(outbox.items).toEqual([]);
      const given = outbox.recent.find((r) => r.kind === "review" && r.change === number);
      expect(given?.state).toBe("abandoned");
      expect(given?.lastError).toMatch(new RegExp(`${OLIVIA} had already reviewed ${number} on another laptop`));
      const audit = await call(b, "audit.list", { changeId: onB, pageSize: 500 });
      expect(audit.items.map((e) => e.action)).toContain("exception.review.superseded");

      for (const core of [a, b]) await call(core, "gitops.sync", {});
      for (const core of [a, b]) expect(await reviewOf(core, number)).toBeTruthy();
      // Nor may the reviewer write it again by hand: a review is final, so the push is refused and verify reports it.
      if (via === "gitops.push")
        expect(
          await expectRewriteRefused(b, remote, reviewPath(number, OLIVIA), (t) => `${t}# second thoughts\n`, OLIVIA),
        ).toEqual([number]);
      expect((await call(a, "gitops.outbox", {})).items).toEqual([]);
      const verdict = await verifyRepo({ repo: remote, rev: "main", now: new Date("2026-12-08T08:00:00Z"), ctx });
      expect(verdict.findings.filter((f) => f.change === number).map((f) => f.kind)).toEqual([]);
    });

  it("the same review made twice at the same minute is not sent twice either, and the person is told", async () => {
    const clock = fixedClock("2026-12-01T10:00:00Z");
    const { a, b, number, onA, onB, remote } = await emergencyOnTwoLaptops({ clock });
    const holdKey = world?.holdKey ?? (() => undefined);
    for (const [core, id] of [
      [a, onA],
      [b, onB],
    ] as const) {
      await holdKey(core, OLIVIA);
      await call(core, "exception.review", { changeId: id, outcome: "accepted", notes: "Root cause fixed" });
    }
    expect((await call(a, "gitops.push", {})).error).toBeNull();
    expect((await call(b, "gitops.push", {})).error).toBeNull();
    const writes = await git(ctx, remote, ["log", "--format=%H", "main", "--", reviewPath(number, OLIVIA)]);
    expect(writes.stdout.trim().split("\n")).toHaveLength(1);
    // Each outbox also pushes by itself right after its commit, so on a loaded machine either laptop's review may
    // reach the remote first: that one stands, and the other laptop's row is given up with the reason.
    const rows = await Promise.all(
      [a, b].map(async (core) => (await call(core, "gitops.outbox", {})).recent.find((r) => r.kind === "review")),
    );
    expect(rows.map((r) => r?.state).sort()).toEqual(["abandoned", "pushed"]);
    const given = rows.find((r) => r?.state === "abandoned");
    expect(given?.lastError).toMatch(/already reviewed .* on another laptop with the same content/);
  });
});
