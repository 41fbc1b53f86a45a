import { beforeAll, describe, expect, it } from "vitest";
import type { ChangeDetail } from "../../../shared/contract/index";
import { bypassWorld, DEMO_ACTORS } from "../../helpers/bypass-world";
import { changeIn } from "../register/register-fixtures";

// The bypass matrix for states that follow from evidence: every demo person, through every page door, asks for
// each derived move on a change that is one step before it; each is refused and nothing changes.

const world = bypassWorld();

describe("no door sets a state that follows from evidence", () => {
  const cases = [
    { from: "awaiting-approval", to: "approved" },
    { from: "awaiting-approval", to: "rejected" },
    { from: "scheduled", to: "implementing" },
    { from: "implementing", to: "validating" },
    { from: "validating", to: "closed" },
  ] as const;
  // Made before anyone's key is selected: the fixture's steps are a script's (direct door, no person), while the
  // people below each hold only their own roles.
  const ready = new Map<string, ChangeDetail>();
  beforeAll(async () => {
    for (const { from } of cases) if (!ready.has(from)) ready.set(from, await changeIn(world.core, "normal", from));
  });
  for (const { from, to } of cases) {
    it(`${from} -> ${to}: refused for every person at every door`, async () => {
      const change = ready.get(from) ?? expect.fail(`no ${from} change`);
      for (const email of DEMO_ACTORS) {
        await world.as(email);
        await world.refused(
          "change.transition",
          { id: change.id, to, reason: "The CAB said yes in the corridor" },
          { code: "forbidden", message: /only through/ },
        );
      }
    });
  }
});
