import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Core } from "../../../electron/core/core";
import type { PlantDetail } from "../../../shared/contract/methods/calendar";
import { type Doors, openDoors, refusedAtEveryDoor } from "../../helpers/doors";
import { googleExportIcs } from "../../helpers/google-export";
import { tempCore } from "../../helpers/temp";
import { actAs } from "../approvals/support";
import { call } from "../register/register-fixtures";

// A calendar whose events carry no category would replace Berlin's blackouts with nothing. Even the policy-admin,
// who may replace it, is refused at every door until a mapping says what the events are; Berlin stays as it was.
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

describe("importing a calendar without categories", () => {
  it("is refused at every door without a mapping, even for the policy-admin; with one it applies", async () => {
    await actAs(core, "olivia.brown@plant.example");
    const before = await call<PlantDetail>(core, "plant.get", { plant: "berlin" });
    const ics = googleExportIcs("Berlin Assembly", "Europe/Berlin");
    await refusedAtEveryDoor(
      core,
      doors,
      "plant.import",
      { ics, fileName: "berlin.ics", replace: true },
      {
        code: "calendar-invalid",
        message: /^None of its 3 events has a category .*Map them by summary, category or colour/,
      },
    );
    expect(await call<PlantDetail>(core, "plant.get", { plant: "berlin" })).toEqual(before);
    const mapping = [{ by: "summary", match: "Christmas", as: "BLACKOUT" }];
    const saved = await call<PlantDetail>(core, "plant.import", {
      ics,
      fileName: "berlin.ics",
      replace: true,
      mapping,
    });
    expect(saved).toMatchObject({ id: "berlin" });
  });
});
