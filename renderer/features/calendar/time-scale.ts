import { TZDate } from "@date-fns/tz";
import { addDays, addHours, addMonths, getWeek, type Locale, startOfDay, startOfMonth, startOfWeek } from "date-fns";

/** The zoom levels of the calendar. */
export type ViewKind = "day" | "week" | "month";

/** One column of the time axis: a day (week, month) or an hour block (day). */
interface AxisColumn {
  readonly start: number;
  readonly end: number;
  /** True for Saturday and Sunday in the viewer's zone, shaded apart. */
  readonly weekend: boolean;
}

/** The visible span [from, to) as instants, laid out in the viewer's zone. */
export interface TimeScale {
  readonly view: ViewKind;
  readonly zone: string;
  readonly from: number;
  readonly to: number;
  readonly columns: readonly AxisColumn[];
  /** The locale's week number of the first day, for the "Week 49" label (ISO in en-GB and de-DE, US weeks in en-US). */
  readonly week: number;
  /** The locale the period was laid out in (its first weekday), so a plant's lane can lay out the same period. */
  readonly locale: Locale;
}

/**
 * The period containing `anchor` in the viewer's zone. Columns follow wall-clock days, so a day with a clock
 * change is 23 or 25 hours wide: positions stay proportional to real time, which is what conflicts are about.
 */
export function timeScale(view: ViewKind, anchor: number, zone: string, locale: Locale): TimeScale {
  const at = new TZDate(anchor, zone);
  const weekStartsOn = locale.options?.weekStartsOn ?? 1;
  // A week is numbered by the locale's own rule: ISO (Monday, week 1 holds 4 January) in en-GB and de-DE, the US
  // rule (Sunday, week 1 holds 1 January) in en-US, so the week of 3 Dec 2026 reads "Week 49" in all three.
  const firstWeekContainsDate = locale.options?.firstWeekContainsDate ?? 4;
  const first =
    view === "day" ? startOfDay(at) : view === "week" ? startOfWeek(at, { weekStartsOn }) : startOfMonth(at);
  const last = view === "day" ? addDays(first, 1) : view === "week" ? addDays(first, 7) : addMonths(first, 1);
  const columns: AxisColumn[] = [];
  if (view === "day") {
    // Two-hour blocks keep 12 readable labels across a wall screen.
    for (let t = first; t.getTime() < last.getTime(); t = addHours(t, 2)) {
      columns.push({ start: t.getTime(), end: Math.min(addHours(t, 2).getTime(), last.getTime()), weekend: false });
    }
  } else {
    for (let t = first; t.getTime() < last.getTime(); t = addDays(t, 1)) {
      const day = t.getDay();
      columns.push({ start: t.getTime(), end: addDays(t, 1).getTime(), weekend: day === 0 || day === 6 });
    }
  }
  return {
    view,
    zone,
    from: first.getTime(),
    to: last.getTime(),
    columns,
    locale,
    week: getWeek(first, { weekStartsOn, firstWeekContainsDate }),
  };
}

/**
 * The same period laid out on a plant's own wall clock: Monday 00:00 in Pune starts Pune's lane, so Pune's 08:30
 * shift sits at 08:30 under the axis's day columns ("plant local"). The viewer's scale when the zones agree.
 */
export function laneScale(scale: TimeScale, zone: string): TimeScale {
  if (zone === scale.zone) return scale;
  // Both the model and each lane ask for it on every period change; laying out a period in a zone costs tens of
  // date-zone conversions, so the few (period, zone) pairs a session pages through are kept.
  const key = `${scale.view}|${scale.from}|${scale.to}|${zone}|${scale.locale.code ?? ""}`;
  let own = laneScales.get(key);
  if (!own) {
    if (laneScales.size > 500) laneScales.clear();
    own = timeScale(scale.view, scale.from + (scale.to - scale.from) / 2, zone, scale.locale);
    laneScales.set(key, own);
  }
  return own;
}

const laneScales = new Map<string, TimeScale>();

/** The anchor of the previous (-1) or next (+1) period. */
export function shiftPeriod(scale: TimeScale, direction: -1 | 1): number {
  const at = new TZDate(scale.from, scale.zone);
  const moved =
    scale.view === "day"
      ? addDays(at, direction)
      : scale.view === "week"
        ? addDays(at, 7 * direction)
        : addMonths(at, direction);
  // Noon of the first day, so a clock change near midnight cannot land the anchor in the wrong period.
  return addHours(moved, 12).getTime();
}

/** Where an instant falls across the visible span, as a percentage (may lie outside 0–100). */
export function percentAt(scale: TimeScale, instant: number): number {
  return ((instant - scale.from) / (scale.to - scale.from)) * 100;
}

/** Left offset and width, in percent, of [start, end) clipped to the visible span; null when it is outside. */
export function spanStyle(scale: TimeScale, start: number, end: number): { left: number; width: number } | null {
  const a = Math.max(start, scale.from);
  const b = Math.min(end, scale.to);
  if (b <= a) return null;
  const left = percentAt(scale, a);
  return { left, width: percentAt(scale, b) - left };
}
