import { describe, expect, it } from "vitest";
import type { AuditEvent, ListPage } from "../../../shared/contract/index";
import type { PlantDetail } from "../../../shared/contract/methods/calendar";
import { bypassWorld } from "../../helpers/bypass-world";
import { singleBlackoutIcs } from "../../helpers/calendar-replace";
import { call } from "../register/register-fixtures";

// Issue #13 item 8: only a policy-admin or the plant's own plant-ops-leader replaces its calendar (importing over
// it, applying a shift preset to it, removing it). Everyone else is refused at every door and nothing changes.
const BERLIN = singleBlackoutIcs("Berlin Assembly", "Europe/Berlin");
const CHICAGO = singleBlackoutIcs("Chicago Packaging", "America/Chicago");
const NOT_ALLOWED = [
  "tom.fischer@plant.example", // release-manager: the person seen doing it
  "lena.weber@plant.example", // developer at Berlin: a plant in her list is not a role
  "sofia.rossi@plant.example", // change-manager
  "raj.patel@plant.example", // it-manager
  "marcus.reed@plant.example", // plant-ops-leader of Chicago, not Berlin
];
const WHO =
  /Only a policy-admin or a plant-ops-leader of Berlin Assembly may replace its calendar \(ana\.ortiz@plant\.example, olivia\.brown@plant\.example\)/;

const world = bypassWorld();

async function lastPlantRow(): Promise<AuditEvent | undefined> {
  const page = await call<ListPage<AuditEvent>>(world.core, "audit.list", { entity: "plant", pageSize: 500 });
  return page.items.at(-1);
}

describe("replacing a plant's calendar", () => {
  it("is refused for every other role at every door, with Berlin's calendar unchanged", async () => {
    const before = await call<PlantDetail>(world.core, "plant.get", { plant: "berlin" });
    for (const email of NOT_ALLOWED) {
      await world.as(email);
      const refusal = { code: "forbidden", message: WHO };
      await world.refused("plant.import", { ics: BERLIN, fileName: "b.ics", replace: true }, refusal);
      await world.refused(
        "plant.applyPreset",
        { preset: "4-on-4-off", plant: "berlin", anchor: "2026-12-07" },
        refusal,
      );
      await world.refused("plant.remove", { plant: "berlin", reason: "closing" }, refusal);
    }
    expect(await call<PlantDetail>(world.core, "plant.get", { plant: "berlin" })).toEqual(before);
  });

  it("the preview says who may, without changing anything", async () => {
    await world.as("tom.fischer@plant.example");
    const preview = await call<{ allowed: boolean; refusal: string | null; plant: string | null }>(
      world.core,
      "plant.previewImport",
      { ics: BERLIN },
    );
    expect(preview).toMatchObject({ plant: "berlin", allowed: false });
    expect(preview.refusal).toMatch(WHO);
  });

  it("Berlin's plant-ops-leader may not replace Chicago's calendar", async () => {
    await world.as("ana.ortiz@plant.example");
    await world.refused(
      "plant.import",
      { ics: CHICAGO, replace: true },
      { code: "forbidden", message: /plant-ops-leader of Chicago Packaging .*ana\.ortiz@plant\.example is neither/ },
    );
  });

  it("Berlin's plant-ops-leader replaces Berlin's calendar, audited as her with the diff", async () => {
    await world.as("ana.ortiz@plant.example");
    const saved = await call<{ id: string; eventCount: number }>(world.core, "plant.import", {
      ics: BERLIN,
      fileName: "berlin.ics",
      replace: true,
    });
    expect(saved).toMatchObject({ id: "berlin", eventCount: 1 });
    const row = await lastPlantRow();
    expect(row).toMatchObject({
      action: "plant.replace-calendar",
      entityId: "berlin",
      actor: "ana.ortiz@plant.example",
      after: { publication: "pending", diff: { shift: { instances: { after: 0 } } } },
    });
    expect(row?.reason).toMatch(/^shift: 0 added, \d+ removed/);
  });

  it("a policy-admin may replace any plant's calendar", async () => {
    await world.as("olivia.brown@plant.example");
    await call(world.core, "plant.import", { ics: CHICAGO, replace: true });
    expect(await lastPlantRow()).toMatchObject({ entityId: "chicago", actor: "olivia.brown@plant.example" });
  });
});
