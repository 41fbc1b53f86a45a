import { BOUNDS } from "../../../shared/contract/bounds";
import type { ChangeSummary } from "../../../shared/contract/index";
import type { PendingPublication } from "../../../shared/contract/methods/calendar";
import {
  type CalendarInstance,
  type Conflict,
  type ConflictContext,
  checkWindow,
  conflictContext,
  expandCalendar,
  findNextWindow,
  indexPlant,
  type NextWindow,
  nameKey,
  type PlannedChange,
  type PlantCalendar,
  type PlantIndex,
  parsePlantCalendar,
} from "../../../shared/domain/calendar/index";
import type { PlantRecord } from "./calendar-api";
import { type ChangeWindow, FINISHED, plannedOf, prepareChanges, windowsOverlapping } from "./change-windows";
import type { ExpansionCache } from "./expansion-cache";
import { laneScale, type TimeScale } from "./time-scale";

export { plannedOf } from "./change-windows";

const DAY = 86_400_000;
/** The default shift-change buffer of calendars.md. */
export const BUFFER_MS = 30 * 60_000;
/** Instances are expanded a day past the visible span, so a window at its edge sees the shifts beyond. */
const MARGIN = DAY;
/** The next-window search in tips looks this far ahead; its context is built only when a tip asks. */
const LOOK_AHEAD = 16 * DAY;

/** A plant's calendar read once per import, or the reason it could not be read. */
interface ParsedPlant {
  readonly record: PlantRecord;
  readonly calendar: PlantCalendar | null;
  readonly error: string | null;
}

/** A calendar instance in a lane, with its crew shade for shifts (0–3). */
export interface LaneItem {
  readonly instance: CalendarInstance;
  readonly crew: number;
}

/** A change's bar in one lane; a change with several plants has a bar in each of their lanes. */
export interface BarModel {
  readonly key: string;
  readonly change: ChangeSummary;
  readonly plantId: string;
  readonly start: number;
  readonly end: number;
  readonly row: number;
  readonly finished: boolean;
}

export interface LaneModel {
  readonly id: string;
  readonly name: string;
  readonly timeZone: string | null;
  readonly source: string | null;
  /** Replaced here, not yet published to the GitOps repository: verify and other laptops read the old calendar. */
  readonly pendingPublication: PendingPublication | null;
  readonly error: string | null;
  readonly shifts: readonly LaneItem[];
  readonly blackouts: readonly LaneItem[];
  readonly maintenance: readonly LaneItem[];
  readonly bars: readonly BarModel[];
  /** Bars beyond MAX_ROWS rows, sorted by start: drawn as "+N changes" chips that open a list, never as bars. */
  readonly overflow: readonly BarModel[];
  readonly rows: number;
}

/** A change's verdict from the view's own engine. */
export interface Verdict {
  readonly ok: boolean;
  readonly conflicts: readonly Conflict[];
}

/** Everything the view draws and previews with, built once per data change and period, never per pointer move. */
export interface CalendarModel {
  readonly lanes: readonly LaneModel[];
  /** The rules' context over the visible period and a day either side. */
  readonly ctx: ConflictContext;
  /** The context for a window: ctx when it covers the window, else one reaching 16 days ahead (built once). */
  readonly contextFor: (start: number, end: number) => ConflictContext;
  /** Verdicts of the changes drawn as bars; a change only listed under a "+N" chip is judged when its list opens. */
  readonly verdicts: ReadonlyMap<string, Verdict>;
  /** Windows by change id, so a chip's list can judge its changes on demand. */
  readonly windows: ReadonlyMap<string, { readonly start: number; readonly end: number }>;
  /** Instances by `${plantId}|${uid}`, to name what a conflict is with. */
  readonly instances: ReadonlyMap<string, CalendarInstance>;
  readonly changes: ReadonlyMap<string, ChangeSummary>;
  readonly plantNames: ReadonlyMap<string, string>;
  /** The parsed calendars by plant id, kept for the benchmark's rebuild-per-move baseline. */
  readonly calendars: ReadonlyMap<string, PlantCalendar>;
  readonly planned: readonly PlannedChange[];
}

