import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Core } from "../../../electron/core/core";
import { git, isolatedGitContext } from "../../../electron/core/gitops/git";
import { verifyRepo } from "../../../electron/core/gitops/verify/verify";
import { changeWriters, demoLaptopsEachTest, justSubmitted, type Laptops } from "../../helpers/laptops";
import { call, SCANNER_EMERGENCY } from "../approvals/support";

// A change number given out once is never given out again on the same laptop, whether or not its commit exists yet.
// Found by the three-laptop race (seed 950423436): an emergency logged on laptop A took CHG-2026-0061 while its commit
// could not be made yet; the next submission on A read the working copy, found no folder 0061 and took 0061 as well,
// so its commit rewrote the emergency's change.yaml and A's outbox could never push again. The same hole was in the
// push's renumbering: a change renumbered on replay could take the number of this laptop's next, unpushed change.

const ctx = isolatedGitContext();
const eachTest = demoLaptopsEachTest();

async function laptops(): Promise<{ a: Core; b: Core; remote: string; useKey: Laptops["holdKey"] }> {
  const world = await eachTest(2);
  const [a, b] = world.cores as [Core, Core];
  return { a, b, remote: world.remote, useKey: world.holdKey };
}

/** A change just submitted in the register (no risk class, no implementer), sent to the repository. */
async function submitted(core: Core, requester: string, title: string) {
  const id = await justSubmitted(core, requester, title);
  return { id, ...(await call(core, "gitops.submit", { changeId: id })) };
}

const emergency = SCANNER_EMERGENCY;

const showOnRemote = (remote: string, number: string) =>
  git(ctx, remote, ["show", `main:changes/${number}/change.yaml`]).then((o) => o.stdout);
const numberOf = (core: Core, id: string) =>
  (core.services.register.db.prepare("SELECT number FROM changes WHERE id = ?").get(id) as { number: string | null })
    .number;
const outboxStates = (core: Core) =>
  (core.services.register.db.prepare("SELECT state FROM gitops_outbox").all() as { state: string }[]).map(
    (r) => r.state,
  );

describe("a change number is given out once per laptop", () => {
  it("an emergency whose commit waits keeps its number: the next submission takes another, both reach the remote", async () => {
    const { a, b, remote, useKey } = await laptops();
    const work = a.services.gitopsDir ?? "";
    // A stray file in the working copy: no commit can be made until it is gone, so the intents wait.
    writeFileSync(join(work, "stray-notes.txt"), "left by a hurried implementer\n");
    await useKey(a, "raj.patel@plant.example");
    const logged = await call(a, "exception.log", emergency);
    expect(logged.commit).toBeNull();
    await useKey(a, "lena.weber@plant.example");
    const change = await submitted(a, "lena", "Relabel Berlin pick routes");
    expect(change.pushed).toBe(false);
    expect(change.number).not.toBe(logged.change.number);
    expect(numberOf(a, change.id)).toBe(change.number);

    rmSync(join(work, "stray-notes.txt"));
    expect(await call(a, "gitops.push", {})).toMatchObject({ error: null });
    expect(outboxStates(a).every((s) => s === "pushed")).toBe(true);
    // Each change.yaml written by one committer only, each holding its own change.
    for (const [path, set] of await changeWriters(remote))
      expect([path, [...set]]).toEqual([path, [...set].slice(0, 1)]);
    expect(await showOnRemote(remote, logged.change.number ?? "")).toContain("Scanner lot-number fix");
    expect(await showOnRemote(remote, change.number)).toContain("Relabel Berlin pick routes");
    const verdict = await verifyRepo({ repo: remote, rev: "main", now: new Date("2026-12-05T08:00:00Z"), ctx });
    expect(verdict.findings.filter((f) => f.kind === "foreign-write")).toEqual([]);

    // The other laptop sees both changes under those numbers.
    await call(b, "gitops.sync", {});
    const list = await call(b, "change.list", { pageSize: 200 });
    const titleOf = (n: string | null) => list.items.find((c) => c.number === n)?.title;
    expect(titleOf(logged.change.number)).toBe("Scanner lot-number fix");
    expect(titleOf(change.number)).toBe("Relabel Berlin pick routes");
  });

  it("a change renumbered on push never takes the number of this laptop's next unpushed change", async () => {
    const { a, b, remote, useKey } = await laptops();
    const work = a.services.gitopsDir ?? "";
    const origin = (await git(ctx, work, ["remote", "get-url", "origin"])).stdout.trim();
    // Laptop A works offline: two submissions committed, neither pushed.
    await git(ctx, work, ["remote", "set-url", "origin", join(work, "..", "nowhere.git")]);
    await useKey(a, "lena.weber@plant.example");
    const first = await submitted(a, "lena", "Relabel Berlin pick routes");
    await useKey(a, "priya.nair@plant.example");
    const second = await submitted(a, "priya", "Pune quality checkpoint on receipt");
    expect([first.pushed, second.pushed]).toEqual([false, false]);
    // Meanwhile laptop B pushes a submission that takes A's first number.
    await useKey(b, "marcus.reed@plant.example");
    const theirs = await submitted(b, "marcus", "Chicago EDI partner mapping");
    expect(theirs.number).toBe(first.number);

    await git(ctx, work, ["remote", "set-url", "origin", origin]);
    expect(await call(a, "gitops.push", {})).toMatchObject({ error: null });
    const renumbered = numberOf(a, first.id);
    expect(renumbered).not.toBe(first.number);
    expect(renumbered).not.toBe(second.number);
    expect(numberOf(a, second.id)).toBe(second.number);
    for (const [path, set] of await changeWriters(remote))
      expect([path, [...set]]).toEqual([path, [...set].slice(0, 1)]);
    expect(await showOnRemote(remote, theirs.number)).toContain("Chicago EDI partner mapping");
    expect(await showOnRemote(remote, renumbered ?? "")).toContain("Relabel Berlin pick routes");
    expect(await showOnRemote(remote, second.number)).toContain("Pune quality checkpoint on receipt");
  });
});
