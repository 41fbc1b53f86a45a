import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Core } from "../../../electron/core/core";
import { git, isolatedGitContext } from "../../../electron/core/gitops/git";
import { outboxOf } from "../../../electron/core/gitops/outbox-registry";
import { gateRecordPath } from "../../../shared/domain/policy/index";
import { demoLaptopsEachTest } from "../../helpers/laptops";
import { call, who } from "../approvals/support";
import { GATE_RECORDER } from "../register/register-fixtures";

// Found by the three-laptop race (#17): a laptop where two people signed while another laptop pushed first could
// not push at all. The outbox looked the second signer's key up in the data folder only (the key each person chose
// can live anywhere), and that path cherry-picked without renumbering, so a submission whose number was taken
// would have collided. Now every commit is signed again with its own committer's key, and the change renumbered.

const ctx = isolatedGitContext();
const laptops = demoLaptopsEachTest();

async function submitted(core: Core, requester: string, title: string): Promise<string> {
  const created = await call(core, "change.create", {
    title,
    type: "normal",
    area: "warehouse",
    plants: ["berlin"],
    environment: "production",
    requester: who(requester),
    implementer: who("tom"),
    window: { start: "2026-12-09T21:00:00Z", end: "2026-12-09T23:00:00Z" },
    dbMigration: false,
    rollbackPlan: "Revert the release commit.",
  });
  await call(core, "change.transition", { id: created.id, to: "submitted" });
  await call(core, "gitops.submit", { changeId: created.id });
  return created.id;
}

describe("a laptop where two people signed, after another laptop pushed first", () => {
  it("pushes: each commit signed again by its own signer, the submission renumbered, nothing of the other laptop rewritten", async () => {
    const world = await laptops(2);
    const { cores, remote, holdKey } = world;
    const [a, b] = cores as [Core, Core];
    const bRepo = outboxOf(b.services)?.repo ?? expect.fail("B has no working copy");
    // B is offline: Lena submits and Ana records a pre-production gate; both commits wait in B's outbox.
    await git(ctx, bRepo.dir, ["remote", "set-url", "origin", `${remote}-unreachable`]);
    await holdKey(b, who("lena").email);
    const mine = await submitted(b, "lena", "Relabel Berlin pick routes");
    await holdKey(b, GATE_RECORDER);
    const gate = await call(b, "gate.record", {
      changeId: mine,
      stage: "preproduction",
      gate: "mrp-run",
      result: "pass",
    });
    const taken = (await call(b, "change.get", { id: mine })).number;
    // Meanwhile A's requester takes the same number.
    await holdKey(a, who("lena").email);
    const theirs = await submitted(a, "lena", "Berlin EDI partner mapping");
    expect((await call(a, "change.get", { id: theirs })).number).toBe(taken);
    const remoteBefore = (await git(ctx, remote, ["show", `main:changes/${taken}/change.yaml`])).stdout;

    await git(ctx, bRepo.dir, ["remote", "set-url", "origin", remote]);
    const round = await call(b, "gitops.push", {});
    expect(round.error).toBeNull();
    expect(round.pending).toBe(0);
    const moved = (await call(b, "change.get", { id: mine })).number ?? "";
    expect(moved).not.toBe(taken);

    // A's change is untouched; B's change and its gate moved together, each commit signed by its own person.
    expect((await git(ctx, remote, ["show", `main:changes/${taken}/change.yaml`])).stdout).toBe(remoteBefore);
    expect((await git(ctx, remote, ["show", `main:changes/${moved}/change.yaml`])).stdout).toContain(
      "Relabel Berlin pick routes",
    );
    // git's own verdict, against the repository's allowed signers.
    const signers = `gpg.ssh.allowedSignersFile=${join(bRepo.dir, ".shiftgate", "allowed_signers")}`;
    const log = await git(ctx, remote, ["-c", signers, "log", "--format=%G? %ce", "-2", "main"]);
    const signed = log.stdout.trim().split("\n");
    expect(signed.sort()).toEqual([`G ${GATE_RECORDER}`, `G ${who("lena").email}`].sort());
    const files = (await git(ctx, remote, ["ls-tree", "-r", "--name-only", "main", `changes/${moved}/gates`])).stdout;
    expect(files.trim().split("\n")).toEqual([gateRecordPath(moved, "preproduction", "mrp-run", null, gate.id)]);
    // After sync A shows B's change under its new number with the gate that travelled with it.
    await call(a, "gitops.sync", {});
    const there = (await call(a, "change.list", { pageSize: 200 })).items.find((c) => c.number === moved);
    expect(there?.title).toBe("Relabel Berlin pick routes");
    const gates = (await call(a, "change.get", { id: there?.id ?? "" })).gates;
    expect(gates.map((g) => [g.stage, g.gate, g.result])).toContainEqual(["preproduction", "mrp-run", "pass"]);
  });
});
