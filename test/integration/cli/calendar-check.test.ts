import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCliCaptured } from "../../helpers/cli";
import { commandLine, type FlagValue } from "../../helpers/command-line";
import { tempDir } from "../../helpers/temp";

const fixtures = new URL("../../fixtures/calendars/", import.meta.url).pathname;
const f = (name: string) => join(fixtures, name);
const tmp = tempDir();
afterAll(() => tmp.cleanup());

const demo = [f("berlin-assembly.ics"), f("chicago-packaging.ics"), f("pune-machining.ics")];

/** `shiftgate calendar check` with these flags, run in-process. */
const check = (flags: Record<string, FlagValue>) => runCliCaptured(commandLine(["calendar", "check"], flags));
/** `shiftgate calendar next-window` with these flags, run in-process. */
const nextWindow = (flags: Record<string, FlagValue>) =>
  runCliCaptured(commandLine(["calendar", "next-window"], flags));

describe("shiftgate calendar check", () => {
  it("exits 0 inside maintenance, 1 over a shift change; both flag styles work", async () => {
    const ok = await check({
      ics: demo,
      plant: "berlin assembly",
      window: "2026-12-05T10:00:00+01:00/2026-12-05T12:00:00+01:00",
      json: true,
    });
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toEqual({ ok: true, conflicts: [] });
    // The other flag style, each value after a flag of its own, spelled out.
    const bad = await runCliCaptured([
      "calendar",
      "check",
      "--ics",
      demo[0] ?? "",
      "--ics",
      demo[1] ?? "",
      "--plant",
      "Berlin Assembly",
      "--plant",
      "Chicago Packaging",
      "--window",
      "2026-12-01T13:00:00+01:00/2026-12-01T15:00:00+01:00",
      "--buffer",
      "PT15M",
      "--json",
    ]);
    expect(bad.code).toBe(1);
    const out = JSON.parse(bad.stdout) as { ok: boolean; conflicts: { kind: string; plant: string }[] };
    expect(out.ok).toBe(false);
    expect(out.conflicts.map((c) => `${c.kind} ${c.plant}`)).toEqual([
      "shift-change Chicago Packaging",
      "shift-change Berlin Assembly",
      "outside-maintenance Berlin Assembly",
      "outside-maintenance Chicago Packaging",
      "shift-change Berlin Assembly",
      "shift-change Chicago Packaging",
    ]);
  });

  it("an outside-maintenance warning alone exits 0 (the 17:30 shift end is 31 minutes before)", async () => {
    const r = await check({
      ics: f("pune-machining.ics"),
      plant: "Pune Machining",
      window: "2026-12-01T18:01:00+05:30/2026-12-01T20:00:00+05:30",
      json: true,
    });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      ok: true,
      conflicts: [
        {
          kind: "outside-maintenance",
          plant: "Pune Machining",
          with: null,
          start: "2026-12-01T18:01:00+05:30",
          end: "2026-12-01T20:00:00+05:30",
        },
      ],
    });
  });

  it("blackouts, collisions and double-booking from --changes", async () => {
    const changes = join(tmp.dir, "changes.json");
    writeFileSync(
      changes,
      JSON.stringify([
        {
          id: "CHG-2026-1",
          plants: ["Pune Machining"],
          start: "2026-12-31T10:00:00+05:30",
          end: "2026-12-31T11:00:00+05:30",
          area: "mrp",
          environment: "qa",
          implementer: "x@plant.example",
        },
        {
          id: "CHG-2026-2",
          plants: ["Berlin Assembly"],
          start: "2026-12-31T06:00:00+01:00",
          end: "2026-12-31T07:00:00+01:00",
          area: "bom",
          environment: "qa",
          implementer: "lena.weber@plant.example",
        },
      ]),
    );
    const r = await check({
      ics: demo,
      plant: "Pune Machining",
      window: "2026-12-31T10:30:00+05:30/2026-12-31T11:30:00+05:30",
      area: "MRP",
      implementer: "Lena.Weber@plant.example",
      changes,
      json: true,
    });
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).conflicts).toEqual(
      [
        {
          kind: "blackout",
          plant: "Pune Machining",
          with: "pune-month-end-close@shiftgate-demo",
          start: "2026-12-31T00:00:00+05:30",
          end: "2027-01-01T00:00:00+05:30",
        },
        {
          kind: "outside-maintenance",
          plant: "Pune Machining",
          with: null,
          start: "2026-12-31T10:30:00+05:30",
          end: "2026-12-31T11:30:00+05:30",
        },
        {
          kind: "double-booked",
          plant: null,
          with: "CHG-2026-2",
          start: "2026-12-31T10:30:00+05:30",
          end: "2026-12-31T11:30:00+05:30",
        },
        {
          kind: "collision",
          plant: "Pune Machining",
          with: "CHG-2026-1",
          start: "2026-12-31T10:00:00+05:30",
          end: "2026-12-31T11:00:00+05:30",
        },
      ].sort((a, b) => Date.parse(a.start) - Date.parse(b.start) || a.kind.localeCompare(b.kind)),
    );
  });

  it("exits 2 naming the file on an unknown plant or a broken changes file", async () => {
    const broken = join(tmp.dir, "broken.json");
    writeFileSync(
      broken,
      '[{"id": "X", "plants": ["Pune Machining"], "start": "soon", "end": "2026-12-31T11:00:00Z"}]',
    );
    const a = await check({ ics: demo, plant: "Atlantis", window: "2026-12-01T10:00:00Z/2026-12-01T11:00:00Z" });
    expect([a.code, a.stderr]).toEqual([
      2,
      expect.stringContaining("Unknown plant 'Atlantis'; known plants: berlin-assembly (Berlin Assembly)"),
    ]);
    const b = await check({
      ics: demo,
      plant: "Pune Machining",
      window: "2026-12-01T10:00:00Z/2026-12-01T11:00:00Z",
      changes: broken,
    });
    expect([b.code, b.stderr]).toEqual([
      2,
      expect.stringContaining('broken.json: change 1 (X): "start" is not an RFC 3339 time'),
    ]);
    const c = await check({
      ics: [f("broken.ics"), f("rules.ics")],
      plant: "Rules Plant",
      window: "2026-12-01T10:00:00Z/2026-12-01T11:00:00Z",
    });
    expect([c.code, c.stderr]).toEqual([2, expect.stringContaining("broken.ics, line 17:")]);
  });
});

describe("shiftgate calendar next-window", () => {
  it("finds the earliest window inside maintenance at every plant", async () => {
    const r = await nextWindow({
      ics: demo,
      plant: ["Berlin Assembly", "Chicago Packaging"],
      duration: "1h30m",
      after: "2026-11-30T09:00:00+01:00",
      json: true,
    });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      start: "2026-12-06T15:00:00+01:00",
      end: "2026-12-06T16:30:00+01:00",
      inMaintenance: true,
    });
  });

  it("accepts every duration form and refuses a bad one", async () => {
    const pune = { ics: f("pune-machining.ics"), plant: "Pune Machining" };
    for (const d of ["90m", "2h", "PT2H"]) {
      const r = await nextWindow({ ...pune, duration: d, after: "2026-11-30T09:00:00+05:30", json: true });
      expect(r.code, d).toBe(0);
      expect(JSON.parse(r.stdout)).toMatchObject({ start: "2026-12-06T10:00:00+05:30", inMaintenance: true });
    }
    const bad = await nextWindow({ ...pune, duration: "a while", after: "2026-11-30T09:00:00+05:30" });
    expect([bad.code, bad.stderr]).toEqual([2, expect.stringContaining("--duration")]);
  });
});
