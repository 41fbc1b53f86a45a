import { describe, expect, it } from "vitest";
import { AppError } from "../../../../../shared/contract/errors";
import {
  expandCalendar,
  MAX_EXPANSION_INSTANCES,
  parsePlantCalendar,
} from "../../../../../shared/domain/calendar/index";
import { at } from "./helpers";

/** A calendar of `events` events repeating every `freq` from 2026 on. */
function busyCalendar(freq: string, events: number): string {
  const vevent = (n: number) =>
    [
      "BEGIN:VEVENT",
      `UID:busy-${n}@test`,
      "DTSTAMP:20260101T000000Z",
      "DTSTART:20260101T000000Z",
      "DTEND:20260101T000100Z",
      `RRULE:FREQ=${freq}`,
      "SUMMARY:Busy",
      "END:VEVENT",
    ].join("\r\n");
  const body = Array.from({ length: events }, (_, n) => vevent(n)).join("\r\n");
  return `BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nX-WR-CALNAME:Busy\r\n${body}\r\nEND:VCALENDAR\r\n`;
}

function expansionError(run: () => unknown): AppError | null {
  try {
    run();
    return null;
  } catch (error) {
    return error instanceof AppError ? error : null;
  }
}

describe("the expansion cap (defence behind the contract's range bounds)", () => {
  it("refuses a range holding more instances than the cap, counted over every series, instead of running on", () => {
    // 600 daily events over 400 days: 240,000 instances, each series far under the cap on its own.
    const cal = parsePlantCalendar(busyCalendar("DAILY", 600), { file: "busy.ics", timeZone: "UTC" });
    const from = at("2026-01-01T00:00:00Z");
    expect(600 * 400).toBeGreaterThan(MAX_EXPANSION_INSTANCES);
    const error = expansionError(() => expandCalendar(cal, from, from + 400 * 86_400_000));
    expect(error?.code).toBe("invalid-input");
    expect(error?.message).toMatch(/shorter range/);
    expect(expandCalendar(cal, from, from + 86_400_000)).toHaveLength(600);
  });
});
