import { AppError } from "../../errors/app-error";
import { buildIntervalIndex, findContaining, type IntervalIndex, lowerBound } from "./interval-index";
import type { CalendarInstance } from "./types";
import type { ZoneRules } from "./zone";

export type ConflictKind = "blackout" | "shift-change" | "outside-maintenance" | "collision" | "double-booked";

/** One reason a window is (or may be) a bad idea; times are instants. */
export interface Conflict {
  readonly kind: ConflictKind;
  /** The plant concerned; null for double-booking (a person, not a plant). */
  readonly plant: string | null;
  /** The calendar instance's uid or the other change's id; null for outside-maintenance. */
  readonly with: string | null;
  readonly start: number;
  readonly end: number;
}

/** Another planned change, as the collision and double-booking rules see it. */
export interface PlannedChange {
  readonly id: string;
  readonly plants: readonly string[];
  readonly start: number;
  readonly end: number;
  readonly area?: string | null;
  readonly environment?: string | null;
  readonly implementer?: string | null;
}

/** The window being checked and what the change is; `id` excludes the change itself from the other changes. */
export interface ProposedWindow extends Omit<PlannedChange, "id"> {
  readonly id?: string | null;
}

/** One plant's calendar instances, indexed for the rules. */
export interface PlantIndex {
  readonly name: string;
  readonly zone: ZoneRules;
  readonly blackouts: IntervalIndex<CalendarInstance>;
  readonly maintenance: IntervalIndex<CalendarInstance>;
  /** Sorted shift starts and ends, with the instance each belongs to. */
  readonly boundaries: Float64Array;
  readonly boundaryOwners: readonly CalendarInstance[];
}

/** Other changes indexed by plant (collisions) and implementer (double-booking). */
export interface ChangeIndex {
  readonly byPlant: ReadonlyMap<string, IntervalIndex<PlannedChange>>;
  readonly byImplementer: ReadonlyMap<string, IntervalIndex<PlannedChange>>;
}

/** Everything a check needs, built once and reused for every window (drag previews, reports). */
export interface ConflictContext {
  readonly plants: ReadonlyMap<string, PlantIndex>;
  readonly changes: ChangeIndex;
  readonly bufferMs: number;
  /**
   * Plants (by nameKey) whose maintenance windows Argo CD enforces as allow windows: it syncs them only inside one,
   * so for them outside-maintenance blocks instead of warning.
   */
  readonly allowEnforced?: ReadonlySet<string>;
}

/** The key a plant or person is matched by: names compare case-insensitively. */
export function nameKey(name: string): string {
  let key = keyCache.get(name);
  if (key === undefined) {
    key = name.trim().toLowerCase();
    // A memo only: the same few plant names and e-mails recur thousands of times in a report.
    if (keyCache.size > 50_000) keyCache.clear();
    keyCache.set(name, key);
  }
  return key;
}

const keyCache = new Map<string, string>();

/** Indexes one plant's expanded instances. */
export function indexPlant(name: string, zone: ZoneRules, instances: readonly CalendarInstance[]): PlantIndex {
  const points: { at: number; owner: CalendarInstance }[] = [];
  for (const i of instances) {
    if (i.category !== "SHIFT") continue;
    points.push({ at: i.start, owner: i }, { at: i.end, owner: i });
  }
  points.sort((a, b) => a.at - b.at);
  return {
    name,
    zone,
    blackouts: buildIntervalIndex(instances.filter((i) => i.category === "BLACKOUT")),
    maintenance: buildIntervalIndex(instances.filter((i) => i.category === "MAINTENANCE")),
    boundaries: Float64Array.from(points, (p) => p.at),
    boundaryOwners: points.map((p) => p.owner),
  };
}

/** Indexes the other planned changes. */
export function indexChanges(changes: readonly PlannedChange[]): ChangeIndex {
  const byPlant = new Map<string, PlannedChange[]>();
  const byImplementer = new Map<string, PlannedChange[]>();
  const add = (map: Map<string, PlannedChange[]>, key: string, c: PlannedChange) => {
    const list = map.get(key);
    if (list) list.push(c);
    else map.set(key, [c]);
  };
  for (const c of changes) {
    const keys: string[] = [];
    for (const p of c.plants) {
      const key = nameKey(p);
      if (!keys.includes(key)) keys.push(key);
    }
    for (const key of keys) add(byPlant, key, c);
    if (c.implementer) add(byImplementer, nameKey(c.implementer), c);
  }
  const build = (map: Map<string, PlannedChange[]>) =>
    new Map([...map].map(([k, list]) => [k, buildIntervalIndex(list)] as const));
  return { byPlant: build(byPlant), byImplementer: build(byImplementer) };
}

