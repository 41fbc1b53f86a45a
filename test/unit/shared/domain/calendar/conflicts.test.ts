import { describe, expect, it } from "vitest";
import {
  buildContext,
  type CalendarInstance,
  checkWindow,
  conflictContext,
  expandCalendar,
  HOUR,
  indexPlant,
  MINUTE,
  type PlannedChange,
  parsePlantCalendar,
} from "../../../../../shared/domain/calendar/index";
import { ianaZone } from "../../../../../shared/domain/calendar/zone";
import { allPairsCheck } from "../../../../bench/calendar-all-pairs";
import { at, calendar, fixture } from "./helpers";

const berlin = parsePlantCalendar(
  calendar(
    "Europe/Berlin",
    [
      "BEGIN:VEVENT",
      "UID:early",
      "CATEGORIES:SHIFT",
      "DTSTART;TZID=Europe/Berlin:20261130T060000",
      "DTEND;TZID=Europe/Berlin:20261130T140000",
      "RRULE:FREQ=DAILY",
      "END:VEVENT",
      "BEGIN:VEVENT",
      "UID:close",
      "CATEGORIES:BLACKOUT",
      "DTSTART;TZID=Europe/Berlin:20261201T140000",
      "DTEND;TZID=Europe/Berlin:20261201T180000",
      "END:VEVENT",
      "BEGIN:VEVENT",
      "UID:maint",
      "CATEGORIES:MAINTENANCE",
      "DTSTART;TZID=Europe/Berlin:20261201T080000",
      "DTEND;TZID=Europe/Berlin:20261201T120000",
      "END:VEVENT",
    ],
    "Berlin",
  ),
);
const chicago = fixture("chicago-nights.ics");
const BUFFER = 30 * MINUTE;

function check(
  start: string,
  end: string,
  extra: Partial<Parameters<typeof checkWindow>[1]> = {},
  changes: PlannedChange[] = [],
) {
  const ctx = buildContext([berlin, chicago], at(start) - 2 * 86_400_000, at(end) + 2 * 86_400_000, changes, BUFFER);
  return checkWindow(ctx, { plants: ["berlin"], start: at(start), end: at(end), ...extra });
}

