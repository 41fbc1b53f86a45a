import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Core } from "../../../electron/core/core";
import { outboxOf } from "../../../electron/core/gitops/outbox-registry";
import { type DoorCall, type Doors, openDoors } from "../../helpers/doors";
import { farFromQuorum } from "../../helpers/far-from-quorum";
import { changeQuorum } from "../../helpers/ledger-reads";
import { tempCore } from "../../helpers/temp";
import { assessDeclared, CHANGE_MANAGER, ok } from "../register/register-fixtures";
import { actAs, call, decideAs, who } from "./support";

// Issue #13 (left open by the last session): a change sent back for rework and asked for approval again with the
// same change.yaml has the same digest, so the decisions already signed for it still decide it. Before, it showed
// awaiting-approval until the next Sync or decision; now the state its signed decisions give it holds at once, at
// every door.
const LENA = who("lena").email; // the requester
const ANA = who("ana").email; // Berlin's only plant-ops-leader: her rejection defeats the quorum
const DOORS: readonly (readonly [string, () => DoorCall])[] = [
  ["direct", () => (m, i) => core.call(m, i)],
  ["ipc", () => doors.ipc],
  ["web", () => doors.web],
];

let core: Core;
let cleanup: () => void;
let doors: Doors;
beforeAll(async () => {
  let dir: string;
  ({ core, dir, cleanup } = await tempCore({}));
  await call(core, "gitops.createDemo", {});
  doors = await openDoors(core, dir);
}, 60_000);
afterAll(async () => {
  await doors.close();
  cleanup();
});

const status = (id: string) =>
  core.services.register.db.prepare("SELECT status FROM changes WHERE id = ?").pluck().get(id) as string;
const lastTransition = (id: string) =>
  core.services.register.db
    .prepare(
      "SELECT actor, reason FROM audit WHERE entity_id = ? AND action = 'change.transition' ORDER BY seq DESC LIMIT 1",
    )
    .get(id) as { actor: string; reason: string };
const ledger = (number: string) =>
  changeQuorum(outboxOf(core.services)?.repo ?? expect.fail("no working copy"), number);

// Back to draft, then submitted and assessed again with the answers it had: change.yaml is unchanged.
async function rework(changeId: string): Promise<void> {
  await actAs(core, LENA);
  await call(core, "change.transition", { id: changeId, to: "draft", reason: "Reworked with the Berlin shift leads" });
  await call(core, "change.transition", { id: changeId, to: "submitted" });
  await actAs(core, CHANGE_MANAGER);
  await assessDeclared(core, changeId, {
    "production-hours": false,
    "tested-preproduction": false,
    "rollback-rehearsed": false,
    integrations: ["mes", "wms", "edi"],
    "close-period": false,
  });
  await call(core, "change.transition", { id: changeId, to: "assessed" });
  await actAs(core, LENA);
}

describe("asking for approval again with an unchanged change.yaml", () => {
  for (const [name, door] of DOORS) {
    it(`${name}: a change rejected before is rejected again at once, as system:gitops, the rejection named`, async () => {
      const { changeId, number } = await farFromQuorum(core);
      await decideAs(core, ANA, changeId, "rejected");
      expect(status(changeId)).toBe("rejected");
      await rework(changeId);

      const asked = ok<{ status: string }>(
        await door()("change.transition", { id: changeId, to: "awaiting-approval" }),
      );
      expect(asked.status).toBe("rejected");
      expect(status(changeId)).toBe("rejected");
      const moved = lastTransition(changeId);
      expect(moved.actor).toBe("system:gitops");
      expect(moved.reason).toMatch(/^Quorum defeated by a signed rejection: /);
      expect(moved.reason).toContain(ANA);
      // The register says what the ledger says.
      expect(ledger(number)).toMatchObject({ defeated: true });
    });
  }

  it("a change withdrawn after approval and asked again unchanged is approved at once by its signatures", async () => {
    const { changeId, number } = await farFromQuorum(core);
    for (const email of [who("raj").email, who("kenji").email, ANA]) await decideAs(core, email, changeId);
    expect(status(changeId)).toBe("approved");
    await rework(changeId);

    const asked = ok<{ status: string }>(
      await doors.web("change.transition", { id: changeId, to: "awaiting-approval" }),
    );
    expect(asked.status).toBe("approved");
    expect(lastTransition(changeId)).toMatchObject({ actor: "system:gitops" });
    expect(lastTransition(changeId).reason).toMatch(/^Quorum met by the repository's approvals: /);
    expect(ledger(number)).toMatchObject({ met: true });
  });

  it("a change whose decisions do not decide it stays awaiting approval", async () => {
    const { changeId } = await farFromQuorum(core);
    await decideAs(core, who("raj").email, changeId, "rejected");
    expect(status(changeId)).toBe("awaiting-approval");
    await rework(changeId);
    const asked = ok<{ status: string }>(
      await doors.ipc("change.transition", { id: changeId, to: "awaiting-approval" }),
    );
    expect(asked.status).toBe("awaiting-approval");
    expect(lastTransition(changeId).actor).toBe(LENA);
  });
});