/** Parses each plant's calendar; a broken one becomes a lane with its error, never a broken page. */
export function parsePlants(records: readonly PlantRecord[]): ParsedPlant[] {
  return records.map((record) => {
    if (record.ics === null) return { record, calendar: null, error: "No calendar imported yet." };
    try {
      return { record, calendar: parsePlantCalendar(record.ics, { file: `${record.id}.ics` }), error: null };
    } catch (e) {
      return { record, calendar: null, error: e instanceof Error ? e.message : String(e) };
    }
  });
}

/** The crew a shift belongs to, from its summary ("Crew B", "Late shift"), so shades stay stable per crew. */
export function crewOf(summary: string, uid: string): number {
  const crew = /\bcrew\s*([a-d])\b/i.exec(summary)?.[1];
  if (crew) return crew.toLowerCase().charCodeAt(0) - 97;
  if (/\b(early|morning|day|general)\b/i.test(summary)) return 0;
  if (/\b(late|afternoon|swing|evening)\b/i.test(summary)) return 1;
  if (/\bnight\b/i.test(summary)) return 2;
  let h = 0;
  for (const ch of uid) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return h % 3;
}

/** Checks a window for a change against the plants that have a calendar (the others cannot be judged here). */
export function verdictFor(
  model: Pick<CalendarModel, "contextFor">,
  change: ChangeSummary,
  start: number,
  end: number,
): Verdict {
  // A window longer than the contract lets anyone check (one stored before the bounds, or synced from elsewhere)
  // would expand every calendar over its whole span and freeze the view: it is shown as not ok, unjudged.
  if (end - start > BOUNDS.calendarRangeDays * DAY) return { ok: false, conflicts: [] };
  const ctx = model.contextFor(start, end);
  const plants = change.plants.filter((p) => ctx.plants.has(p.toLowerCase()));
  if (plants.length === 0) return { ok: true, conflicts: [] };
  return checkWindow(ctx, { ...plannedOf(change, start, end), plants });
}

/**
 * The engine's next safe window for a change, searched from now (to the minute), not from the change's own slot:
 * a free maintenance window before the current start is an option the CAB must see (it was missed before).
 * Looks two weeks ahead; null when nothing is free there or no plant of the change has a calendar.
 */
export function nextSafeWindow(
  model: Pick<CalendarModel, "contextFor">,
  change: ChangeSummary,
  start: number,
  end: number,
  now: number,
): NextWindow | null {
  const after = Math.ceil(now / 60_000) * 60_000;
  const horizonMs = 14 * DAY;
  const ctx = model.contextFor(after, after + horizonMs + (end - start));
  const plants = change.plants.filter((p) => ctx.plants.has(p.toLowerCase()));
  if (plants.length === 0) return null;
  try {
    return findNextWindow(ctx, { ...plannedOf(change, start, end), plants, durationMs: end - start, after, horizonMs });
  } catch {
    return null;
  }
}

/**
 * The naive preview a first version would write: ask the engine afresh on every pointer move, the way the core
 * answers one calendar.check (expand the change's plants around the window, index them and every other change).
 * Only the benchmark's baseline uses it (hash flag `preview=rebuild`).
 */
export function rebuildVerdict(model: CalendarModel, change: ChangeSummary, start: number, end: number): Verdict {
  const from = start - BUFFER_MS - DAY;
  const to = end + BUFFER_MS + DAY;
  const indexes = change.plants.flatMap((id) => {
    const calendar = model.calendars.get(id);
    return calendar ? [indexPlant(id, calendar.zone, expandCalendar(calendar, from, to))] : [];
  });
  const ctx = conflictContext(indexes, model.planned, BUFFER_MS);
  return verdictFor({ contextFor: () => ctx }, change, start, end);
}

