import { demoPlantIcs, parsePlantCalendar } from "../../../shared/domain/calendar/index";
import { DEMO_PLANTS } from "../../../shared/domain/demo/roster";
import type { Clock } from "../clock";
import type { Db } from "../register/db";
import { findPlant, insertPlant } from "./plant-store";

/**
 * Seeds the demo plants (Berlin 3x8 five-day, Chicago DuPont, Pune general shift, each with month-end close
 * blackouts and weekend maintenance windows) under their roster ids. Idempotent: existing plants are kept.
 * Call it inside the caller's transaction.
 */
export function seedDemoPlants(db: Db, clock: Clock): { readonly plants: number } {
  let added = 0;
  for (const plant of DEMO_PLANTS) {
    if (findPlant(db, plant.id) || findPlant(db, plant.name)) continue;
    const ics = demoPlantIcs(plant, clock.now().getTime());
    const cal = parsePlantCalendar(ics, { file: `${plant.id}.ics` });
    insertPlant(
      db,
      clock,
      { name: plant.name, timeZone: cal.timeZone, ics, source: "demo", eventCount: cal.series.length },
      plant.id,
    );
    added++;
  }
  return { plants: added };
}
