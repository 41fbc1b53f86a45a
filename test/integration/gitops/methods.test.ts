import { afterEach, describe, expect, it } from "vitest";
import { fixedClock } from "../../../electron/core/clock";
import { createDemoGitops } from "../../../electron/core/gitops/demo-install";
import { verifyRepo } from "../../../electron/core/gitops/verify/verify";
import type { GitopsDemoResult, GitopsPolicyView, GitopsVerifyResult } from "../../../shared/contract/methods/gitops";
import { expectOnlyDemoFindings } from "../../helpers/demo-findings";
import { changeQuorum, identifyKey } from "../../helpers/ledger-reads";
import { tempCore, tempDir } from "../../helpers/temp";

let cleanup: (() => void) | null = null;
afterEach(() => cleanup?.());

describe("gitops.* through the dispatcher", () => {
  it("builds the offline demo, shows its policy and verifies it", async () => {
    const t = await tempCore({});
    cleanup = t.cleanup;
    const before = await t.core.call("gitops.verify", {});
    expect(before).toMatchObject({ ok: false, error: { code: "not-found" } });

    const started = Date.now();
    const demo = await t.core.call("gitops.createDemo", {});
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(demo.ok).toBe(true);
    const built = (demo as { value: GitopsDemoResult }).value;
    // Every demo change past draft, save the two never sent (demo-consistency.test.ts checks each one's story).
    expect(built.changes.map((c) => c.id).sort()).toEqual(
      Array.from({ length: 22 }, (_, i) => `CHG-2026-${String(i + 1).padStart(4, "0")}`),
    );
    // Idempotent (first run calls it on every start): the existing working copy is kept.
    expect(await t.core.call("gitops.createDemo", {})).toMatchObject({
      ok: true,
      value: { workingCopy: built.workingCopy },
    });

    const policy = (await t.core.call("gitops.policy", {})) as { ok: true; value: GitopsPolicyView };
    expect(policy.value.problems).toEqual([]);
    expect(policy.value.policy.people).toHaveLength(10);

    // At the demo clock the emergency change's review is overdue; before its deadline only the unauthorised release
    // (CHG-0020, released without its approvals to pre-production and production) is found.
    const now = (await t.core.call("gitops.verify", {})) as { ok: true; value: GitopsVerifyResult };
    expect(now.value.findings.map((f) => [f.kind, f.change])).toEqual([
      ["quorum-not-met", "CHG-2026-0020"],
      ["quorum-not-met", "CHG-2026-0020"],
      ["review-overdue", "CHG-2026-0005"],
    ]);
    const early = (await t.core.call("gitops.verify", { now: "2026-11-28T07:00:00Z" })) as {
      ok: true;
      value: GitopsVerifyResult;
    };
    // Judged from the root this laptop pinned when the demo was built (the commit .shiftgate/trust-root names).
    expect(early.value).toMatchObject({ trustRoot: { source: "given" } });
    expect(early.value.findings.map((f) => [f.kind, f.change])).toEqual([
      ["quorum-not-met", "CHG-2026-0020"],
      ["quorum-not-met", "CHG-2026-0020"],
    ]);
  });
});

describe("reading the working copy", () => {
  it("identifies the owner of a demo key and where a change stands", async () => {
    const { dir, cleanup: done } = tempDir();
    cleanup = done;
    const demo = await createDemoGitops(dir, fixedClock("2026-12-01T08:00:00Z"));
    const ana = demo.signers.get("ana.ortiz@plant.example");
    if (!ana) throw new Error("no demo signer");
    expect(await identifyKey(demo.repo, ana.key)).toMatchObject({
      email: "ana.ortiz@plant.example",
      person: { roles: ["plant-ops-leader"] },
    });
    expect(changeQuorum(demo.repo, "CHG-2026-0002").summary).toBe("needs the Chicago plant-ops-leader");
    expect(changeQuorum(demo.repo, "CHG-2026-0004").summary).toBe("rejected by Marcus Reed");
    expect(changeQuorum(demo.repo, "CHG-2026-0006", ["dana.kim@plant.example"]).summary).toBe(
      "needs 1 dba for the db migration",
    );
  });
});

describe("the demo around a month end", () => {
  it("keeps its released change out of Berlin's month-end blackout", async () => {
    const { dir, cleanup: done } = tempDir();
    cleanup = done;
    // Six days before this clock is 31 December: the Berlin month-end close.
    const demo = await createDemoGitops(dir, fixedClock("2027-01-06T08:00:00Z"));
    const result = await verifyRepo({ repo: demo.remote, now: new Date("2027-01-06T08:00:00Z"), ctx: demo.repo.ctx });
    expectOnlyDemoFindings(result);
    expect(result.findings.map((f) => f.kind).sort()).toEqual([
      "quorum-not-met",
      "quorum-not-met",
      "review-overdue",
      "review-overdue",
    ]);
  });
});
