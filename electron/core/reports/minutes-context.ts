import type { PlantSummary } from "../../../shared/contract/methods/calendar";
import type { Meeting } from "../../../shared/contract/methods/meeting";
import type { ConflictJson } from "../../../shared/domain/calendar/plant-engine";
import type { Door } from "../dispatch";
import type { TryCall } from "../meeting/core-call";

/** What the minutes print beside each item: its plants' zones and the conflicts the plant calendars find now. */
export interface MinutesContext {
  readonly plants: readonly PlantSummary[];
  /** By change id; absent when the change has no window or its check could not run. */
  readonly conflicts: ReadonlyMap<string, readonly ConflictJson[]>;
}

/** Reads the plants and checks each item's window against the plant calendars, through the core's own methods. */
export async function minutesContext(attempt: TryCall, door: Door, meeting: Meeting): Promise<MinutesContext> {
  const plants = await attempt("plant.list", {}, door);
  const conflicts = new Map<string, readonly ConflictJson[]>();
  for (const item of meeting.items) {
    const c = item.current ?? item.frozen;
    if (!c.window) continue;
    const checked = await attempt(
      "calendar.check",
      {
        id: c.id,
        plants: [...c.plants],
        area: c.area,
        environment: c.environment,
        start: c.window.start,
        end: c.window.end,
      },
      door,
    );
    if (checked.ok) conflicts.set(c.id, checked.value.conflicts);
  }
  return { plants: plants.ok ? plants.value : [], conflicts };
}
