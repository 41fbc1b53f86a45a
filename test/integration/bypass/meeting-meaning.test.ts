import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Core } from "../../../electron/core/core";
import { type Doors, doorsForFile, refusedAtEveryDoor } from "../../helpers/doors";
import { actAs, call, changeAwaitingApproval, who } from "../approvals/support";

// Issue #19 item 5: the room words what a signature means (the default is pre-filled on the screen). The core
// records the meaning the room typed, and bounds it for every door: a blank or overlong meaning signs nothing.
// The meeting also tells the page the core's time, so item timers count on the core's clock, not the browser's.
const SOFIA = who("sofia").email;
const CHAIR = who("olivia").email;
const MEANING = "Approved at the Berlin CAB on condition the hall 3 racking is delivered first";

let core: Core;
let dir: string;
let doors: Doors;
doorsForFile(
  { demo: false },
  (live) => {
    ({ core, dir, doors } = live);
  },
  { timeout: 60_000 },
);

describe("the meaning signed in a CAB meeting", () => {
  it("a blank or overlong meaning is refused at every door with nothing changed; an edited one is what is signed", async () => {
    const changeId = await changeAwaitingApproval(core);
    await actAs(core, CHAIR);
    const meeting = await call(core, "meeting.start", { attendees: [CHAIR, SOFIA] });
    // The page counts timers from this: the core's fixed test clock, not the machine's.
    expect(meeting.readAt).toBe("2026-12-01T08:00:00.000Z");
    const keyFile = join(dir, "keys", "demo", `${SOFIA}.key`);
    const decide = { id: meeting.id, changeId, decision: "approved" as const, keyFile };

    await refusedAtEveryDoor(core, doors, "meeting.decide", { ...decide, meaning: "   " }, { code: "invalid-input" });
    await refusedAtEveryDoor(
      core,
      doors,
      "meeting.decide",
      { ...decide, meaning: "x".repeat(501) },
      { code: "invalid-input" },
    );

    const after = await call(core, "meeting.decide", { ...decide, meaning: MEANING });
    const signatures = after.items.find((i) => i.changeId === changeId)?.decisions.at(-1)?.signatures ?? [];
    expect(signatures.map((s) => s.meaning)).toEqual([MEANING]);
    const preview = await call(core, "approval.preview", { changeId });
    expect(preview.approvals.map((a) => [a.signature.email, a.signature.meaning])).toEqual([[SOFIA, MEANING]]);
  });
});
