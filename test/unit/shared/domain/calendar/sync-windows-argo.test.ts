import { describe, expect, it } from "vitest";
import {
  type ArgoSyncWindow,
  argoSyncWindows,
  type CalendarInstance,
  DAY,
  demoPlantIcs,
  expandCalendar,
  type PlantCalendar,
  parsePlantCalendar,
  perInstanceHorizon,
} from "../../../../../shared/domain/calendar/index";
import { DEMO_PLANTS } from "../../../../../shared/domain/demo/roster";
import { argoWindowActive } from "../../../../helpers/argo-sync-window";
import { at, calendar } from "./helpers";

const MINUTE = 60_000;
const SCOPE = { applications: ["odoo-*"] };

function demo(id: string): PlantCalendar {
  const plant = DEMO_PLANTS.find((p) => p.id === id);
  if (!plant) throw new Error(id);
  return parsePlantCalendar(demoPlantIcs(plant, at("2026-11-01T00:00:00Z")), { file: `${id}.ics` });
}

const publish = (cal: PlantCalendar, now: number) =>
  argoSyncWindows([{ plant: "p", calendar: cal, scope: SCOPE }], now);

const inside = (instances: readonly CalendarInstance[], t: number) => instances.some((i) => i.start <= t && t < i.end);

/**
 * The instants in [from, to) where Argo CD's evaluation of the windows and the calendar (as `calendar expand` gives
 * it) disagree: a deny window active exactly inside blackouts, an allow window exactly inside maintenance. Sampled
 * 30 s into each step: Argo's window is open on (start, end) and the calendar's on [start, end), which differ only at
 * the start instant itself.
 */
function disagreements(windows: readonly ArgoSyncWindow[], cal: PlantCalendar, from: number, to: number, step: number) {
  const instances = expandCalendar(cal, from - 3 * DAY, to + 3 * DAY);
  const blackouts = instances.filter((i) => i.category === "BLACKOUT");
  const maintenance = instances.filter((i) => i.category === "MAINTENANCE");
  const out: string[] = [];
  for (let t = from + 30_000; t < to; t += step) {
    const deny = windows.some((w) => w.kind === "deny" && argoWindowActive(w, t));
    const allow = windows.some((w) => w.kind === "allow" && argoWindowActive(w, t));
    if (deny !== inside(blackouts, t)) out.push(`${new Date(t).toISOString()} deny ${deny}`);
    if (allow !== inside(maintenance, t)) out.push(`${new Date(t).toISOString()} allow ${allow}`);
  }
  return out;
}

// Both DST nights of 2027 in each zone (Berlin switches at 01:00 UTC, Chicago at 02:00 local).
const DST_NIGHTS = [
  ["berlin", "2027-03-28T01:00:00Z"],
  ["berlin", "2027-10-31T01:00:00Z"],
  ["chicago", "2027-03-14T08:00:00Z"],
  ["chicago", "2027-11-07T07:00:00Z"],
] as const;

describe("Argo CD's evaluation of the published windows against the calendar", () => {
  it.each(DST_NIGHTS)("agrees minute by minute across the DST night of %s at %s", (plant, night) => {
    const cal = demo(plant);
    const switchAt = at(night);
    // Published a month before, as the scheduled republish would have.
    const plan = publish(cal, switchAt - 30 * DAY);
    expect(plan.warnings).toEqual([]);
    expect(disagreements(plan.windows, cal, switchAt - 2 * DAY, switchAt + 2 * DAY, MINUTE)).toEqual([]);
  });

  it.each(["berlin", "chicago"])("agrees over a whole year for %s, republished every month", (plant) => {
    const cal = demo(plant);
    const found: string[] = [];
    for (let month = 0; month < 12; month++) {
      const from = Date.UTC(2027, month, 1);
      const plan = publish(cal, from);
      found.push(...disagreements(plan.windows, cal, from, Date.UTC(2027, month + 1, 1), 15 * MINUTE));
    }
    expect(found).toEqual([]);
  });

  it("one publish stays exact for its whole 11-month horizon, series by cron and the rest per instance", () => {
    const cal = demo("berlin");
    const now = at("2026-12-04T09:00:00Z");
    const plan = publish(cal, now);
    const maintenance = plan.windows.filter((w) => w.kind === "allow");
    // Saturday 08:00 to Sunday 20:00 on the wall clock: 36 h even when a DST night makes it 35 or 37 elapsed.
    expect(maintenance).toEqual([
      {
        kind: "allow",
        schedule: "0 8 * * 6",
        duration: "36h",
        timeZone: "Europe/Berlin",
        applications: ["odoo-*"],
        manualSync: true,
        description: "shiftgate: p: Weekend maintenance",
      },
    ]);
    const closes = plan.windows.filter((w) => w.kind === "deny");
    expect(closes.every((w) => w.manualSync === true && /^0 0 \d+ \d+ \*$/.test(w.schedule))).toBe(true);
    expect(closes.length).toBeLessThanOrEqual(12);
    expect(disagreements(plan.windows, cal, now, perInstanceHorizon(now), 15 * MINUTE)).toEqual([]);
  });

  it("writes a nightly window across DST nights as one cron with its wall-clock length", () => {
    for (const zone of ["Europe/Berlin", "America/Chicago"]) {
      const cal = parsePlantCalendar(
        calendar(zone, [
          "BEGIN:VEVENT",
          "UID:night",
          "SUMMARY:Night freeze",
          "CATEGORIES:BLACKOUT",
          `DTSTART;TZID=${zone}:20260105T220000`,
          `DTEND;TZID=${zone}:20260106T060000`,
          "RRULE:FREQ=DAILY",
          "END:VEVENT",
        ]),
      );
      const plan = publish(cal, at("2027-01-01T00:00:00Z"));
      expect(plan.windows).toEqual([
        expect.objectContaining({ kind: "deny", schedule: "0 22 * * *", duration: "8h", timeZone: zone }),
      ]);
      for (const [, night] of DST_NIGHTS.filter(([p]) => (zone === "Europe/Berlin") === (p === "berlin"))) {
        const t = at(night);
        expect(disagreements(plan.windows, cal, t - DAY, t + DAY, MINUTE)).toEqual([]);
      }
    }
  });

  it("warns where Argo cannot follow the calendar (a start in the spring-forward gap) and differs only there", () => {
    const cal = parsePlantCalendar(
      calendar("Europe/Berlin", [
        "BEGIN:VEVENT",
        "UID:early",
        "SUMMARY:Early maintenance",
        "CATEGORIES:MAINTENANCE",
        "DTSTART;TZID=Europe/Berlin:20260105T023000",
        "DTEND;TZID=Europe/Berlin:20260105T040000",
        "RRULE:FREQ=DAILY",
        "END:VEVENT",
      ]),
    );
    const plan = publish(cal, at("2027-01-01T00:00:00Z"));
    expect(plan.windows).toHaveLength(1);
    expect(plan.warnings.join("\n")).toContain('"Early maintenance" starts at 2027-03-28 02:30 (Europe/Berlin)');
    expect(plan.warnings.join("\n")).toContain("2027-10-31 02:30");
    const days = disagreements(
      plan.windows,
      cal,
      at("2027-01-01T00:00:00Z"),
      at("2028-01-01T00:00:00Z"),
      15 * MINUTE,
    ).map((d) => d.slice(0, 10));
    expect(new Set(days)).toEqual(new Set(["2027-03-28", "2027-10-31"]));
  });
});
