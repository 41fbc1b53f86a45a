import { de, enGB, enUS } from "date-fns/locale";
import { describe, expect, it } from "vitest";
import { formatIn, formatRange, zoneAbbrev } from "../../../../../renderer/features/calendar/format-time";
import { laneScale, percentAt, shiftPeriod, timeScale } from "../../../../../renderer/features/calendar/time-scale";

// The view lays out days in the viewer's zone and prints plant times in the plant's zone: both must hold across
// clock changes and give the same answers whatever zone the machine itself is set to.

describe("timeScale", () => {
  it("makes the week of the autumn clock change 169 hours long in Berlin, and places instants proportionally", () => {
    const s = timeScale("week", Date.parse("2026-10-28T12:00:00Z"), "Europe/Berlin", enGB);
    expect(new Date(s.from).toISOString()).toBe("2026-10-25T23:00:00.000Z");
    expect((s.to - s.from) / 3_600_000).toBe(168);
    const dst = timeScale("week", Date.parse("2026-10-22T12:00:00Z"), "Europe/Berlin", enGB);
    expect((dst.to - dst.from) / 3_600_000).toBe(169);
    // Sunday 25 Oct has 25 hours: its column is wider than Saturday's.
    const [sat, sun] = dst.columns.slice(5, 7);
    expect(sun && sun.end - sun.start).toBe(25 * 3_600_000);
    expect(sat && sat.end - sat.start).toBe(24 * 3_600_000);
    expect(percentAt(dst, dst.from)).toBe(0);
    expect(percentAt(dst, dst.to)).toBe(100);
  });

  it("starts the week on the locale's first day and pages by period", () => {
    const us = timeScale("week", Date.parse("2026-12-02T12:00:00Z"), "America/Chicago", enUS);
    expect(new Date(us.from).toISOString()).toBe("2026-11-29T06:00:00.000Z");
    const next = timeScale("week", shiftPeriod(us, 1), "America/Chicago", enUS);
    expect(new Date(next.from).toISOString()).toBe("2026-12-06T06:00:00.000Z");
    const month = timeScale("month", Date.parse("2026-02-10T12:00:00Z"), "Asia/Kolkata", enGB);
    expect(month.columns).toHaveLength(28);
    const day = timeScale("day", Date.parse("2026-03-08T12:00:00Z"), "America/Chicago", enUS);
    expect((day.to - day.from) / 3_600_000).toBe(23);
  });
});

describe("laneScale", () => {
  it("lays a plant's lane on its own wall clock: Pune's Monday 08:30 shift at 08:30, not at 04:00 Berlin time", () => {
    const viewer = timeScale("week", Date.parse("2026-12-02T12:00:00Z"), "Europe/Berlin", enGB);
    const pune = laneScale(viewer, "Asia/Kolkata");
    const shift = Date.parse("2026-11-30T03:00:00Z"); // Monday 08:30 IST
    const hour = 100 / 168;
    expect(percentAt(pune, shift)).toBeCloseTo(8.5 * hour, 6);
    expect(percentAt(viewer, shift)).toBeCloseTo(4 * hour, 6);
    // A Pune change at Monday 01:30 IST is on Monday in its lane, not on the viewer's Sunday evening.
    expect(percentAt(pune, Date.parse("2026-11-29T20:00:00Z"))).toBeCloseTo(1.5 * hour, 6);
    expect(laneScale(viewer, "Europe/Berlin")).toBe(viewer);
  });
});

describe("week numbers", () => {
  it("numbers the week of 3 Dec 2026 as 49 in en-US (Sunday weeks) as in en-GB and de-DE (ISO)", () => {
    const at = Date.parse("2026-12-03T12:00:00Z");
    expect(timeScale("week", at, "America/Chicago", enUS).week).toBe(49);
    expect(timeScale("week", at, "Europe/London", enGB).week).toBe(49);
    expect(timeScale("week", at, "Europe/Berlin", de).week).toBe(49);
    // The year's edges: ISO puts 1 Jan 2027 (a Friday) in week 53 of 2026; the US rule makes its week week 1.
    const newYear = Date.parse("2027-01-01T12:00:00Z");
    expect(timeScale("week", newYear, "Europe/Berlin", de).week).toBe(53);
    expect(timeScale("week", newYear, "America/Chicago", enUS).week).toBe(1);
  });
});

describe("formatIn", () => {
  it("prints each zone's own wall clock, also when the cache has seen the same instant in another zone", () => {
    const t = Date.parse("2026-12-04T21:00:00Z");
    expect(formatIn(t, "Europe/Berlin", "EEE p", enGB)).toBe("Fri 22:00");
    expect(formatIn(t, "America/Chicago", "EEE p", enGB)).toBe("Fri 15:00");
    expect(formatIn(t, "Asia/Kolkata", "EEE p", enGB)).toBe("Sat 02:30");
    expect(formatIn(t, "Asia/Kolkata", "p", enUS)).toBe("2:30 AM");
  });

  it("reads both sides of a clock change correctly", () => {
    // 01:30 Chicago happens twice on 1 Nov 2026: CDT, then CST.
    const first = Date.parse("2026-11-01T06:30:00Z");
    const second = Date.parse("2026-11-01T07:30:00Z");
    expect(formatIn(first, "America/Chicago", "HH:mm", enGB)).toBe("01:30");
    expect(formatIn(second, "America/Chicago", "HH:mm", enGB)).toBe("01:30");
    expect(zoneAbbrev("America/Chicago", first, enUS)).toBe("CDT");
    expect(zoneAbbrev("America/Chicago", second, enUS)).toBe("CST");
    // A night shift across the spring change keeps its wall-clock ends: 19:00–07:00 is 11 hours that night.
    const start = Date.parse("2026-03-08T01:00:00Z");
    const end = Date.parse("2026-03-08T12:00:00Z");
    expect(formatRange(start, end, "America/Chicago", enGB)).toBe("Sat 7 Mar 19:00 – Sun 8 Mar 07:00 UTC-6");
  });

  it("never labels a zone with a bare GMT offset", () => {
    expect(zoneAbbrev("Asia/Kolkata", Date.parse("2026-12-01T00:00:00Z"), enGB)).toBe("UTC+5:30");
    expect(zoneAbbrev("Europe/Berlin", Date.parse("2026-12-01T00:00:00Z"), enGB)).toBe("CET");
  });
});
