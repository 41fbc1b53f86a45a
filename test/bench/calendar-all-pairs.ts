import {
  type CalendarInstance,
  type Conflict,
  type ConflictKind,
  compareConflicts,
  nameKey,
  type PlannedChange,
  type ProposedWindow,
} from "../../shared/domain/calendar/index";

// What makes a window not ok (outside-maintenance only where a plant enforces its allow windows), as checkWindow judges.
const BLOCKING_KINDS: ReadonlySet<ConflictKind> = new Set(["blackout", "shift-change", "collision", "double-booked"]);

/** One plant's instances as the naive checker sees them: a plain list. */
export interface NaivePlant {
  readonly name: string;
  readonly instances: readonly CalendarInstance[];
}

/**
 * The all-pairs check, written straight from calendars.md with no index: every window against every instance
 * and every other change. The benchmark's baseline and the unit tests' oracle for the indexed engine.
 */
export function allPairsCheck(
  plants: readonly NaivePlant[],
  changes: readonly PlannedChange[],
  w: ProposedWindow,
  bufferMs: number,
): { ok: boolean; conflicts: Conflict[] } {
  const out: Conflict[] = [];
  const keys = [...new Set(w.plants.map(nameKey))];
  for (const key of keys) {
    const plant = plants.find((p) => nameKey(p.name) === key);
    if (!plant) throw new Error(`no plant ${key}`);
    let inMaintenance = false;
    for (const i of plant.instances) {
      if (
        i.category === "BLACKOUT" &&
        i.start < w.end &&
        (i.end > w.start || (i.start === i.end && i.start >= w.start))
      ) {
        out.push({ kind: "blackout", plant: plant.name, with: i.uid, start: i.start, end: i.end });
      }
      if (i.category === "SHIFT") {
        const lo = w.start - bufferMs;
        const hi = w.end + bufferMs;
        if ((i.start >= lo && i.start < hi) || (i.end >= lo && i.end < hi)) {
          out.push({ kind: "shift-change", plant: plant.name, with: i.uid, start: i.start, end: i.end });
        }
      }
      if (i.category === "MAINTENANCE" && i.start <= w.start && i.end >= w.end) inMaintenance = true;
    }
    if (!inMaintenance)
      out.push({ kind: "outside-maintenance", plant: plant.name, with: null, start: w.start, end: w.end });
    if (w.area || w.environment) {
      for (const c of changes) {
        if (c.id === w.id || !c.plants.some((p) => nameKey(p) === key)) continue;
        const overlap = c.start < w.end && (c.end > w.start || (c.start === c.end && c.start >= w.start));
        const shares =
          (!!w.area && !!c.area && nameKey(w.area) === nameKey(c.area)) ||
          (!!w.environment && !!c.environment && nameKey(w.environment) === nameKey(c.environment));
        if (overlap && shares)
          out.push({ kind: "collision", plant: plant.name, with: c.id, start: c.start, end: c.end });
      }
    }
  }
  if (w.implementer) {
    for (const c of changes) {
      if (c.id === w.id || !c.implementer || nameKey(c.implementer) !== nameKey(w.implementer)) continue;
      if (c.start < w.end && (c.end > w.start || (c.start === c.end && c.start >= w.start))) {
        out.push({ kind: "double-booked", plant: null, with: c.id, start: c.start, end: c.end });
      }
    }
  }
  out.sort(compareConflicts);
  return { ok: !out.some((c) => BLOCKING_KINDS.has(c.kind)), conflicts: out };
}
