import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { seedDemoPlants } from "../../../electron/core/calendar/demo-plants";
import { fixedClock } from "../../../electron/core/clock";
import { tempCore } from "../../helpers/temp";
import { actAs } from "../approvals/support";

const fixture = (name: string) => readFileSync(new URL(`../../fixtures/calendars/${name}`, import.meta.url), "utf8");
const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

async function core() {
  const t = await tempCore({ demo: false });
  cleanups.push(t.cleanup);
  return t.core;
}

// Replacing or removing a plant's calendar needs a policy-admin (or that plant's leader): the demo register's
// roster vouches for the demo policy-admin while no GitOps working copy exists (calendar-rights.ts).
async function adminCore() {
  const t = await tempCore({});
  cleanups.push(t.cleanup);
  await actAs(t.core, "olivia.brown@plant.example");
  return t.core;
}

describe("calendar contract methods", () => {
  it("imports a plant, lists, exports unchanged and refuses a broken file whole", async () => {
    const c = await core();
    const ics = fixture("chicago-nights.ics");
    const imported = await c.call("plant.import", { ics, fileName: "chicago-nights.ics" });
    expect(imported).toMatchObject({
      ok: true,
      value: { id: "chicago-nights", name: "Chicago Nights", timeZone: "America/Chicago" },
    });
    const again = await c.call("plant.import", { ics });
    expect(again).toMatchObject({ ok: false, error: { code: "conflict" } });
    const broken = await c.call("plant.import", { ics: fixture("broken.ics"), fileName: "broken.ics" });
    expect(broken).toMatchObject({
      ok: false,
      error: { code: "calendar-invalid", details: { file: "broken.ics", line: 17 } },
    });
    const list = await c.call("plant.list", {});
    expect(list.ok && (list.value as unknown[]).length).toBe(1);
    const exported = await c.call("plant.export", { plant: "chicago nights" });
    expect(exported).toMatchObject({ ok: true, value: { fileName: "chicago-nights.ics", ics } });
  });

  it("seeds the demo plants and answers expand, check, next window and sync windows", async () => {
    const c = await core();
    c.services.register.db.transaction(() =>
      seedDemoPlants(c.services.register.db, fixedClock("2026-11-30T08:00:00Z")),
    )();
    expect(seedDemoPlants(c.services.register.db, fixedClock("2026-11-30T08:00:00Z"))).toEqual({ plants: 0 });
    const expand = await c.call("calendar.expand", { from: "2026-12-05T00:00:00Z", to: "2026-12-06T00:00:00Z" });
    expect(expand.ok).toBe(true);
    const check = await c.call("calendar.check", {
      plants: ["berlin", "Chicago Packaging"],
      start: "2026-11-30T13:50:00+01:00",
      end: "2026-11-30T15:00:00+01:00",
      area: "mrp",
      changes: [
        {
          id: "CHG-1",
          plants: ["chicago"],
          start: "2026-11-30T14:00:00+01:00",
          end: "2026-11-30T16:00:00+01:00",
          area: "mrp",
        },
      ],
    });
    expect(check.ok).toBe(true);
    if (check.ok) {
      const value = check.value as { ok: boolean; conflicts: { kind: string; plant: string | null }[] };
      expect(value.ok).toBe(false);
      expect(value.conflicts.map((x) => `${x.kind}:${x.plant}`)).toEqual(
        expect.arrayContaining(["shift-change:Berlin Assembly", "collision:Chicago Packaging"]),
      );
    }
    const next = await c.call("calendar.nextWindow", {
      plants: ["berlin", "chicago"],
      duration: "2h",
      after: "2026-11-30T09:00:00+01:00",
    });
    expect(next).toEqual({
      ok: true,
      value: { start: "2026-12-06T15:00:00+01:00", end: "2026-12-06T17:00:00+01:00", inMaintenance: true },
    });
    // No policy names the Argo CD applications serving Chicago here: no window may hold every application instead.
    const windows = await c.call("calendar.syncWindows", { plants: ["chicago"] });
    expect(windows).toMatchObject({
      ok: true,
      value: { syncWindows: [], warnings: [expect.stringContaining("Plant chicago: no Argo CD applications")] },
    });
  });

  it("applies a preset to a new plant and to an existing one, keeping its blackouts", async () => {
    const c = await adminCore();
    const presets = await c.call("calendar.presets", {});
    expect(presets.ok && (presets.value as { id: string }[]).map((p) => p.id)).toEqual(
      expect.arrayContaining(["3x8-five-day", "3x8-continental", "2x12-dupont", "2x12-pitman", "4-on-4-off"]),
    );
    const made = await c.call("plant.applyPreset", {
      preset: "2x12-pitman",
      plant: "Leeds Bottling",
      timeZone: "Europe/London",
      anchor: "2026-01-05",
    });
    expect(made).toMatchObject({ ok: true, value: { id: "leeds-bottling", eventCount: 8 } });
    await c.call("plant.import", { ics: fixture("berlin-nights.ics") });
    const changed = await c.call("plant.applyPreset", {
      preset: "4-on-4-off",
      plant: "berlin nights",
      anchor: "2026-01-05",
    });
    expect(changed).toMatchObject({ ok: true, value: { eventCount: 17 } });
    const exported = await c.call("plant.export", { plant: "berlin-nights" });
    expect(exported.ok && (exported.value as { ics: string }).ics).toContain("weekend@berlin");
  });
});

describe("plant removal and the change feed", () => {
  it("tombstones a plant and frees its name; writes a feed of changes", async () => {
    const c = await adminCore();
    await c.call("plant.import", { ics: fixture("rules.ics") });
    expect(await c.call("plant.remove", { plant: "rules plant", reason: "closed" })).toMatchObject({
      ok: true,
      value: { id: "rules-plant" },
    });
    expect(await c.call("plant.get", { plant: "rules-plant" })).toMatchObject({
      ok: false,
      error: { code: "not-found" },
    });
    expect(await c.call("plant.import", { ics: fixture("rules.ics") })).toMatchObject({
      ok: true,
      value: { id: "rules-plant-2" },
    });
    const feed = await c.call("calendar.feed", {
      name: "Berlin Assembly changes",
      changes: [
        {
          id: "CHG-2026-3",
          title: "MRP patch",
          start: "2026-12-05T08:00:00+01:00",
          end: "2026-12-05T09:00:00+01:00",
          plants: ["berlin"],
          status: "scheduled",
        },
      ],
    });
    expect(feed).toMatchObject({ ok: true, value: { fileName: "berlin-assembly-changes.ics" } });
    expect(feed.ok && (feed.value as { ics: string }).ics).toContain("DTSTART:20261205T070000Z");
  });
});
