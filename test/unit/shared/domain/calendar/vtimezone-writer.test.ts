import { describe, expect, it } from "vitest";
import { readBlocks } from "../../../../../shared/domain/calendar/content-lines";
import {
  expandCalendar,
  parsePlantCalendar,
  presetCalendarIcs,
  vtimezoneLines,
  withZones,
} from "../../../../../shared/domain/calendar/index";
import { vtimezoneZone } from "../../../../../shared/domain/calendar/vtimezone";
import { HOUR, ianaZone } from "../../../../../shared/domain/calendar/zone";
import { at, calendar } from "./helpers";

// RFC 5545 §3.6.5: a calendar must define every TZID it uses. Written zones are read back by the engine's own
// VTIMEZONE reader (the one other programs' exports go through) and must give the runtime's offsets everywhere.
describe("VTIMEZONE writer", () => {
  it.each([
    "Europe/Berlin",
    "America/Chicago",
    "America/Sao_Paulo",
    "Asia/Kolkata",
    "Australia/Lord_Howe",
    "Europe/Moscow",
  ])("%s round-trips to the runtime's offsets, every 6 hours and around each change, 1971-2099", (id) => {
    const text = ["BEGIN:VCALENDAR", ...vtimezoneLines(id), "END:VCALENDAR"].join("\r\n");
    const block = readBlocks(text, "tz.ics").children[0];
    if (!block) throw new Error("no VTIMEZONE");
    const written = vtimezoneZone(id, block, "tz.ics");
    const real = ianaZone(id);
    const wrong: string[] = [];
    for (let t = Date.UTC(1971, 0, 1); t < Date.UTC(2099, 0, 1); t += 6 * HOUR) {
      const probes = real.offsetAt(t) === real.offsetAt(t + 6 * HOUR) ? [t] : [t, t + HOUR, t + 2 * HOUR, t + 3 * HOUR];
      for (const p of probes) if (written.offsetAt(p) !== real.offsetAt(p)) wrong.push(new Date(p).toISOString());
    }
    expect(wrong.slice(0, 5)).toEqual([]);
  });

  it("writes a yearly rule for the zone's current DST rules, not a year-by-year list", () => {
    const lines = vtimezoneLines("America/Chicago");
    expect(lines).toContain("RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=2SU");
    expect(lines).toContain("RRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=1SU");
    expect(lines.filter((l) => l.startsWith("RDATE:") && l >= "RDATE:2007")).toEqual([]);
  });
});

describe("published calendars carry their zone", () => {
  it("writeIcs defines each TZID its events use", () => {
    const ics = presetCalendarIcs("3x8-five-day", {
      name: "Berlin Assembly",
      timeZone: "Europe/Berlin",
      anchor: "2026-01-05",
      stamp: 0,
    });
    const root = readBlocks(ics, "out.ics");
    const used = new Set(ics.match(/TZID=[^:;]+/g)?.map((m) => m.slice(5)));
    expect(used.size).toBeGreaterThan(0);
    const defined = root.children
      .filter((b) => b.name === "VTIMEZONE")
      .map((b) => b.props.find((p) => p.name === "TZID")?.value);
    expect(defined.sort()).toEqual([...used].sort());
    expect(root.props.find((p) => p.name === "X-WR-TIMEZONE")?.value).toBe("Europe/Berlin");
  });

  it("an export without X-WR-TIMEZONE gets the plant's zone and the VTIMEZONEs it lacks, and keeps its meaning", () => {
    const outlook = calendar(null, [
      "BEGIN:VEVENT",
      "UID:xmas@test",
      "DTSTART;VALUE=DATE:20261225",
      "DTEND;VALUE=DATE:20261227",
      "SUMMARY:Christmas shutdown",
      "CATEGORIES:BLACKOUT",
      "END:VEVENT",
      "BEGIN:VEVENT",
      "UID:late@test",
      "DTSTART;TZID=Europe/Berlin:20261201T220000",
      "DTEND;TZID=Europe/Berlin:20261202T060000",
      "SUMMARY:Late shift",
      "CATEGORIES:SHIFT",
      "END:VEVENT",
    ]);
    const published = withZones(outlook, "Europe/Berlin");
    const root = readBlocks(published, "out.ics");
    expect(root.props.find((p) => p.name === "X-WR-TIMEZONE")?.value).toBe("Europe/Berlin");
    expect(root.children.filter((b) => b.name === "VTIMEZONE").length).toBe(1);
    // Read with no zone given (as gitops verify reads a repository file): still Berlin's all-day blackout.
    const cal = parsePlantCalendar(published, {});
    const blackout = expandCalendar(cal, at("2026-12-20T00:00:00Z"), at("2026-12-31T00:00:00Z")).find(
      (i) => i.category === "BLACKOUT",
    );
    expect(blackout && [blackout.start, blackout.end]).toEqual([
      at("2026-12-24T23:00:00Z"),
      at("2026-12-26T23:00:00Z"),
    ]);
    expect(withZones(published, "Europe/Berlin")).toBe(published);
    expect(published.split("\r\n").every((l) => l.length <= 75)).toBe(true);
  });
});
