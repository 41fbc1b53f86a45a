import { describe, expect, it } from "vitest";
import { readRule } from "../../../../../shared/domain/calendar/ics-values";
import {
  argoSyncWindows,
  changesFeedIcs,
  expandCalendar,
  formatGoDuration,
  parseDurationText,
  parsePlantCalendar,
  presetCalendarIcs,
  presetEvents,
  replaceShiftEvents,
  resolveZoneName,
  SHIFT_PRESETS,
  WINDOWS_ZONES,
} from "../../../../../shared/domain/calendar/index";
import { iterateStarts } from "../../../../../shared/domain/calendar/recurrence";
import { ianaZone } from "../../../../../shared/domain/calendar/zone";
import { at, calendar, fixture, fixtureText } from "./helpers";

describe("durations", () => {
  it.each([
    ["90m", 90],
    ["2h", 120],
    ["1h30m", 90],
    ["PT2H", 120],
    ["PT1H30M", 90],
    ["P1D", 1440],
  ])("%s", (text, minutes) => expect(parseDurationText(text)).toBe(minutes * 60_000));
  it("refuses nonsense", () => {
    for (const bad of ["", "2 hours", "PT", "P", "h"]) expect(parseDurationText(bad)).toBeNull();
    expect(formatGoDuration(13 * 3_600_000)).toBe("13h");
    expect(formatGoDuration(90 * 60_000)).toBe("1h30m");
  });
});

describe("zone names", () => {
  it("every Windows zone in the CLDR table maps to a zone this runtime knows", () => {
    for (const [windows, iana] of Object.entries(WINDOWS_ZONES)) {
      expect(resolveZoneName(windows), windows).toBe(iana);
      expect(() => ianaZone(iana)).not.toThrow();
    }
  });
  it("reads vendor-prefixed and quoted ids", () => {
    expect(resolveZoneName("/mozilla.org/20070129_1/Europe/Berlin")).toBe("Europe/Berlin");
    expect(resolveZoneName('"W. Europe Standard Time"')).toBe("Europe/Berlin");
    expect(resolveZoneName("india standard time")).toBe("Asia/Kolkata");
    expect(resolveZoneName("Nowhere Standard Time")).toBeNull();
  });
});

describe("the arithmetic DAILY/WEEKLY path agrees with ical.js", () => {
  const rules = [
    "FREQ=DAILY",
    "FREQ=DAILY;INTERVAL=8",
    "FREQ=DAILY;BYDAY=MO,WE,FR",
    "FREQ=WEEKLY",
    "FREQ=WEEKLY;INTERVAL=3;BYDAY=MO,TU,WE,TH,FR",
    "FREQ=WEEKLY;INTERVAL=2;BYDAY=SU,TU;WKST=SU",
    "FREQ=WEEKLY;INTERVAL=4;BYDAY=FR,SA,SU;WKST=MO",
    "FREQ=WEEKLY;BYDAY=TU;COUNT=5",
  ];
  it.each(rules)("%s", (text) => {
    const ctx = { file: "x", plantZone: ianaZone("UTC"), zoneFor: () => ianaZone("UTC") };
    const prop = { name: "RRULE", params: {}, value: text, line: 1 };
    const start = { wall: Date.UTC(2026, 0, 7, 19, 0, 0), zone: ianaZone("UTC"), isDate: false, utc: false };
    const simple = readRule(prop, start, ctx);
    expect(simple.simple).toBe(true);
    const collect = (rule: typeof simple) => {
      const out: number[] = [];
      iterateStarts(
        start.wall,
        false,
        rule,
        Number.NEGATIVE_INFINITY,
        Date.UTC(2027, 6, 1),
        () => true,
        (w) => out.push(w),
      );
      return out;
    };
    expect(collect(simple)).toEqual(collect({ ...simple, simple: false }));
  });
});

describe("Argo CD sync windows", () => {
  it("writes a cron entry for a series that is one, and one entry per instance otherwise", () => {
    const scope = { applications: ["odoo-chicago-*"] };
    const { windows } = argoSyncWindows(
      [
        { plant: "chicago", calendar: fixture("chicago-packaging.ics"), scope },
        { plant: "berlin", calendar: fixture("berlin-nights.ics"), scope: { namespaces: ["odoo-berlin"] } },
      ],
      at("2026-12-01T00:00:00Z"),
    );
    const deny = (schedule: string, day: string) => ({
      kind: "deny",
      schedule,
      duration: "24h",
      timeZone: "America/Chicago",
      applications: ["odoo-chicago-*"],
      manualSync: true,
      description: `shiftgate: chicago: Month-end close (last weekday) (${day})`,
    });
    const chicago = windows.filter((w) => w.timeZone === "America/Chicago");
    // Last weekday of the month: no cron form, so each instance (the one under way at `now` included) for 11 months.
    expect(chicago.slice(0, 4)).toEqual([
      deny("0 0 30 11 *", "2026-11-30"),
      deny("0 0 31 12 *", "2026-12-31"),
      deny("0 0 29 1 *", "2027-01-29"),
      deny("0 0 26 2 *", "2027-02-26"),
    ]);
    expect(chicago.filter((w) => w.kind === "deny")).toHaveLength(12);
    expect(chicago.filter((w) => w.kind === "allow")).toEqual([
      {
        kind: "allow",
        schedule: "0 8 * * 0",
        duration: "8h",
        timeZone: "America/Chicago",
        applications: ["odoo-chicago-*"],
        manualSync: true,
        description: "shiftgate: chicago: Sunday maintenance",
      },
    ]);
    // Berlin's weekend window crosses the DST changes (33 h or 35 h elapsed) but is always 34 h on the wall clock.
    const berlin = windows.filter((w) => w.timeZone === "Europe/Berlin" && w.kind === "allow");
    expect(berlin).toEqual([
      expect.objectContaining({ schedule: "0 8 * * 6", duration: "34h", namespaces: ["odoo-berlin"] }),
    ]);
    expect(windows.some((w) => w.applications?.includes("*"))).toBe(false);
  });

  it("writes nothing for a plant the policy gives no Argo CD selectors, and says so", () => {
    const plan = argoSyncWindows(
      [{ plant: "chicago", calendar: fixture("chicago-packaging.ics"), scope: null }],
      at("2026-12-01T00:00:00Z"),
    );
    expect(plan.windows).toEqual([]);
    expect(plan.warnings).toEqual([expect.stringContaining("Plant chicago: no Argo CD applications")]);
  });
});

