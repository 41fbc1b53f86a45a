import { readFileSync } from "node:fs";
import {
  expandCalendar,
  formatInstant,
  type PlantCalendar,
  parseInstant,
  parsePlantCalendar,
} from "../../../../../shared/domain/calendar/index";

/** Reads a calendar fixture from test/fixtures/calendars. */
export function fixtureText(name: string): string {
  return readFileSync(new URL(`../../../../fixtures/calendars/${name}`, import.meta.url), "utf8");
}

/** Parses a fixture. */
export function fixture(name: string, timeZone?: string): PlantCalendar {
  return parsePlantCalendar(fixtureText(name), { file: name, timeZone });
}

/** An instant from RFC 3339, failing loudly on typos in tests. */
export function at(text: string): number {
  const t = parseInstant(text);
  if (t === null) throw new Error(`bad time in test: ${text}`);
  return t;
}

/** Instances over [from, to) as `uid start end hours` lines in the plant's zone. */
export function lines(cal: PlantCalendar, from: string, to: string, uid?: string): string[] {
  return expandCalendar(cal, at(from), at(to))
    .filter((i) => uid === undefined || i.uid === uid)
    .map(
      (i) =>
        `${i.uid} ${formatInstant(cal.zone, i.start)} ${formatInstant(cal.zone, i.end)} ${(i.end - i.start) / 3_600_000}h`,
    );
}

/** Builds a one-plant calendar from VEVENT lines (CRLF, as exporters write). */
export function calendar(zone: string | null, body: readonly string[], name = "Test Plant"): string {
  return [
    "BEGIN:VCALENDAR",
    "VERSION:2.0",
    "PRODID:-//test//test//EN",
    `X-WR-CALNAME:${name}`,
    ...(zone ? [`X-WR-TIMEZONE:${zone}`] : []),
    ...body,
    "END:VCALENDAR",
  ].join("\r\n");
}
