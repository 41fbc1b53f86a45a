import { afterEach, describe, expect, it } from "vitest";
import type { Core } from "../../../electron/core/core";
import { git, isolatedGitContext } from "../../../electron/core/gitops/git";
import { verifyRepo } from "../../../electron/core/gitops/verify/verify";
import { reviewPath } from "../../../shared/domain/policy/index";
import { demoLaptops, type Laptops } from "../../helpers/laptops";
import { call, who } from "../approvals/support";

// Found by the three-laptop race (#17): two reviewers reviewed the same emergency on two laptops before either
// synced. Both wrote changes/<ID>/review.yaml; the second laptop's push was refused as a foreign write (the file was
// the first reviewer's), so that laptop could never push again and its acknowledged review never reached the
// ledger. Each reviewer now signs a file of their own (reviews/<email>.yaml): both land, and either counts.

const ctx = isolatedGitContext();
let world: Laptops | null = null;
afterEach(() => {
  world?.cleanup();
  world = null;
});

describe("two reviewers review the same emergency on two laptops", () => {
  it("both reviews land in the ledger, in files of their own; both laptops show it reviewed", async () => {
    world = await demoLaptops(2);
    const { cores, remote, holdKey } = world;
    const [a, b] = cores as [Core, Core];
    await holdKey(a, "raj.patel@plant.example");
    const logged = await call(a, "exception.log", {
      title: "Scanner parser hotfix",
      area: "barcode",
      plants: ["pune"],
      requester: who("lena"),
      implementer: who("tom"),
      justification: "Shipping stopped: scanners reject lot numbers",
      incident: "INC-4711",
      breakGlass: { start: "2026-12-01T07:00:00Z", end: "2026-12-01T09:00:00Z" },
      actions: "Patched the parser",
    });
    const number = logged.change.number ?? "";
    await call(a, "gitops.push", {});
    await call(b, "gitops.sync", {});
    const there = (await call(b, "exception.list", {})).find((e) => e.change.number === number);
    expect(there?.review).toBeNull();

    await holdKey(a, "sofia.rossi@plant.example");
    await call(a, "exception.review", { changeId: logged.change.id, outcome: "accepted", notes: "Root cause fixed" });
    expect((await call(a, "gitops.push", {})).error).toBeNull();
    await holdKey(b, "olivia.brown@plant.example");
    await call(b, "exception.review", { changeId: there?.change.id ?? "", outcome: "accepted", notes: "Agreed" });
    const round = await call(b, "gitops.push", {});
    expect(round.error).toBeNull();
    expect(round.pending).toBe(0);

    for (const email of ["sofia.rossi@plant.example", "olivia.brown@plant.example"]) {
      const log = await git(ctx, remote, ["log", "--format=%ce", "main", "--", reviewPath(number, email)]);
      expect(log.stdout.trim()).toBe(email);
    }
    await call(a, "gitops.sync", {});
    await call(b, "gitops.sync", {});
    for (const core of [a, b]) {
      const e = (await call(core, "exception.list", {})).find((x) => x.change.number === number);
      expect(e?.review?.outcome).toBe("accepted");
    }
    const verdict = await verifyRepo({ repo: remote, rev: "main", now: new Date("2026-12-08T08:00:00Z"), ctx });
    expect(verdict.findings.filter((f) => f.change === number).map((f) => f.kind)).toEqual([]);
  });
});
