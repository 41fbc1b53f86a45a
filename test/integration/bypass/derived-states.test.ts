import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Core } from "../../../electron/core/core";
import type { ChangeDetail } from "../../../shared/contract/index";
import { type Doors, openDoors, refusedAtEveryDoor } from "../../helpers/doors";
import { tempCore } from "../../helpers/temp";
import { actAs } from "../approvals/support";
import { call, changeIn } from "../register/register-fixtures";

// The bypass matrix for states that follow from evidence: every demo person, through every page door, asks for
// each derived move on a change that is one step before it; each is refused and nothing changes.
const PEOPLE = [
  "lena.weber@plant.example",
  "tom.fischer@plant.example",
  "sofia.rossi@plant.example",
  "ana.ortiz@plant.example",
  "raj.patel@plant.example",
];

let core: Core;
let cleanup: () => void;
let doors: Doors;
beforeAll(async () => {
  const t = await tempCore({});
  ({ core, cleanup } = t);
  await call(core, "gitops.createDemo", {});
  doors = await openDoors(core, t.dir);
});
afterAll(async () => {
  await doors.close();
  cleanup();
});

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
    for (const { from } of cases) if (!ready.has(from)) ready.set(from, await changeIn(core, "normal", from));
  });
  for (const { from, to } of cases) {
    it(`${from} -> ${to}: refused for every person at every door`, async () => {
      const change = ready.get(from) ?? expect.fail(`no ${from} change`);
      for (const email of PEOPLE) {
        await actAs(core, email);
        await refusedAtEveryDoor(
          core,
          doors,
          "change.transition",
          { id: change.id, to, reason: "The CAB said yes in the corridor" },
          { code: "forbidden", message: /only through/ },
        );
      }
    });
  }
});
