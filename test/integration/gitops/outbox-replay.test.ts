import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixedClock } from "../../../electron/core/clock";
import { git } from "../../../electron/core/gitops/git";
import { createOutbox } from "../../../electron/core/gitops/outbox";
import type { OutboxIntent } from "../../../electron/core/gitops/outbox-store";
import type { Signer } from "../../../electron/core/gitops/signing";
import { verifyRepo } from "../../../electron/core/gitops/verify/verify";
import { decisionWrite } from "../../../electron/core/gitops/writes";
import { createWorld, testChange, type World } from "../../helpers/gitops-world";
import { recordDecision, submitChange } from "../../helpers/ledger-writes";
import { tempCore } from "../../helpers/temp";

const clock = fixedClock("2026-12-01T08:00:00Z");
const CHANGE = "CHG-2026-0001";

function approval(signer: Signer, role: string): OutboxIntent {
  const write = decisionWrite(signer, {
    change: CHANGE,
    scope: "deploy",
    decision: "approved",
    meaning: "Approved for production release",
    role,
    signedAt: "2026-12-01T09:00:00+01:00",
    changeDigest: `sha256:${"0".repeat(64)}`,
  });
  return { kind: "approval", changeNumber: CHANGE, subject: "Approve", ...write, signer };
}

describe.each(["ssh", "openpgp"] as const)("outbox replay after another laptop pushed (%s)", (format) => {
  let world: World;
  beforeAll(async () => {
    world = await createWorld(format);
    const { id: _id, ...draft } = testChange(CHANGE);
    await submitChange(await world.clone("seed"), world.signer("lena.weber@plant.example"), draft, { clock });
  }, 60_000);
  afterAll(() => world?.cleanup());

  it("two people's unpushed commits are each re-signed by their own key on top of the remote", async () => {
    const { core, cleanup } = await tempCore({ demo: false });
    try {
      const repo = await world.clone("laptop");
      let n = 0;
      const outbox = createOutbox({
        db: core.services.register.db,
        repo,
        clock,
        newId: () => `01REPLAY${format.toUpperCase().padEnd(7, "0")}${String(++n).padStart(11, "0")}`,
        timer: () => () => undefined,
        resolveSigner: (email) => world.signer(email),
        autoPush: false,
      });
      // Two people approve on this laptop (the identity switcher) while it is offline.
      await git(repo.ctx, repo.dir, ["remote", "set-url", "origin", `${world.dir}/offline.git`]);
      await outbox.enqueue(approval(world.signer("raj.patel@plant.example"), "cab-member"));
      await outbox.enqueue(approval(world.signer("ana.ortiz@plant.example"), "plant-ops-leader"));
      expect((await outbox.push()).error?.reason).toBe("remote-unreachable");
      // Meanwhile Kenji approves on his laptop and pushes first.
      const other = await world.clone("kenji");
      await recordDecision(other, world.signer("kenji.sato@plant.example"), {
        change: CHANGE,
        scope: "deploy",
        decision: "approved",
        meaning: "Approved for production release",
        role: "cab-member",
        signedAt: "2026-12-01T09:00:00+01:00",
      });
      await git(other.ctx, other.dir, ["push", "--quiet", "origin", "HEAD:main"]);

      await git(repo.ctx, repo.dir, ["remote", "set-url", "origin", world.remote]);
      expect(await outbox.push()).toMatchObject({ pushed: 2, error: null });
      const log = await git(world.ctx, world.remote, ["log", "-3", "--format=%ce", "main"]);
      expect(log.stdout.trim().split("\n")).toEqual([
        "ana.ortiz@plant.example",
        "raj.patel@plant.example",
        "kenji.sato@plant.example",
      ]);
      // Verify judges every signature good and its signer the committer.
      const check = await world.clone("check");
      const result = await verifyRepo({ repo: check.dir, now: clock.now(), ctx: world.ctx });
      const own = result.findings.filter((f) =>
        ["unsigned", "bad-signature", "unknown-signer", "signer-mismatch"].includes(f.kind),
      );
      expect(own).toEqual([]);
    } finally {
      cleanup();
    }
  }, 60_000);
});