/** Builds the context for a set of plants, other changes and a shift-change buffer. */
export function conflictContext(
  plants: readonly PlantIndex[],
  changes: readonly PlannedChange[],
  bufferMs: number,
): ConflictContext {
  return { plants: new Map(plants.map((p) => [nameKey(p.name), p])), changes: indexChanges(changes), bufferMs };
}

/** Checks one window against the named plants' calendars and the other changes (calendars.md `calendar check`). */
export function checkWindow(ctx: ConflictContext, w: ProposedWindow): { ok: boolean; conflicts: Conflict[] } {
  if (!(w.end > w.start)) throw new AppError("invalid-input", "The window must end after it starts.");
  const conflicts: Conflict[] = [];
  const seenPlants: string[] = [];
  const sharesWork = !!(w.area || w.environment);
  // Loops are written out rather than given callbacks: a report runs this 10,000 times and a drag once a frame.
  for (const raw of w.plants) {
    const key = nameKey(raw);
    if (seenPlants.includes(key)) continue;
    seenPlants.push(key);
    const plant = ctx.plants.get(key);
    if (!plant) throw new AppError("not-found", `There is no calendar for plant "${raw}".`, { plant: raw });
    plantConflicts(plant, w, ctx.bufferMs, conflicts);
    const others = ctx.changes.byPlant.get(key);
    if (!others || !sharesWork) continue;
    const hi = lowerBound(others.starts, w.end);
    for (let i = lowerBound(others.starts, w.start - others.maxSpan); i < hi; i++) {
      const c = others.items[i];
      if (!c || c.id === w.id || !overlapsFrom(c, w.start)) continue;
      if (same(c.area, w.area) || same(c.environment, w.environment)) {
        conflicts.push({ kind: "collision", plant: plant.name, with: c.id, start: c.start, end: c.end });
      }
    }
  }
  const mine = w.implementer ? ctx.changes.byImplementer.get(nameKey(w.implementer)) : undefined;
  if (mine) {
    const hi = lowerBound(mine.starts, w.end);
    for (let i = lowerBound(mine.starts, w.start - mine.maxSpan); i < hi; i++) {
      const c = mine.items[i];
      if (c && c.id !== w.id && overlapsFrom(c, w.start)) {
        conflicts.push({ kind: "double-booked", plant: null, with: c.id, start: c.start, end: c.end });
      }
    }
  }
  if (conflicts.length > 1) conflicts.sort(compareConflicts);
  let ok = true;
  for (const c of conflicts) if (c.kind !== "outside-maintenance" || blocksOutside(ctx, c.plant)) ok = false;
  return { ok, conflicts };
}

/** True when the plant's allow windows are enforced by Argo CD, so a window outside maintenance can never sync. */
function blocksOutside(ctx: ConflictContext, plant: string | null): boolean {
  return plant !== null && (ctx.allowEnforced?.has(nameKey(plant)) ?? false);
}

// For a span already known to start before the window ends: does it reach into the window?
function overlapsFrom(span: { readonly start: number; readonly end: number }, from: number): boolean {
  return span.end > from || (span.start === span.end && span.start >= from);
}

function plantConflicts(plant: PlantIndex, w: ProposedWindow, bufferMs: number, out: Conflict[]): void {
  const b = plant.blackouts;
  const bHi = lowerBound(b.starts, w.end);
  for (let i = lowerBound(b.starts, w.start - b.maxSpan); i < bHi; i++) {
    const x = b.items[i];
    if (x && overlapsFrom(x, w.start)) {
      out.push({ kind: "blackout", plant: plant.name, with: x.uid, start: x.start, end: x.end });
    }
  }
  const from = lowerBound(plant.boundaries, w.start - bufferMs);
  const to = lowerBound(plant.boundaries, w.end + bufferMs);
  // An instance whose start and end both fall in range is one conflict; the range holds a handful of points.
  const seen: CalendarInstance[] = [];
  for (let i = from; i < to; i++) {
    const s = plant.boundaryOwners[i];
    if (!s || seen.includes(s)) continue;
    seen.push(s);
    out.push({ kind: "shift-change", plant: plant.name, with: s.uid, start: s.start, end: s.end });
  }
  if (!findContaining(plant.maintenance, w.start, w.end)) {
    out.push({ kind: "outside-maintenance", plant: plant.name, with: null, start: w.start, end: w.end });
  }
}

function same(a: string | null | undefined, b: string | null | undefined): boolean {
  return !!a && !!b && nameKey(a) === nameKey(b);
}

/** Orders conflicts by start, kind, plant and what they are with. */
export function compareConflicts(a: Conflict, b: Conflict): number {
  return (
    a.start - b.start ||
    cmp(a.kind, b.kind) ||
    cmp(a.plant ?? "", b.plant ?? "") ||
    cmp(a.with ?? "", b.with ?? "") ||
    a.end - b.end
  );
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
