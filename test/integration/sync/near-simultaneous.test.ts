import { afterEach, describe, expect, it } from "vitest";
import type { Core } from "../../../electron/core/core";
import { git, isolatedGitContext } from "../../../electron/core/gitops/git";
import { verifyRepo } from "../../../electron/core/gitops/verify/verify";
import { changeWriters, demoLaptops, justSubmitted, type Laptops } from "../../helpers/laptops";
import { call } from "../approvals/support";

// Issue #17's reproduction: two laptops submit a change each, around the same time, right after submitting in the
// register (no risk class, no implementer yet). The second push must renumber its own change, never rewrite the
// first laptop's change.yaml, and both registers must end up with distinct numbers matching the repository.

const ctx = isolatedGitContext();
const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0).reverse()) c();
});

async function laptops(): Promise<{ a: Core; b: Core; remote: string; useKey: Laptops["holdKey"] }> {
  const world = await demoLaptops(2);
  cleanups.push(world.cleanup);
  const [a, b] = world.cores as [Core, Core];
  return { a, b, remote: world.remote, useKey: world.holdKey };
}

const numberOf = (core: Core, id: string) =>
  (core.services.register.db.prepare("SELECT number FROM changes WHERE id = ?").get(id) as { number: string | null })
    .number;

describe("two laptops submit at the same time", () => {
  it("the second is renumbered; no change.yaml is ever rewritten by the other laptop", async () => {
    const { a, b, remote, useKey } = await laptops();
    await useKey(a, "lena.weber@plant.example");
    const mine = await justSubmitted(a, "lena", "Relabel Berlin pick routes");
    await useKey(b, "marcus.reed@plant.example");
    const theirs = await justSubmitted(b, "marcus", "Chicago EDI partner mapping");

    const first = await call(a, "gitops.submit", { changeId: mine });
    const second = await call(b, "gitops.submit", { changeId: theirs });
    expect(first.number).toMatch(/^CHG-2026-\d{4}$/);
    expect(second.number).toMatch(/^CHG-2026-\d{4}$/);
    expect(second).toMatchObject({ pushed: true, error: null });
    expect(second.number).not.toBe(first.number);
    expect(numberOf(a, mine)).toBe(first.number);
    expect(numberOf(b, theirs)).toBe(second.number);
    await call(b, "gitops.push", {});

    // Every change.yaml on the remote was written by one committer only, over the whole history.
    for (const [path, set] of await changeWriters(remote))
      expect([path, [...set]]).toEqual([path, [...set].slice(0, 1)]);
    const show = (n: string) => git(ctx, remote, ["show", `main:changes/${n}/change.yaml`]).then((o) => o.stdout);
    expect(await show(first.number)).toContain("Relabel Berlin pick routes");
    expect(await show(second.number)).toContain("Chicago EDI partner mapping");

    // After sync each laptop knows both, under the same numbers.
    await call(a, "gitops.sync", {});
    await call(b, "gitops.sync", {});
    for (const core of [a, b]) {
      const list = await call(core, "change.list", { pageSize: 200 });
      const numbers = list.items.map((c) => c.number).filter((n) => n === first.number || n === second.number);
      expect(numbers.sort()).toEqual([first.number, second.number].sort());
    }
    // Both laptops show each change in the same state: submitted, not yet assessed.
    const states = (core: Core) =>
      call(core, "change.list", { pageSize: 200 }).then((l) =>
        Object.fromEntries(
          l.items
            .filter((c) => c.number === first.number || c.number === second.number)
            .map((c) => [c.number, c.status]),
        ),
      );
    expect(await states(a)).toEqual({ [first.number]: "submitted", [second.number]: "submitted" });
    expect(await states(b)).toEqual(await states(a));
    const verdict = await verifyRepo({ repo: remote, rev: "main", now: new Date("2026-12-05T08:00:00Z"), ctx });
    expect(verdict.findings.filter((f) => f.change === first.number || f.change === second.number)).toEqual([]);
  });

  it("the renumbered change keeps its old number as an alias: found by it, audited as system:gitops", async () => {
    const { a, b, useKey } = await laptops();
    await useKey(a, "lena.weber@plant.example");
    const mine = await justSubmitted(a, "lena", "Relabel Berlin pick routes");
    await useKey(b, "marcus.reed@plant.example");
    const theirs = await justSubmitted(b, "marcus", "Chicago EDI partner mapping");
    const first = await call(a, "gitops.submit", { changeId: mine });
    const second = await call(b, "gitops.submit", { changeId: theirs });
    expect(second.number).not.toBe(first.number);

    const db = b.services.register.db;
    const moves = db
      .prepare("SELECT actor, before, after FROM audit WHERE action = 'change.number' AND entity_id = ?")
      .all(theirs) as { actor: string; before: string; after: string }[];
    // The first move gives the change its number; the second is the renumbering on push.
    expect(moves).toHaveLength(2);
    expect(JSON.parse(moves[0]?.after ?? "{}")).toMatchObject({ number: first.number });
    const old = JSON.parse(moves[1]?.before ?? "{}").number as string;
    expect(old).toBe(first.number);
    expect(moves[1]).toMatchObject({ actor: "system:gitops" });
    expect(JSON.parse(moves[1]?.after ?? "{}")).toEqual({ number: second.number });

    const byNumber = async (core: Core, q: string) =>
      (await call(core, "change.list", { q, pageSize: 20 })).items.map((c) => [c.id, c.number]);
    // On the renumbered laptop, the old number finds the change under its new number.
    expect(await byNumber(b, old)).toEqual([[theirs, second.number]]);
    expect(await byNumber(b, second.number)).toEqual([[theirs, second.number]]);
    // After sync the old number belongs to the other laptop's change; both are found, the holder first in its own row.
    await call(b, "gitops.sync", {});
    const found = await byNumber(b, old);
    expect(found).toContainEqual([theirs, second.number]);
    expect(found.some(([, n]) => n === old)).toBe(true);
    // The laptop that never renumbered has no alias: its number finds only its own change.
    expect((await byNumber(a, first.number)).map(([, n]) => n)).toEqual([first.number]);
  });

  it("the image a change's approvals cover is kept on the change, on the laptop that submitted it and after sync", async () => {
    const { a, b, useKey } = await laptops();
    await useKey(a, "lena.weber@plant.example");
    const id = await justSubmitted(a, "lena", "Odoo 17 hotfix for Berlin picking");
    const artifact = {
      image: "registry.plant.example/odoo",
      tag: "17.0-20261209",
      digest: `sha256:${"a".repeat(64)}`,
    };
    const { number } = await call(a, "gitops.submit", { changeId: id, artifact });
    expect((await call(a, "change.get", { id })).artifact).toEqual(artifact);
    await call(b, "gitops.sync", {});
    const there = (await call(b, "change.list", { pageSize: 200 })).items.find((c) => c.number === number);
    expect((await call(b, "change.get", { id: there?.id ?? "" })).artifact).toEqual(artifact);
    // The decision view names it too, where people sign.
    expect((await call(b, "approval.preview", { changeId: there?.id ?? "" })).decision.artifact).toEqual(artifact);
  });
});
