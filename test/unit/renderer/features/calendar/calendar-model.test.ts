import { enGB } from "date-fns/locale";
import { describe, expect, it } from "vitest";
import {
  buildModel,
  crewOf,
  MAX_ROWS,
  nextSafeWindow,
  parsePlants,
  verdictFor,
} from "../../../../../renderer/features/calendar/calendar-model";
import { createExpansionCache } from "../../../../../renderer/features/calendar/expansion-cache";
import { timeScale } from "../../../../../renderer/features/calendar/time-scale";
import type { ChangeSummary } from "../../../../../shared/contract/index";
import { BERLIN_ICS } from "../../../../e2e/calendar-ics";

function change(
  id: string,
  plants: string[],
  start: string,
  end: string,
  extra: Partial<ChangeSummary> = {},
): ChangeSummary {
  return {
    id,
    number: null,
    title: id,
    type: "normal",
    status: "submitted",
    area: "warehouse",
    plants,
    environment: "production",
    stage: "development",
    risk: "medium",
    riskScore: 5,
    requester: { name: "Lena Weber", email: "lena.weber@plant.example" },
    implementer: null,
    window: { start, end },
    windowPassed: false,
    createdAt: "2026-11-01T00:00:00Z",
    updatedAt: "2026-11-01T00:00:00Z",
    version: 1,
    ...extra,
  };
}

const berlin = { id: "berlin", name: "Berlin Assembly", timeZone: "Europe/Berlin", ics: BERLIN_ICS, source: null };
const week = timeScale("week", Date.parse("2026-12-02T12:00:00Z"), "Europe/Berlin", enGB);

describe("nextSafeWindow", () => {
  it("searches from now, so a free maintenance window before the change's own slot is offered", () => {
    // Friday 11 Dec across Berlin's 22:00 shift change; it is Monday 30 Nov: Saturday 5 Dec's maintenance is free.
    const across = change("ACROSS-22", ["berlin"], "2026-12-11T21:00:00+01:00", "2026-12-11T23:00:00+01:00");
    const model = buildModel(parsePlants([berlin]), [across], week, createExpansionCache());
    const now = Date.parse("2026-11-30T10:00:20+01:00");
    const found = nextSafeWindow(
      model,
      across,
      Date.parse(across.window?.start ?? ""),
      Date.parse(across.window?.end ?? ""),
      now,
    );
    expect(found?.inMaintenance).toBe(true);
    expect(new Date(found?.start ?? 0).toISOString().slice(0, 10)).toBe("2026-12-05");
    expect(found && found.end - found.start).toBe(2 * 3_600_000);
  });
});