describe("shift presets", () => {
  it.each(SHIFT_PRESETS.map((p) => p.id))(
    "%s staffs every shift with exactly one crew and round-trips through the parser",
    (id) => {
      const preset = SHIFT_PRESETS.find((p) => p.id === id);
      const ics = presetCalendarIcs(id, { name: "P", timeZone: "America/Chicago", anchor: "2026-01-07", stamp: 0 });
      const cal = parsePlantCalendar(ics);
      const instances = expandCalendar(cal, at("2026-01-05T12:00:00Z"), at("2026-03-30T12:00:00Z"));
      const perShift = new Map<string, number>();
      for (const i of instances) {
        const key = `${i.start}:${i.summary.split(" ").pop()}`;
        perShift.set(key, (perShift.get(key) ?? 0) + 1);
      }
      expect([...perShift.values()].every((n) => n === 1)).toBe(true);
      const shiftsPerDay = Object.keys(preset?.shifts ?? {}).length;
      const days = new Set(instances.map((i) => Math.floor((i.start - 6 * 3_600_000) / 86_400_000)));
      expect(perShift.size).toBeGreaterThanOrEqual(days.size * shiftsPerDay - 2 * shiftsPerDay - 7);
    },
  );
});

describe(".ics writing", () => {
  it("the change feed parses back with the same instants and folds long lines", () => {
    const ics = changesFeedIcs(
      "Berlin changes",
      [
        {
          id: "CHG-2026-7",
          title: "Upgrade MRP scheduler; with a very long title that has to be folded, really",
          start: at("2026-12-05T08:00:00+01:00"),
          end: at("2026-12-05T10:00:00+01:00"),
          plants: ["berlin"],
        },
      ],
      at("2026-11-30T00:00:00Z"),
    );
    expect(ics.split("\r\n").every((l) => l.length <= 75)).toBe(true);
    const cal = parsePlantCalendar(ics, { timeZone: "Europe/Berlin" });
    expect(expandCalendar(cal, at("2026-12-01T00:00:00Z"), at("2026-12-31T00:00:00Z"))).toEqual([
      expect.objectContaining({
        uid: "CHG-2026-7@shiftgate",
        summary: "CHG-2026-7 Upgrade MRP scheduler; with a very long title that has to be folded, really",
        start: at("2026-12-05T07:00:00Z"),
      }),
    ]);
  });

  it("a calendar without CATEGORIES is read and ignored by the rules", () => {
    const cal = parsePlantCalendar(
      calendar("UTC", ["BEGIN:VEVENT", "UID:x", "DTSTART:20260101T000000Z", "END:VEVENT"]),
    );
    expect(cal.series[0]?.category).toBeNull();
  });
});

describe("expanding a slice equals slicing a full expansion", () => {
  it.each(["berlin-assembly.ics", "chicago-packaging.ics", "pune-machining.ics", "rules.ics", "chicago-nights.ics"])(
    "%s",
    (file) => {
      const cal = fixture(file);
      const yearFrom = at("2026-01-01T00:00:00Z");
      const all = expandCalendar(cal, yearFrom, at("2027-01-01T00:00:00Z"));
      for (let k = 0; k < 25; k++) {
        const from = yearFrom + ((k * 7_919_333_111) % (360 * 86_400_000));
        const to = from + ((k * 104_729) % 9) * 86_400_000 + 3_600_000;
        const expected = all.filter((i) =>
          i.start === i.end ? i.start >= from && i.start < to : i.start < to && i.end > from,
        );
        expect(expandCalendar(cal, from, to)).toEqual(expected);
      }
    },
  );
});

describe("applying a preset to an existing calendar", () => {
  it("replaces only the SHIFT events; everything else expands exactly as before", () => {
    const before = fixture("outlook-berlin.ics");
    const text = replaceShiftEvents(
      fixtureText("outlook-berlin.ics"),
      presetEvents("2x12-dupont", "2026-10-05", "Europe/Berlin"),
      0,
    );
    const after = parsePlantCalendar(text, { file: "edited.ics" });
    const from = at("2026-10-01T00:00:00Z");
    const to = at("2027-01-01T00:00:00Z");
    const others = (cal: typeof before) => expandCalendar(cal, from, to).filter((i) => i.category !== "SHIFT");
    expect(others(after)).toEqual(others(before));
    expect(after.series.filter((s) => s.category === "SHIFT")).toHaveLength(16);
    expect(after.timeZone).toBe("Europe/Berlin");
  });
});
