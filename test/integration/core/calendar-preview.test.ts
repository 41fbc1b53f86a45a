import { afterEach, describe, expect, it } from "vitest";
import type { Core } from "../../../electron/core/core";
import type { ExpandResult, PlantDetail, PlantImportPreview } from "../../../shared/contract/methods/calendar";
import { singleBlackoutIcs } from "../../helpers/calendar-replace";
import { tempCore } from "../../helpers/temp";
import { call } from "../approvals/support";
import { contentHash } from "../register/register-fixtures";

// Issue #13 item 8: before a calendar is replaced, the preview says what goes and what comes, by kind, over the
// next 90 days; the expected counts come from calendar.expand over the same range, not from the diff's own code.
const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});
const NOW = "2026-12-01T08:00:00Z"; // tempCore's clock
const IN_90_DAYS = "2027-03-01T08:00:00Z";

async function demoCore(): Promise<Core> {
  const t = await tempCore({});
  cleanups.push(t.cleanup);
  return t.core;
}

async function berlinNow(core: Core, category: string) {
  const expanded = await call(core, "calendar.expand", { plants: ["berlin"], from: NOW, to: IN_90_DAYS });
  const of = (expanded as ExpandResult).instances.filter((i) => i.category === category);
  return { instances: of.length, series: new Set(of.map((i) => i.uid)).size };
}

describe("plant.previewImport", () => {
  it("counts every shift and maintenance window a single-blackout replacement drops, and changes nothing", async () => {
    const core = await demoCore();
    const shifts = await berlinNow(core, "SHIFT");
    const maintenance = await berlinNow(core, "MAINTENANCE");
    const blackouts = await berlinNow(core, "BLACKOUT");
    expect(shifts.instances).toBeGreaterThan(100);
    const before = contentHash(core.services.register.db);

    const preview: PlantImportPreview = await call(core, "plant.previewImport", {
      ics: singleBlackoutIcs("Berlin Assembly", "Europe/Berlin"),
    });

    expect(preview).toMatchObject({ plant: "berlin", name: "Berlin Assembly", timeZone: "Europe/Berlin" });
    expect(preview.diff).toMatchObject({ from: "2026-12-01T09:00:00+01:00", to: "2027-03-01T09:00:00+01:00" });
    expect(preview.diff.unchanged).toBe(false);
    expect(preview.diff.shift).toEqual({
      series: { added: 0, removed: shifts.series, changed: 0, kept: 0 },
      instances: { before: shifts.instances, after: 0, added: 0, removed: shifts.instances },
    });
    expect(preview.diff.maintenance).toEqual({
      series: { added: 0, removed: maintenance.series, changed: 0, kept: 0 },
      instances: { before: maintenance.instances, after: 0, added: 0, removed: maintenance.instances },
    });
    // The one new blackout (24 December) is an addition; the month-end closes it drops are removals.
    expect(preview.diff.blackout).toEqual({
      series: { added: 1, removed: blackouts.series, changed: 0, kept: 0 },
      instances: { before: blackouts.instances, after: 1, added: 1, removed: blackouts.instances },
    });
    expect(contentHash(core.services.register.db)).toBe(before);
  });

  it("re-importing the stored calendar shows no change, a moved shift one changed event, a new plant only additions", async () => {
    const core = await demoCore();
    const berlin = await call(core, "plant.get", { plant: "berlin" });
    const same = await call(core, "plant.previewImport", { ics: (berlin as PlantDetail).ics });
    expect(same.diff.unchanged).toBe(true);
    expect(same.diff.shift.series.kept).toBeGreaterThan(0);

    // Crew A's early shift moved an hour later: one event changed, each of its occurrences lost and gained.
    const early = "3x8-five-day-a-early-1@shiftgate";
    const moved = (berlin as PlantDetail).ics.replace(
      /(UID:3x8-five-day-a-early-1@shiftgate[\s\S]*?DTSTART;TZID=Europe\/Berlin:20260105T)060000(\r?\nDTEND;TZID=Europe\/Berlin:20260105T)140000/,
      "$1070000$2150000",
    );
    expect(moved).not.toBe((berlin as PlantDetail).ics);
    const expanded = (await call(core, "calendar.expand", {
      plants: ["berlin"],
      from: NOW,
      to: IN_90_DAYS,
    })) as ExpandResult;
    const earlies = expanded.instances.filter((i) => i.uid === early).length;
    expect(earlies).toBeGreaterThan(0);
    const shifts = await berlinNow(core, "SHIFT");
    const shifted = await call(core, "plant.previewImport", { ics: moved });
    expect(shifted.diff.shift).toEqual({
      series: { added: 0, removed: 0, changed: 1, kept: shifts.series - 1 },
      instances: { before: shifts.instances, after: shifts.instances, added: earlies, removed: earlies },
    });
    expect(shifted.diff.blackout.series).toMatchObject({ changed: 0, added: 0, removed: 0 });

    const fresh = await call(core, "plant.previewImport", {
      ics: singleBlackoutIcs("Leeds Bottling", "Europe/London"),
    });
    expect(fresh).toMatchObject({ plant: null, name: "Leeds Bottling", allowed: true, refusal: null });
    expect(fresh.diff.blackout.series).toEqual({ added: 1, removed: 0, changed: 0, kept: 0 });
  });
});
