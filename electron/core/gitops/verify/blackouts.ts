import { expandCalendar } from "../../../../shared/domain/calendar/expand";
import { parsePlantCalendar } from "../../../../shared/domain/calendar/parse-calendar";
import type { PlantCalendar } from "../../../../shared/domain/calendar/types";
import type { BlackoutInterval, BlackoutSource } from "./findings";

const parsed = new Map<string, PlantCalendar | null>();

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
      calendar = parsePlantCalendar(icsText, { file: `.shiftgate/calendars/${plant}.ics`, timeZone: zone });
    } catch {
      calendar = null;
    }
    if (parsed.size > 256) parsed.clear();
    parsed.set(key, calendar);
  }
  if (!calendar) return [];
  return expandCalendar(calendar, from.getTime(), to.getTime())
    .filter((i) => i.category === "BLACKOUT")
    .map((i): BlackoutInterval => ({ start: new Date(i.start), end: new Date(i.end) }));
};