/** Builds lanes, the conflict context and every visible change's verdict for one period. */
export function buildModel(
  parsed: readonly ParsedPlant[],
  changes: readonly ChangeSummary[],
  scale: TimeScale,
  cache: ExpansionCache,
): CalendarModel {
  const from = scale.from - MARGIN;
  const to = scale.to + MARGIN;
  const indexes: PlantIndex[] = [];
  const instances = new Map<string, CalendarInstance>();
  const calendars = new Map<string, PlantCalendar>();
  const laneItems = new Map<string, { shifts: LaneItem[]; blackouts: LaneItem[]; maintenance: LaneItem[] }>();
  for (const p of parsed) {
    const items = { shifts: [] as LaneItem[], blackouts: [] as LaneItem[], maintenance: [] as LaneItem[] };
    laneItems.set(p.record.id, items);
    if (!p.calendar) continue;
    const expanded = cache.expand(p.calendar, from, to);
    // The lane shows the period on the viewer's clock or on the plant's own ("plant local"): keep what either shows.
    const laneZone = p.calendar.timeZone ?? p.record.timeZone;
    const own = laneZone ? laneScale(scale, laneZone) : scale;
    const shownFrom = Math.min(scale.from, own.from);
    const shownTo = Math.max(scale.to, own.to);
    // Plants are keyed by id in the engine: the register's changes name plants by id.
    indexes.push(indexPlant(p.record.id, p.calendar.zone, expanded));
    calendars.set(p.record.id, p.calendar);
    for (const i of expanded) {
      instances.set(`${p.record.id}|${i.uid}`, i);
      if (i.end <= shownFrom || i.start >= shownTo) continue;
      const item = { instance: i, crew: i.category === "SHIFT" ? crewOf(i.summary, i.uid) : 0 };
      if (i.category === "SHIFT") items.shifts.push(item);
      else if (i.category === "BLACKOUT") items.blackouts.push(item);
      else if (i.category === "MAINTENANCE") items.maintenance.push(item);
    }
  }
  const prepared = prepareChanges(changes);
  const { windows, planned, changeIndex } = prepared;
  // The core's rule, here too: where Argo CD enforces a plant's maintenance, outside it is a blocking conflict.
  const allowEnforced = new Set(parsed.filter((p) => p.record.maintenanceEnforced).map((p) => nameKey(p.record.id)));
  // conflictContext's shape, with the other changes' index built once per fetched list, not once per period.
  const contextOf = (plants: readonly PlantIndex[]): ConflictContext => ({
    plants: new Map(plants.map((p) => [nameKey(p.name), p] as const)),
    changes: changeIndex,
    bufferMs: BUFFER_MS,
    allowEnforced,
  });
  const ctx = contextOf(indexes);
  const contextOver = (a: number, b: number) =>
    contextOf(
      parsed.flatMap((p) =>
        p.calendar ? [indexPlant(p.record.id, p.calendar.zone, cache.expand(p.calendar, a, b))] : [],
      ),
    );
  const wideTo = scale.to + LOOK_AHEAD;
  let wide: ConflictContext | null = null;
  let other: { from: number; to: number; ctx: ConflictContext } | null = null;
  const contextFor = (start: number, end: number): ConflictContext => {
    const a = start - BUFFER_MS;
    const b = end + BUFFER_MS;
    if (a >= from && b <= to) return ctx;
    if (a >= from && b <= wideTo) {
      wide ??= contextOver(from, wideTo);
      return wide;
    }
    // Far from the period (an offer a year ahead, a search from today while viewing last month).
    if (!other || a < other.from || b > other.to)
      other = { from: a - DAY, to: b + DAY, ctx: contextOver(a - DAY, b + DAY) };
    return other.ctx;
  };
  // The windows near the period, looked up in the start-sorted list, go under their plants' lanes; only bars that
  // will be drawn are judged.
  const byLane = new Map<string, ChangeWindow[]>();
  const near = windowsOverlapping(prepared, from, to);
  for (const w of near) {
    if (w.change.status === "cancelled") continue;
    for (const plant of w.change.plants) {
      const list = byLane.get(plant) ?? [];
      list.push(w);
      byLane.set(plant, list);
    }
  }
  const parsedById = new Map(parsed.map((p) => [p.record.id, p] as const));
  const plantNames = new Map(parsed.map((p) => [p.record.id, p.record.name] as const));
  const laneIds = [...parsed.map((p) => p.record.id), ...[...byLane.keys()].filter((id) => !laneItems.has(id)).sort()];
  const verdicts = new Map<string, Verdict>();
  const lanes = laneIds.map((id): LaneModel => {
    const p = parsedById.get(id);
    const { bars, overflow, rows } = packBars(id, byLane.get(id) ?? [], scale);
    for (const b of bars) {
      if (!verdicts.has(b.change.id)) verdicts.set(b.change.id, verdictFor({ contextFor }, b.change, b.start, b.end));
    }
    const items = laneItems.get(id) ?? { shifts: [], blackouts: [], maintenance: [] };
    return {
      id,
      name: p?.record.name ?? id,
      timeZone: p?.calendar?.timeZone ?? p?.record.timeZone ?? null,
      source: p?.record.source ?? null,
      pendingPublication: p?.record.pendingPublication ?? null,
      error: p ? p.error : "No calendar imported yet.",
      ...items,
      bars,
      overflow,
      rows,
    };
  });
  return {
    lanes,
    ctx,
    contextFor,
    verdicts,
    windows,
    instances,
    changes: prepared.changes,
    plantNames,
    calendars,
    planned,
  };
}

