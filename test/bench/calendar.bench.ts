import {
  type ConflictContext,
  checkWindow,
  conflictContext,
  expandCalendar,
  indexPlant,
  MINUTE,
  type PlannedChange,
  type PlantCalendar,
  parsePlantCalendar,
  presetCalendarIcs,
} from "../../shared/domain/calendar/index";
import { allPairsCheck } from "./calendar-all-pairs";
import { type BenchRun, lowerIsBetter, median, medianMs, onceMs } from "./harness";

/** Every change against the calendars and every other change: the full conflict report. */
function conflictReport(ctx: ConflictContext, changes: readonly PlannedChange[]) {
  return changes.map((c) => ({ id: c.id, ...checkWindow(ctx, c) }));
}

// 20 plants in different zones with a year of 3x8 continental shifts (3 shifts a day, every day), 500 blackout and
// maintenance instances between them, and 10,000 planned changes over the same year.

const ZONES = ["Europe/Berlin", "America/Chicago", "Asia/Kolkata", "America/Sao_Paulo", "Australia/Sydney"];
const FROM = Date.parse("2026-01-01T00:00:00Z");
const TO = Date.parse("2027-01-01T00:00:00Z");
const BUFFER = 30 * MINUTE;

function plants(): PlantCalendar[] {
  return Array.from({ length: 20 }, (_, i) => {
    const timeZone = ZONES[i % ZONES.length] ?? "UTC";
    const name = `Plant ${i + 1}`;
    const ics = presetCalendarIcs("3x8-continental", { name, timeZone, anchor: "2025-12-29", stamp: 0 }, [
      // 12 month-end closes + 13 four-weekly maintenance windows = 25 instances a plant, 500 in all.
      {
        uid: `close-${i}`,
        summary: "Month-end close",
        category: "BLACKOUT",
        start: "20260131",
        end: "20260201",
        rrule: "FREQ=MONTHLY;BYMONTHDAY=-1",
      },
      {
        uid: `maint-${i}`,
        summary: "Maintenance",
        category: "MAINTENANCE",
        start: "20260104T080000",
        end: "20260104T160000",
        tzid: timeZone,
        rrule: "FREQ=WEEKLY;INTERVAL=4;COUNT=13",
      },
    ]);
    return parsePlantCalendar(ics, { file: `plant-${i + 1}.ics` });
  });
}

function changes(n: number): PlannedChange[] {
  let seed = 7;
  // mulberry32: a small deterministic generator (an LCG in doubles loses its low bits and cycles early).
  const rnd = () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  return Array.from({ length: n }, (_, i) => {
    const start = FROM + Math.floor(rnd() * 364 * 96) * 15 * MINUTE;
    const plantsOf = Array.from({ length: 1 + Math.floor(rnd() * 3) }, () => `Plant ${1 + Math.floor(rnd() * 20)}`);
    return {
      id: `CHG-2026-${i + 1}`,
      plants: [...new Set(plantsOf)],
      start,
      end: start + (2 + Math.floor(rnd() * 15)) * 15 * MINUTE,
      area: `area-${Math.floor(rnd() * 10)}`,
      environment: `env-${Math.floor(rnd() * 5)}`,
      implementer: `dev${Math.floor(rnd() * 50)}@plant.example`,
    };
  });
}

// The build machines are shared: wall time there includes waiting for a core. CPU time (user + system) of the same
// work is reported beside it so a loaded machine does not hide a regression or invent one.
function medianCpuMs(fn: () => unknown, runs: number): number {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const before = process.cpuUsage();
    fn();
    const used = process.cpuUsage(before);
    samples.push((used.user + used.system) / 1000);
  }
  return median(samples);
}

export const run: BenchRun = async (report) => {
  const calendars = plants();
  const expandAll = () => calendars.map((c) => expandCalendar(c, FROM, TO));
  const expanded = expandAll();
  const instanceCount = expanded.reduce((n, list) => n + list.length, 0);
  const blackoutAndMaintenance = expanded.flat().filter((i) => i.category !== "SHIFT").length;
  console.log(
    `  ${calendars.length} plants, ${instanceCount} instances (${blackoutAndMaintenance} blackout/maintenance)`,
  );
  // Baseline for expansion: the same calendars iterated by ical.js alone (the arithmetic DAILY/WEEKLY path off).
  const viaIcal = calendars.map((c) => ({
    ...c,
    series: c.series.map((s) => (s.rule ? { ...s, rule: { ...s.rule, simple: false } } : s)),
  }));
  const expandMs = await medianMs(expandAll, 21, 3);
  const expandIcalMs = await medianMs(() => viaIcal.map((c) => expandCalendar(c, FROM, TO)), 5, 1);
  report(lowerIsBetter("calendar: expand a year for 20 plants", expandMs, "ms", expandIcalMs, "< 100 ms"));
  report(
    lowerIsBetter("calendar: expand a year for 20 plants (CPU time)", medianCpuMs(expandAll, 11), "ms", expandIcalMs),
  );

  const planned = changes(10_000);
  const plantData = calendars.map((c, i) => ({ name: c.name ?? "", zone: c.zone, instances: expanded[i] ?? [] }));
  const fullReport = () => {
    const ctx = conflictContext(
      plantData.map((p) => indexPlant(p.name, p.zone, p.instances)),
      planned,
      BUFFER,
    );
    return conflictReport(ctx, planned);
  };
  const result = fullReport();
  const reportMs = await medianMs(fullReport, 11, 2);
  let naive: ReturnType<typeof allPairsCheck>[] = [];
  const allPairsMs = await onceMs(() => {
    naive = planned.map((c) => allPairsCheck(plantData, planned, c, BUFFER));
  });
  // The fast report must say exactly what the all-pairs check says.
  const same = result.every(
    (r, i) => JSON.stringify({ ok: r.ok, conflicts: r.conflicts }) === JSON.stringify(naive[i]),
  );
  const conflicts = result.reduce((n, r) => n + r.conflicts.length, 0);
  console.log(
    `  ${planned.length} changes, ${conflicts} conflicts, identical to all-pairs: ${same}; all-pairs ${Math.round(allPairsMs)} ms = ${Math.round(allPairsMs / reportMs)}x`,
  );
  if (!same) throw new Error("the indexed conflict report differs from the all-pairs check");
  report(
    lowerIsBetter(
      "calendar: full conflict report, 10,000 changes",
      reportMs,
      "ms",
      allPairsMs,
      "< 200 ms, ratio <= 0.05",
    ),
  );
  report(lowerIsBetter("calendar: full conflict report (CPU time)", medianCpuMs(fullReport, 11), "ms", allPairsMs));
  const expandPlusReport = await medianMs(
    () => {
      const ex = expandAll();
      const ctx = conflictContext(
        calendars.map((c, i) => indexPlant(c.name ?? "", c.zone, ex[i] ?? [])),
        planned,
        BUFFER,
      );
      return conflictReport(ctx, planned);
    },
    7,
    1,
  );
  report(lowerIsBetter("calendar: expand + full conflict report", expandPlusReport, "ms", allPairsMs));
};
