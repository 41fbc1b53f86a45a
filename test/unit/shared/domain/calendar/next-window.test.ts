import { describe, expect, it } from "vitest";
import {
  buildContext,
  DAY,
  findNextWindow,
  formatInstant,
  HOUR,
  MINUTE,
  type PlannedChange,
  parsePlantCalendar,
} from "../../../../../shared/domain/calendar/index";
import { at, calendar, fixture } from "./helpers";

const plant = parsePlantCalendar(
  calendar(
    "Europe/Berlin",
    [
      ["early", "SHIFT", "20261130T060000", "20261130T140000", "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"],
      ["late", "SHIFT", "20261130T140000", "20261130T220000", "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"],
      ["close", "BLACKOUT", "20261130T220000", "20261201T060000", null],
      ["weekend", "MAINTENANCE", "20261205T080000", "20261205T120000", "FREQ=WEEKLY"],
    ].flatMap(([uid, cat, s, e, rule]) => [
      "BEGIN:VEVENT",
      `UID:${uid}`,
      `CATEGORIES:${cat}`,
      `DTSTART;TZID=Europe/Berlin:${s}`,
      `DTEND;TZID=Europe/Berlin:${e}`,
      ...(rule ? [`RRULE:${rule}`] : []),
      "END:VEVENT",
    ]),
    "Plant",
  ),
);

function next(
  after: string,
  duration: number,
  changes: PlannedChange[] = [],
  extra: Record<string, string> = {},
  prefer?: number,
) {
  const a = at(after);
  const ctx = buildContext([plant], a - DAY, a + 400 * DAY, changes, 30 * MINUTE);
  const r = findNextWindow(ctx, {
    plants: ["plant"],
    durationMs: duration,
    after: a,
    preferMaintenanceWithinMs: prefer,
    ...extra,
  });
  return (
    r && {
      start: formatInstant(plant.zone, r.start),
      end: formatInstant(plant.zone, r.end),
      inMaintenance: r.inMaintenance,
    }
  );
}

describe("next safe window", () => {
  it("prefers a maintenance window that starts within 14 days", () => {
    expect(next("2026-12-01T09:00:00+01:00", 2 * HOUR)).toEqual({
      start: "2026-12-05T08:00:00+01:00",
      end: "2026-12-05T10:00:00+01:00",
      inMaintenance: true,
    });
  });

  it("without a maintenance window in reach, takes the earliest blocking-free window (to the minute)", () => {
    // After the blackout ends at 06:00 the 06:00 shift change still blocks until 06:30 (inclusive): 06:31.
    expect(next("2026-11-30T21:00:00+01:00", HOUR, [], {}, 0)).toEqual({
      start: "2026-12-01T06:31:00+01:00",
      end: "2026-12-01T07:31:00+01:00",
      inMaintenance: false,
    });
  });

  it("a window may end exactly when the buffer before a shift change begins", () => {
    expect(next("2026-12-01T12:00:00+01:00", HOUR, [], {}, 0)).toEqual({
      start: "2026-12-01T12:00:00+01:00",
      end: "2026-12-01T13:00:00+01:00",
      inMaintenance: false,
    });
    expect(next("2026-12-01T12:31:00+01:00", HOUR, [], {}, 0)?.start).toBe("2026-12-01T14:31:00+01:00");
  });

  it("avoids colliding changes and the implementer's other changes", () => {
    const changes: PlannedChange[] = [
      {
        id: "X",
        plants: ["Plant"],
        start: at("2026-12-05T08:00:00+01:00"),
        end: at("2026-12-05T09:00:00+01:00"),
        area: "mrp",
      },
      {
        id: "Y",
        plants: ["Elsewhere"],
        start: at("2026-12-05T09:00:00+01:00"),
        end: at("2026-12-05T09:30:00+01:00"),
        implementer: "me@x",
      },
    ];
    expect(next("2026-12-01T09:00:00+01:00", 2 * HOUR, changes, { area: "mrp", implementer: "ME@x" })).toEqual({
      start: "2026-12-05T09:30:00+01:00",
      end: "2026-12-05T11:30:00+01:00",
      inMaintenance: true,
    });
  });

  it("a window longer than any maintenance instance falls back to the earliest safe one", () => {
    expect(next("2026-12-04T22:00:00+01:00", 5 * HOUR)).toEqual({
      start: "2026-12-04T22:31:00+01:00",
      end: "2026-12-05T03:31:00+01:00",
      inMaintenance: false,
    });
  });

  it("needs every named plant in maintenance at once, across zones", () => {
    const berlin = fixture("berlin-assembly.ics");
    const chicago = fixture("chicago-packaging.ics");
    const a = at("2026-11-30T09:00:00+01:00");
    const ctx = buildContext([berlin, chicago], a - DAY, a + 400 * DAY, [], 30 * MINUTE);
    const r = findNextWindow(ctx, { plants: ["Berlin Assembly", "Chicago Packaging"], durationMs: 2 * HOUR, after: a });
    expect(r && [formatInstant(chicago.zone, r.start), r.inMaintenance]).toEqual(["2026-12-06T08:00:00-06:00", true]);
  });
});