/** The share of the period a bar's name needs when it is written beside a short bar (see change-bar NARROW/FLIP). */
const LABEL_SHARE: Readonly<Record<TimeScale["view"], number>> = { day: 0.3, week: 0.3, month: 0.16 };
const FLIP_SHARE = 0.18;

/**
 * Rows of bars a lane draws; where more changes overlap, the rest collapse into "+N changes" chips per day. A lane
 * then reads at a glance on a wall screen, and the week's cost is bounded by what can be seen, not by how many
 * changes the register holds (5,000 in a week drew 5,846 bars).
 */
export const MAX_ROWS = 4;

// Greedy interval packing: each bar takes the first row free where it starts, so overlapping changes stack. A
// bar claims the time its name takes too (right of it, or left near the period's end, where the name flips),
// so names written beside short bars never run into the next bar. A bar that finds none of the MAX_ROWS rows
// free goes to the overflow list instead.
function packBars(
  plantId: string,
  list: readonly ChangeWindow[],
  scale: TimeScale,
): { bars: BarModel[]; overflow: BarModel[]; rows: number } {
  const span = scale.to - scale.from;
  const labelSpan = span * LABEL_SHARE[scale.view];
  const flipAt = scale.to - span * FLIP_SHARE;
  const claims = list
    .map((w) => {
      const flips = w.start > flipAt;
      return {
        w,
        lo: flips ? Math.min(w.start, w.end - labelSpan) : w.start,
        hi: flips ? w.end : Math.max(w.end, w.start + labelSpan),
      };
    })
    .sort((a, b) => a.lo - b.lo || (a.w.change.id < b.w.change.id ? -1 : a.w.change.id > b.w.change.id ? 1 : 0));
  const rowEnds: number[] = [];
  const bars: BarModel[] = [];
  const overflow: BarModel[] = [];
  for (const { w, lo, hi } of claims) {
    let row = rowEnds.findIndex((end) => end <= lo);
    if (row < 0 && rowEnds.length < MAX_ROWS) row = rowEnds.push(hi) - 1;
    else if (row >= 0) rowEnds[row] = hi;
    const bar: BarModel = {
      key: `${w.change.id}@${plantId}`,
      change: w.change,
      plantId,
      start: w.start,
      end: w.end,
      row: row < 0 ? MAX_ROWS : row,
      finished: FINISHED.includes(w.change.status),
    };
    if (row < 0) overflow.push(bar);
    else bars.push(bar);
  }
  overflow.sort((a, b) => a.start - b.start);
  return { bars, overflow, rows: Math.max(1, rowEnds.length) };
}
