import { AppError } from "../../../shared/contract/index";
import { nameKey, type PlannedChange, type PlantCalendar, plantName } from "../../../shared/domain/calendar/index";
import { type KnownPlant, parsePolicy, unknownPlantMessage } from "../../../shared/domain/policy/index";
import type { CliIo } from "../io";
import { readInputFile } from "./calendar-input";

/**
 * Maps the plants a check names (--plant and each change in --changes) to the calendars given, by one mapping: the
 * plants policy.yaml lists (--policy) when given, else the calendars themselves (id = file name, name = X-WR-CALNAME).
 * An unknown plant, or a known one without a calendar here, is refused with the list of known plants: before, such a
 * change was silently left out of every shift check.
 */
export function plantMapping(
  io: CliIo,
  calendars: readonly PlantCalendar[],
  policyFile: string | undefined,
): (ref: string, where: string) => string {
  const lanes = calendars.map((cal) => ({ id: fileStem(cal.file), name: plantName(cal) }));
  const listed = policyFile === undefined ? undefined : parsePolicy(readInputFile(io, policyFile), policyFile).plants;
  const known: readonly KnownPlant[] = listed ?? lanes;
  const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
  return (ref, where) => {
    const plant = known.find((k) => k.id === ref || same(k.name, ref));
    if (!plant) throw new AppError("invalid-input", `${where}: ${unknownPlantMessage(ref, known)}`, { plant: ref });
    const lane = lanes.find((l) => l.id === plant.id || same(l.name, plant.name));
    if (!lane)
      throw new AppError(
        "invalid-input",
        `${where}: plant '${plant.id}' has no calendar among --ics; add ${plant.id}.ics so its shifts are checked.`,
        { plant: plant.id },
      );
    return lane.name;
  };
}

/** The changes with their plants mapped to calendar names (every plant checked; none skipped). */
export function mapChangePlants(
  changes: readonly PlannedChange[],
  toLane: (ref: string, where: string) => string,
): PlannedChange[] {
  return changes.map((c) => ({ ...c, plants: c.plants.map((p) => toLane(p, `change ${c.id}`)) }));
}

function fileStem(file: string): string {
  return (file.split(/[\\/]/).pop() ?? file).replace(/\.ics$/i, "");
}

/**
 * The calendars (by name key) of the plants whose maintenance Argo CD enforces as allow windows, per --policy
 * (plants[].argocd, maintenance not advisory): for them `calendar check` counts outside-maintenance as blocking.
 */
export function allowEnforcedLanes(
  io: CliIo,
  calendars: readonly PlantCalendar[],
  policyFile: string | undefined,
): ReadonlySet<string> {
  const out = new Set<string>();
  if (policyFile === undefined) return out;
  const listed = parsePolicy(readInputFile(io, policyFile), policyFile).plants ?? [];
  for (const cal of calendars) {
    const plant = listed.find(
      (p) => p.id === fileStem(cal.file) || p.name.toLowerCase() === plantName(cal).toLowerCase(),
    );
    if (!plant?.argocd || plant.argocd.maintenance === "advisory") continue;
    if (cal.series.some((s) => s.category === "MAINTENANCE")) out.add(nameKey(plantName(cal)));
  }
  return out;
}
