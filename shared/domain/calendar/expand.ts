import { AppError } from "../../errors/app-error";
import { wallDay } from "./ics-values";
import { iterateStarts } from "./recurrence";
import type { CalendarInstance, EndRule, EventSeries, PlantCalendar, TimeValue } from "./types";
import { DAY, HOUR, instantToWall, wallToInstant } from "./zone";

// Wall readings differ from instants by at most this (UTC-12 … UTC+14), so iteration can stop safely.
const MAX_OFFSET = 15 * HOUR;

// Defence in depth behind the contract's range bounds: whatever range or calendar a caller passes, one expansion
// visits at most this many recurrence starts and yields at most this many instances, so it cannot hang a door
// (a year of 20 plants with three shifts a day is about 22,000 instances).
const MAX_EXPANSION_STEPS = 1_000_000;
export const MAX_EXPANSION_INSTANCES = 200_000;

/** What one expansion may still spend; shared by every series of a calendar. */
interface ExpansionBudget {
  steps: number;
}

/** A fresh budget for one expansion. */
function expansionBudget(): ExpansionBudget {
  return { steps: MAX_EXPANSION_STEPS };
}

function tooMuch(): AppError {
  return new AppError(
    "invalid-input",
    `The calendar holds more events in this range than Shiftgate checks at once (over ${MAX_EXPANSION_INSTANCES.toLocaleString("en")}); choose a shorter range or simplify the calendar's repeating events.`,
  );
}

/** Every instance of every event in the calendar that overlaps [from, to), sorted by start then uid. */
export function expandCalendar(calendar: PlantCalendar, from: number, to: number): CalendarInstance[] {
  const out: CalendarInstance[] = [];
  const budget = expansionBudget();
  for (const series of calendar.series) expandSeriesInto(series, from, to, out, budget);
  return out.sort(compareInstances);
}

/** Orders instances by start, then uid, then end. */
function compareInstances(a: CalendarInstance, b: CalendarInstance): number {
  return a.start - b.start || (a.uid < b.uid ? -1 : a.uid > b.uid ? 1 : 0) || a.end - b.end;
}

/** True when [start, end) overlaps [from, to); a zero-length instance counts when from <= start < to. */
export function overlaps(start: number, end: number, from: number, to: number): boolean {
  return start === end ? start >= from && start < to : start < to && end > from;
}

/** The end instant of an instance starting at `wall` (in the start zone), per the series' end rule. */
function endOf(end: EndRule, start: TimeValue, wall: number, startInstant: number): number {
  if (end.kind === "wall") return Math.max(startInstant, wallToInstant(end.zone, wall + end.wallDelta));
  const nominal = end.days === 0 ? startInstant : wallToInstant(start.zone, wall + end.days * DAY);
  return nominal + end.exactMs;
}

/** Appends the instances of one series that overlap [from, to); throws invalid-input when the budget runs out. */
export function expandSeriesInto(
  series: EventSeries,
  from: number,
  to: number,
  out: CalendarInstance[],
  budget: ExpansionBudget = expansionBudget(),
): void {
  const { start, end, rule } = series;
  const zone = start.zone;
  const span = approxSpan(end);
  const candidates: { wall: number; end: number | null }[] = [];
  const lo = from - span - MAX_OFFSET - DAY;
  const hi = to + MAX_OFFSET;
  if (rule) {
    const until = rule.until;
    const beforeUntil = !until
      ? () => true
      : until.isDate
        ? (wall: number) => wallDay(wall) <= wallDay(until.wall)
        : until.utc || until.zone !== zone
          ? (wall: number) => wallToInstant(zone, wall) <= wallToInstant(until.zone, until.wall)
          : (wall: number) => wall <= until.wall;
    iterateStarts(start.wall, start.isDate, rule, lo, hi, beforeUntil, (wall) => {
      if (--budget.steps < 0) throw tooMuch();
      if (wall >= lo) candidates.push({ wall, end: null });
    });
  } else candidates.push({ wall: start.wall, end: null });
  for (const r of series.rdates) candidates.push(r);
  const overrides = new Map<number, (typeof series.overrides)[number]>();
  for (const o of series.overrides) overrides.set(o.recurrenceId, o);
  const seen = new Set<number>();
  for (const c of candidates) {
    const startInstant = wallToInstant(zone, c.wall);
    if (seen.has(startInstant)) continue;
    seen.add(startInstant);
    if (series.exdates.has(startInstant) || series.exdateDays.has(wallDay(c.wall))) continue;
    const o = overrides.get(startInstant) ?? overrides.get(wallDay(c.wall));
    if (o) {
      overrides.delete(o.recurrenceId);
      if (o.cancelled) continue;
      const moved = overrideInstance(series, o, startInstant);
      if (overlaps(moved.start, moved.end, from, to)) out.push(moved);
      continue;
    }
    const endInstant = c.end ?? endOf(end, start, c.wall, startInstant);
    if (overlaps(startInstant, endInstant, from, to)) {
      out.push({
        uid: series.uid,
        summary: series.summary,
        category: series.category,
        start: startInstant,
        end: endInstant,
        recurrenceId: null,
      });
    }
  }
  // Overrides whose original instance falls outside the expanded range can still move into it.
  for (const o of overrides.values()) {
    if (o.cancelled || o.recurrenceIsDate) continue;
    const moved = overrideInstance(series, o, o.recurrenceId);
    if (seen.has(o.recurrenceId) || !overlaps(moved.start, moved.end, from, to)) continue;
    if (!isInstanceStart(series, o.recurrenceId)) continue;
    out.push(moved);
  }
  if (out.length > MAX_EXPANSION_INSTANCES) throw tooMuch();
}

// An overridden instance: its own start, its own end (or the series' length from that start), its own texts.
function overrideInstance(
  series: EventSeries,
  o: EventSeries["overrides"][number],
  recurrenceId: number,
): CalendarInstance {
  const start = wallToInstant(o.start.zone, o.start.wall);
  const end = o.end
    ? endOf(o.end, o.start, o.start.wall, start)
    : endOf(series.end, o.start, sameZoneWall(o.start, series.start.zone), start);
  return {
    uid: series.uid,
    summary: o.summary ?? series.summary,
    category: o.category === undefined ? series.category : o.category,
    start,
    end,
    recurrenceId,
  };
}

function sameZoneWall(t: TimeValue, zone: TimeValue["zone"]): number {
  return t.zone === zone ? t.wall : instantToWall(zone, wallToInstant(t.zone, t.wall));
}

/** Whether an instant is a start of the series (checked by expanding one instant around it). */
function isInstanceStart(series: EventSeries, instant: number): boolean {
  const probe: CalendarInstance[] = [];
  expandSeriesInto({ ...series, overrides: [] }, instant, instant + 1, probe);
  return probe.some((p) => p.start === instant);
}

function approxSpan(end: EndRule): number {
  return end.kind === "wall" ? Math.max(0, end.wallDelta) + 2 * HOUR : end.days * DAY + end.exactMs + 2 * HOUR;
}
