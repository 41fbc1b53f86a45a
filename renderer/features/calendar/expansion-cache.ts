import { type CalendarInstance, expandCalendar, type PlantCalendar } from "../../../shared/domain/calendar/index";

const DAY = 86_400_000;
/** Calendars are expanded in fixed two-week chunks, so paging back and forth re-expands nothing. */
const CHUNK = 14 * DAY;

/** Expanded instances of parsed calendars, kept per calendar and chunk for as long as the calendar object lives. */
export interface ExpansionCache {
  /** Every instance overlapping [from, to), like expandCalendar, from cached chunks. */
  expand(calendar: PlantCalendar, from: number, to: number): CalendarInstance[];
}

function overlaps(i: CalendarInstance, from: number, to: number): boolean {
  return i.start === i.end ? i.start >= from && i.start < to : i.end > from && i.start < to;
}

/** Creates an empty cache; a re-imported calendar is a new object and starts afresh. */
export function createExpansionCache(): ExpansionCache {
  const byCalendar = new WeakMap<PlantCalendar, Map<number, readonly CalendarInstance[]>>();
  return {
    expand(calendar, from, to) {
      let chunks = byCalendar.get(calendar);
      if (!chunks) {
        chunks = new Map();
        byCalendar.set(calendar, chunks);
      }
      const out: CalendarInstance[] = [];
      const seen = new Set<string>();
      for (let c = Math.floor(from / CHUNK); c * CHUNK < to; c++) {
        let list = chunks.get(c);
        if (!list) {
          list = expandCalendar(calendar, c * CHUNK, (c + 1) * CHUNK);
          chunks.set(c, list);
        }
        for (const i of list) {
          if (!overlaps(i, from, to)) continue;
          // An instance across a chunk edge is in both chunks.
          const key = `${i.uid}|${i.start}|${i.recurrenceId}`;
          if (seen.has(key)) continue;
          seen.add(key);
          out.push(i);
        }
      }
      return out;
    },
  };
}
