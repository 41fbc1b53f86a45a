import { BOUNDS } from "../../../shared/contract/bounds";
import type { ChangeStatus, ChangeSummary } from "../../../shared/contract/index";
import { type ChangeIndex, indexChanges, lowerBound, type PlannedChange } from "../../../shared/domain/calendar/index";

// The register's changes as the calendar reads them: windows as instants, found by time, indexed for the rules.

const DAY = 86_400_000;

// States whose window no longer claims the plant: they take no part in collisions and show dimmed.
export const FINISHED: readonly ChangeStatus[] = ["closed", "cancelled", "rejected", "failed", "rolled-back"];

/** The planned change the rules see for a register change with a window. */
export function plannedOf(change: ChangeSummary, start: number, end: number): PlannedChange {
  return {
    id: change.id,
    plants: change.plants,
    start,
    end,
    area: change.area,
    environment: change.environment,
    implementer: change.implementer?.email ?? null,
  };
}

/** A register change with its window as instants. */
export interface ChangeWindow {
  readonly change: ChangeSummary;
  readonly start: number;
  readonly end: number;
}

interface PreparedChanges {
  readonly windows: ReadonlyMap<string, ChangeWindow>;
  /** Windows up to LONG_WINDOW long, sorted by start, with their starts for binary search. */
  readonly byStart: readonly ChangeWindow[];
  readonly starts: Float64Array;
  /** Longer windows (one stored before the bounds, 1999 → 9999): few, checked one by one, so they cannot widen the search. */
  readonly long: readonly ChangeWindow[];
  readonly planned: readonly PlannedChange[];
  readonly changeIndex: ChangeIndex;
  readonly changes: ReadonlyMap<string, ChangeSummary>;
}

/** The contract bounds a window to 14 days; anything longer is kept apart from the start-sorted list. */
const LONG_WINDOW = BOUNDS.calendarRangeDays * DAY;

/** The windows overlapping [from, to): two binary searches in the sorted list, then the few long ones. */
export function windowsOverlapping(p: PreparedChanges, from: number, to: number): ChangeWindow[] {
  const out: ChangeWindow[] = [];
  const hi = lowerBound(p.starts, to);
  for (let i = lowerBound(p.starts, from - LONG_WINDOW); i < hi; i++) {
    const w = p.byStart[i];
    if (w && w.end > from) out.push(w);
  }
  for (const w of p.long) if (w.end > from && w.start < to) out.push(w);
  return out;
}

// Keyed by the fetched list itself: the query cache hands back the same array for a period seen before, so paging
// ←/→ over a busy register parses windows and indexes 5,000 changes once per fetch, not once per render.
const preparedByList = new WeakMap<readonly ChangeSummary[], PreparedChanges>();

/** The changes' windows as instants and the collision / double-booking index over the unfinished ones. */
export function prepareChanges(changes: readonly ChangeSummary[]): PreparedChanges {
  const known = preparedByList.get(changes);
  if (known) return known;
  const windows = new Map<string, ChangeWindow>();
  for (const c of changes) {
    if (!c.window || windows.has(c.id)) continue;
    const start = Date.parse(c.window.start);
    const end = Date.parse(c.window.end);
    if (Number.isFinite(start) && end > start) windows.set(c.id, { change: c, start, end });
  }
  const planned = [...windows.values()]
    .filter((w) => !FINISHED.includes(w.change.status))
    .map((w) => plannedOf(w.change, w.start, w.end));
  const all = [...windows.values()];
  const byStart = all.filter((w) => w.end - w.start <= LONG_WINDOW).sort((a, b) => a.start - b.start);
  const prepared = {
    windows,
    byStart,
    starts: Float64Array.from(byStart, (w) => w.start),
    long: all.filter((w) => w.end - w.start > LONG_WINDOW),
    planned,
    changeIndex: indexChanges(planned),
    changes: new Map(all.map((w) => [w.change.id, w.change] as const)),
  };
  preparedByList.set(changes, prepared);
  return prepared;
}
