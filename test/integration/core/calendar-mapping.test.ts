import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { PlantImportPreview } from "../../../shared/contract/methods/calendar";
import { runCliCaptured } from "../../helpers/cli";
import { googleExportIcs } from "../../helpers/google-export";
import { tempCore, tempDir } from "../../helpers/temp";
import { contentHash } from "../register/register-fixtures";

// A plain Google or Apple export has no CATEGORIES: imported as it was, every event had no category and the
// Christmas blackout blocked nothing (`calendar check` said ok inside it). The import now says so loudly, refuses a
// calendar with no category at all unless a mapping is given, and writes the mapping's CATEGORIES into the plant.
const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

const GOOGLE = googleExportIcs("Lyon Plant", "Europe/Paris");

const MAPPING = [
  { by: "summary", match: "christmas", as: "BLACKOUT" },
  { by: "summary", match: "shift", as: "SHIFT" },
  { by: "color", match: "tomato", as: "MAINTENANCE" },
] as const;

const IN_XMAS = { start: "2026-12-25T10:00:00+01:00", end: "2026-12-25T12:00:00+01:00" };

async function core() {
  const t = await tempCore({ demo: false });
  cleanups.push(t.cleanup);
  return t.core;
}

describe("importing a calendar without CATEGORIES", () => {
  it("the preview warns loudly and lists what to map; the import without a mapping is refused and changes nothing", async () => {
    const c = await core();
    const preview = await c.call("plant.previewImport", { ics: GOOGLE, fileName: "lyon.ics" });
    expect(preview.ok).toBe(true);
    const p = (preview as { value: PlantImportPreview }).value;
    expect(p.warning).toContain("None of its 3 events has a category");
    expect(p.uncategorised).toEqual({
      count: 3,
      total: 3,
      summaries: [
        { summary: "Christmas shutdown", count: 1 },
        { summary: "Early shift", count: 1 },
        { summary: "Line stop", count: 1 },
      ],
      categories: [],
      colors: ["tomato"],
    });
    const before = contentHash(c.services.register.db);
    const refused = await c.call("plant.import", { ics: GOOGLE, fileName: "lyon.ics" });
    expect(refused).toMatchObject({ ok: false, error: { code: "calendar-invalid" } });
    expect((refused as { error: { message: string } }).error.message).toContain(
      "Map them by summary, category or colour",
    );
    expect(contentHash(c.services.register.db)).toBe(before);
    expect(await c.call("plant.list", {})).toEqual({ ok: true, value: [] });
  });

  it("after mapping by summary and colour, a release inside the Christmas blackout is a conflict", async () => {
    const c = await core();
    const preview = await c.call("plant.previewImport", { ics: GOOGLE, mapping: [...MAPPING] });
    const p = (preview as { value: PlantImportPreview }).value;
    expect([p.warning, p.uncategorised.count]).toEqual([null, 0]);
    expect(p.diff.blackout.series.added).toBe(1);
    expect(p.diff.maintenance.series.added).toBe(1);
    const imported = await c.call("plant.import", { ics: GOOGLE, mapping: [...MAPPING] });
    expect(imported).toMatchObject({ ok: true, value: { name: "Lyon Plant" } });
    const check = await c.call("calendar.check", { plants: ["Lyon Plant"], ...IN_XMAS });
    expect(check).toMatchObject({ ok: true, value: { ok: false } });
    const kinds = (check as { value: { conflicts: { kind: string }[] } }).value.conflicts.map((x) => x.kind);
    expect(kinds).toContain("blackout");
    // The stored calendar carries the categories: the export (and the published file) says BLACKOUT.
    const exported = await c.call("plant.export", { plant: "Lyon Plant" });
    expect((exported as { value: { ics: string } }).value.ics).toContain("CATEGORIES:BLACKOUT");
  });
});

describe("shiftgate calendar check on a Google export", () => {
  it("warns that the calendar blocks nothing; with --map the Christmas blackout is a conflict", async () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const file = join(dir, "lyon.ics");
    writeFileSync(file, GOOGLE);
    const args = [
      "calendar",
      "check",
      "--ics",
      file,
      "--plant",
      "Lyon Plant",
      "--window",
      `${IN_XMAS.start}/${IN_XMAS.end}`,
      "--json",
    ];
    const bare = await runCliCaptured(args);
    expect(bare.code).toBe(0);
    expect(bare.stderr).toContain("none of its 3 events has a category");
    const mapped = await runCliCaptured([...args, "--map", "summary:Christmas=BLACKOUT"]);
    expect(mapped.code).toBe(1);
    expect(JSON.parse(mapped.stdout).conflicts.map((x: { kind: string }) => x.kind)).toContain("blackout");
    const bad = await runCliCaptured([...args, "--map", "title:Christmas=BLACKOUT"]);
    expect(bad.code).toBe(2);
  });
});