describe("buildModel", () => {
  it("judges a window outside maintenance as the core does: a warning, but blocking where Argo CD enforces it", () => {
    // Wednesday mid-morning: no shift change, no blackout, no maintenance window.
    const outside = change("OUTSIDE", ["berlin"], "2026-12-02T10:15:00+01:00", "2026-12-02T10:45:00+01:00");
    const judge = (maintenanceEnforced: boolean) =>
      buildModel(
        parsePlants([{ ...berlin, maintenanceEnforced }]),
        [outside],
        week,
        createExpansionCache(),
      ).verdicts.get("OUTSIDE");
    expect(judge(false)).toMatchObject({ ok: true, conflicts: [{ kind: "outside-maintenance" }] });
    expect(judge(true)).toMatchObject({ ok: false, conflicts: [{ kind: "outside-maintenance" }] });
  });

  it("shows a window longer than the contract's bound as not ok without expanding its span (the view froze)", () => {
    const model = buildModel(
      parsePlants([berlin]),
      [change("FOREVER", ["berlin"], "1999-01-01T00:00:00Z", "9999-12-31T00:00:00Z")],
      week,
      createExpansionCache(),
    );
    expect(model.verdicts.get("FOREVER")).toEqual({ ok: false, conflicts: [] });
  });

  it("draws the week's shifts, blackout and maintenance, and judges each change with the shared engine", () => {
    const model = buildModel(
      parsePlants([berlin]),
      [
        change("ACROSS-22", ["berlin"], "2026-12-04T21:00:00+01:00", "2026-12-04T23:00:00+01:00"),
        change("IN-MAINT", ["berlin"], "2026-12-05T10:00:00+01:00", "2026-12-05T12:00:00+01:00"),
        change("ELSEWHERE", ["lyon"], "2026-12-02T10:00:00+01:00", "2026-12-02T12:00:00+01:00"),
      ],
      week,
      createExpansionCache(),
    );
    const lane = model.lanes.find((l) => l.id === "berlin");
    expect(lane?.shifts.length).toBe(15); // early, late and night, Monday to Friday
    expect(lane?.blackouts.map((b) => b.instance.summary)).toEqual(["November close"]);
    expect(lane?.maintenance.map((m) => m.instance.summary)).toEqual(["Weekend maintenance"]);
    expect(model.verdicts.get("ACROSS-22")?.ok).toBe(false);
    expect(model.verdicts.get("ACROSS-22")?.conflicts.map((c) => c.kind)).toContain("shift-change");
    expect(model.verdicts.get("IN-MAINT")).toEqual({ ok: true, conflicts: [] });
    // A plant with no calendar still gets its lane, saying so, and its change is not judged against nothing.
    const lyon = model.lanes.find((l) => l.id === "lyon");
    expect(lyon?.error).toMatch(/no calendar/i);
    expect(model.verdicts.get("ELSEWHERE")).toEqual({ ok: true, conflicts: [] });
  });

  it("stacks overlapping changes in rows and previews a moved window beyond the period", () => {
    const model = buildModel(
      parsePlants([berlin]),
      [
        change("A", ["berlin"], "2026-12-02T10:00:00+01:00", "2026-12-02T12:00:00+01:00"),
        change("B", ["berlin"], "2026-12-02T11:00:00+01:00", "2026-12-02T13:00:00+01:00"),
      ],
      week,
      createExpansionCache(),
    );
    const rows = model.lanes[0]?.bars.map((b) => [b.change.id, b.row]);
    expect(rows).toEqual([
      ["A", 0],
      ["B", 1],
    ]);
    const a = model.changes.get("A");
    if (!a) throw new Error("no A");
    // Next week's Friday 21:00–23:00 is outside the built period: the view reaches for a wider context.
    const later = verdictFor(model, a, Date.parse("2026-12-11T20:00:00Z"), Date.parse("2026-12-11T22:00:00Z"));
    expect(later.conflicts.map((c) => c.kind)).toContain("shift-change");
  });

  it("draws at most MAX_ROWS rows of bars in a lane; the rest are listed by start for the '+N changes' chips", () => {
    // Ten changes on Wednesday at the same hours, and one stored 1999 → 9999 that must still be drawn, clipped.
    const crowd = Array.from({ length: 10 }, (_, n) =>
      change(
        `C${n}`,
        ["berlin"],
        `2026-12-02T${String(8 + n).padStart(2, "0")}:00:00+01:00`,
        "2026-12-02T20:00:00+01:00",
      ),
    );
    const model = buildModel(
      parsePlants([berlin]),
      [...crowd, change("FOREVER", ["berlin"], "1999-01-01T00:00:00Z", "9999-12-31T00:00:00Z")],
      week,
      createExpansionCache(),
    );
    const lane = model.lanes.find((l) => l.id === "berlin");
    expect(lane?.rows).toBe(MAX_ROWS);
    expect(lane?.bars.map((b) => b.change.id)).toEqual(["FOREVER", "C0", "C1", "C2"]);
    expect(lane?.overflow.map((b) => b.change.id)).toEqual(["C3", "C4", "C5", "C6", "C7", "C8", "C9"]);
    // Only drawn bars are judged up front; a listed change keeps its window for judging when its list opens.
    expect([...model.verdicts.keys()].sort()).toEqual(["C0", "C1", "C2", "FOREVER"]);
    expect(model.windows.get("C9")?.start).toBe(Date.parse("2026-12-02T17:00:00+01:00"));
  });

  it("shades shifts by crew from their names", () => {
    expect(crewOf("Night crew C", "x")).toBe(2);
    expect(crewOf("Early", "x")).toBe(0);
    expect(crewOf("Late", "x")).toBe(1);
    expect(crewOf("Day crew B", "x")).toBe(1);
  });
});
