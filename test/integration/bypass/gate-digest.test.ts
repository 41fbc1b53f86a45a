import { describe, expect, it } from "vitest";
import type { Core } from "../../../electron/core/core";
import { type Doors, doorsForFile, refusedAtEveryDoor } from "../../helpers/doors";
import { actAs, call, changeAwaitingApproval, who } from "../approvals/support";

// Issue #15 item 7: a signature covers the gate records on the signer's screen. A gate result recorded while the
// approval dialog was open is refused at every door (the signer reviews the gates again), and nothing is recorded;
// a stale approval stays stale whichever door reads it.
const ANA = who("ana").email;
const DANA = who("dana").email; // a dba records gates (the implementer records none bound for production)

let core: Core;
let doors: Doors;
doorsForFile({ demo: false }, (live) => {
  ({ core, doors } = live);
});

describe("signing over gate records the signer did not see", () => {
  it("is refused at every door, with nothing changed", async () => {
    const id = await changeAwaitingApproval(core);
    await actAs(core, ANA);
    const seen = await call(core, "approval.preview", { changeId: id });
    await actAs(core, DANA);
    await call(core, "gate.record", { changeId: id, stage: "preproduction", gate: "interface-health", result: "pass" });
    await actAs(core, ANA);
    await refusedAtEveryDoor(
      core,
      doors,
      "approval.decide",
      {
        changeId: id,
        scope: "deploy",
        decision: "approved",
        meaning: "Approved for production release",
        expectedDigest: seen.digest,
        expectedGatesDigest: seen.gatesDigest,
      },
      { code: "conflict", message: /gate result was recorded after you opened this change/ },
    );
    // Each door sees the same new gate digest, and no approval.
    for (const door of [doors.ipc, doors.web]) {
      const preview = await door("approval.preview", { changeId: id });
      expect(preview).toMatchObject({ ok: true, value: { approvals: [] } });
      if (preview.ok) expect((preview.value as { gatesDigest: string }).gatesDigest).not.toBe(seen.gatesDigest);
    }
  });
});
