import type { PlantDetail } from "../../../shared/contract/methods/calendar";
import { nameKey, type PlantWindowsInput, parsePlantCalendar } from "../../../shared/domain/calendar/index";
import type { Db } from "../register/db";
import { knownPlants } from "./known-plants";

/**
 * Each stored plant's calendar with the Argo CD selectors policy.yaml gives it (`plants[].argocd`); a plant the
 * policy names none for gets none, so its windows are left out (and said so) instead of holding every application.
 */
export function plantWindowInputs(
  db: Db,
  gitopsDir: string | null,
  plants: readonly PlantDetail[],
): PlantWindowsInput[] {
  const known = knownPlants(db, gitopsDir);
  return plants.map((p) => ({
    plant: p.id,
    calendar: parsePlantCalendar(p.ics, { file: `${p.id}.ics`, timeZone: p.timeZone }),
    scope: known.plants.find((k) => k.id === p.id)?.argocd ?? null,
  }));
}

/**
 * The name keys of the plants whose maintenance windows Argo CD enforces as allow windows: the policy gives them
 * selectors and their calendar has MAINTENANCE events. Argo syncs their applications only inside one, so a change
 * outside maintenance there could never deploy.
 */
export function allowEnforcedPlants(db: Db, gitopsDir: string | null, plants: readonly PlantDetail[]): Set<string> {
  const out = new Set<string>();
  for (const input of plantWindowInputs(db, gitopsDir, plants)) {
    if (input.scope === null || input.scope.maintenance === "advisory") continue;
    if (input.calendar.series.some((s) => s.category === "MAINTENANCE")) {
      const name = plants.find((p) => p.id === input.plant)?.name;
      if (name) out.add(nameKey(name));
    }
  }
  return out;
}
