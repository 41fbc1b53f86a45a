import { expandCalendar, overlaps } from "../../../../shared/domain/calendar/expand";
import { parsePlantCalendar } from "../../../../shared/domain/calendar/parse-calendar";
import type { CalendarInstance, PlantCalendar } from "../../../../shared/domain/calendar/types";
import type { BlackoutInterval, BlackoutSource } from "./findings";

// Parsed calendars, each holding only the series that can yield a BLACKOUT instance (its own category, or an
// override's): shift series recur daily from their first day, and expanding them up to each release only to drop
// them is most of what judging a release against its plants' calendars would cost.
const parsed = new Map<string, PlantCalendar | null>();

function blackoutSeriesOnly(calendar: PlantCalendar): PlantCalendar {
  const series = calendar.series.filter(
    (s) => s.category === "BLACKOUT" || s.overrides.some((o) => o.category === "BLACKOUT"),
  );
  return { ...calendar, series };
}

/**
 * BLACKOUT instances from a plant's .shiftgate/calendars/<plant>.ics through the calendar engine (recurrence,
 * zones, DST as calendars.md specifies). A calendar that does not parse yields no blackouts here: the calendar
 * capability reports broken files; verify judges releases against the calendars it can read.
 */
export const calendarBlackouts: BlackoutSource = (plant, icsText, from, to, timeZone) => {
  // A calendar without X-WR-TIMEZONE (Outlook, Nextcloud) is read in the plant's zone from policy.yaml, as the app
  // read it on import; only a plant the policy gives no zone falls back to UTC.
  const zone = timeZone ?? "UTC";
  const key = `${zone}\n${icsText}`;
  let calendar = parsed.get(key);
  if (calendar === undefined) {
    try {
      calendar = blackoutSeriesOnly(
        parsePlantCalendar(icsText, { file: `.shiftgate/calendars/${plant}.ics`, timeZone: zone }),
      );
    } catch {
      calendar = null;
    }
    if (parsed.size > 256) parsed.clear();
    parsed.set(key, calendar);
  }
  if (!calendar) return [];
  return blackoutInstances(calendar, from.getTime(), to.getTime())
    .filter((i) => i.category === "BLACKOUT")
    .map((i): BlackoutInterval => ({ start: new Date(i.start), end: new Date(i.end) }));
};

// Each release asks about one instant, and ical.js walks a rule from its first day at every question (a BYSETPOS
// month-end rule costs milliseconds per walk). The calendar is expanded once per UTC year asked about and each
// question filters that year: the instances overlapping [from, to) are the same, as a range within the year
// overlaps only instances the year's expansion holds. A year that exceeds the expansion budget is not kept, and
// the question goes to the engine as before.
const years = new WeakMap<PlantCalendar, Map<number, readonly CalendarInstance[] | null>>();

function blackoutInstances(calendar: PlantCalendar, from: number, to: number): readonly CalendarInstance[] {
  const year = new Date(from).getUTCFullYear();
  const start = Date.UTC(year, 0, 1);
  const end = Date.UTC(year + 1, 0, 1);
  if (from < start || to > end) return expandCalendar(calendar, from, to);
  let byYear = years.get(calendar);
  if (!byYear) {
    byYear = new Map();
    years.set(calendar, byYear);
  }
  let all = byYear.get(year);
  if (all === undefined) {
    try {
      all = expandCalendar(calendar, start, end);
    } catch {
      all = null;
    }
    byYear.set(year, all);
  }
  return all ? all.filter((i) => overlaps(i.start, i.end, from, to)) : expandCalendar(calendar, from, to);
}