describe("conflict rules (half-open intervals)", () => {
  it("a window ending when a blackout starts does not overlap it; one a minute longer does", () => {
    expect(check("2026-12-01T13:00:00+01:00", "2026-12-01T14:00:00+01:00").conflicts.map((c) => c.kind)).not.toContain(
      "blackout",
    );
    const hit = check("2026-12-01T13:00:00+01:00", "2026-12-01T14:01:00+01:00");
    expect(hit.ok).toBe(false);
    expect(hit.conflicts.filter((c) => c.kind === "blackout")).toEqual([
      {
        kind: "blackout",
        plant: "Berlin",
        with: "close",
        start: at("2026-12-01T14:00:00+01:00"),
        end: at("2026-12-01T18:00:00+01:00"),
      },
    ]);
  });

  it("shift change inside [start - buffer, end + buffer) blocks; exactly at end + buffer does not", () => {
    // Shift change at 14:00: a window ending 13:30 puts end+buffer at 14:00, outside the half-open range.
    expect(check("2026-12-02T11:00:00+01:00", "2026-12-02T13:30:00+01:00").ok).toBe(true);
    const r = check("2026-12-02T11:00:00+01:00", "2026-12-02T13:31:00+01:00");
    expect(r.ok).toBe(false);
    expect(r.conflicts[0]).toMatchObject({ kind: "shift-change", with: "early" });
    // start - buffer = 06:00 exactly: the shift start counts.
    expect(check("2026-12-02T06:30:00+01:00", "2026-12-02T07:00:00+01:00").ok).toBe(false);
    expect(check("2026-12-02T06:31:00+01:00", "2026-12-02T07:00:00+01:00").ok).toBe(true);
  });

  it("outside-maintenance is a warning only", () => {
    const inside = check("2026-12-01T08:00:00+01:00", "2026-12-01T12:00:00+01:00", {}).conflicts.map((c) => c.kind);
    expect(inside).not.toContain("outside-maintenance");
    const r = check("2026-12-02T08:00:00+01:00", "2026-12-02T09:00:00+01:00");
    expect(r).toEqual({
      ok: true,
      conflicts: [expect.objectContaining({ kind: "outside-maintenance", plant: "Berlin", with: null })],
    });
  });

  it("collision needs a shared plant and area or environment; double-booking needs the same implementer", () => {
    const changes: PlannedChange[] = [
      {
        id: "A",
        plants: ["BERLIN"],
        start: at("2026-12-02T08:00:00+01:00"),
        end: at("2026-12-02T10:00:00+01:00"),
        area: "mrp",
      },
      {
        id: "B",
        plants: ["Chicago Nights"],
        start: at("2026-12-02T08:00:00+01:00"),
        end: at("2026-12-02T10:00:00+01:00"),
        area: "mrp",
      },
      {
        id: "C",
        plants: ["berlin"],
        start: at("2026-12-02T10:00:00+01:00"),
        end: at("2026-12-02T11:00:00+01:00"),
        environment: "production",
      },
      {
        id: "D",
        plants: ["Chicago Nights"],
        start: at("2026-12-02T09:30:00+01:00"),
        end: at("2026-12-02T12:00:00+01:00"),
        implementer: "Lena@plant.example",
      },
    ];
    const r = check(
      "2026-12-02T09:00:00+01:00",
      "2026-12-02T10:00:00+01:00",
      { area: "MRP", environment: "production", implementer: "lena@plant.example" },
      changes,
    );
    expect(
      r.conflicts.filter((c) => c.kind !== "outside-maintenance").map((c) => `${c.kind}:${c.with}:${c.plant}`),
    ).toEqual(["collision:A:Berlin", "double-booked:D:null"]);
    const self = check("2026-12-02T09:00:00+01:00", "2026-12-02T10:00:00+01:00", { id: "A", area: "mrp" }, changes);
    expect(self.ok).toBe(true);
  });

  it("checks several plants in different zones at once", () => {
    const ctx = buildContext([berlin, chicago], at("2026-12-01T00:00:00Z"), at("2026-12-04T00:00:00Z"), [], BUFFER);
    // 13:00 Chicago = 20:00 Berlin: Chicago's 19:00/07:00 changes are far, Berlin's 14:00 end is far.
    const ok = checkWindow(ctx, {
      plants: ["Berlin", "chicago nights"],
      start: at("2026-12-02T20:00:00+01:00"),
      end: at("2026-12-02T21:00:00+01:00"),
    });
    expect(ok.ok).toBe(true);
    // 18:45 Chicago: the 19:00 shift change is within the buffer.
    const bad = checkWindow(ctx, {
      plants: ["Berlin", "chicago nights"],
      start: at("2026-12-02T18:00:00-06:00"),
      end: at("2026-12-02T18:45:00-06:00"),
    });
    expect(bad.conflicts.filter((c) => c.kind === "shift-change").map((c) => c.plant)).toEqual([
      "Chicago Nights",
      "Chicago Nights",
    ]);
    expect(() => checkWindow(ctx, { plants: ["Nowhere"], start: 0, end: 1 })).toThrow(
      /no calendar for plant "Nowhere"/,
    );
  });

  it("agrees with the all-pairs check on random windows and changes", () => {
    let seed = 42;
    // mulberry32: a small deterministic generator (an LCG in doubles loses its low bits and cycles early).
    const rnd = () => {
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
    };
    const from = at("2026-12-01T00:00:00Z");
    const to = from + 20 * 86_400_000;
    const plants = [berlin, chicago].map((c) => ({
      name: c.name ?? "",
      zone: c.zone,
      instances: expandCalendar(c, from, to),
    }));
    const changes: PlannedChange[] = Array.from({ length: 200 }, (_, i) => {
      const start = from + Math.floor(rnd() * 19 * 24) * HOUR + Math.floor(rnd() * 4) * 15 * MINUTE;
      return {
        id: `C${i}`,
        plants: rnd() < 0.5 ? ["Berlin"] : rnd() < 0.5 ? ["Chicago Nights"] : ["Berlin", "Chicago Nights"],
        start,
        end: start + (1 + Math.floor(rnd() * 8)) * 30 * MINUTE,
        area: rnd() < 0.5 ? "mrp" : "bom",
        environment: rnd() < 0.3 ? "production" : "qa",
        implementer: rnd() < 0.5 ? "a@x" : "b@x",
      };
    });
    const ctx = conflictContext(
      plants.map((p) => indexPlant(p.name, p.zone, p.instances)),
      changes,
      BUFFER,
    );
    for (const c of changes) {
      expect(checkWindow(ctx, c)).toEqual(allPairsCheck(plants, changes, c, BUFFER));
    }
  });

  it("indexes zero-length instances and handles plants with no maintenance at all", () => {
    const point: CalendarInstance = {
      uid: "p",
      summary: "",
      category: "BLACKOUT",
      start: 1000,
      end: 1000,
      recurrenceId: null,
    };
    const ctx = conflictContext([indexPlant("P", ianaZone("UTC"), [point])], [], 0);
    expect(checkWindow(ctx, { plants: ["p"], start: 1000, end: 2000 }).conflicts.map((c) => c.kind)).toEqual([
      "blackout",
      "outside-maintenance",
    ]);
    expect(checkWindow(ctx, { plants: ["p"], start: 0, end: 1000 }).ok).toBe(true);
  });
});
