import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Core } from "../../../electron/core/core";
import { provisionalNumber } from "../../../shared/domain/register/change-number";
import { tempCore } from "../../helpers/temp";
import { actAs, call, changeAwaitingApproval, who } from "./support";

// The approval preview carries what a signer must see (the decision view), in one answer, and the number it shows
// is the one the register search finds.

let core: Core;
let cleanup: () => void;

beforeEach(async () => {
  ({ core, cleanup } = await tempCore());
});
afterEach(() => cleanup());

describe("the decision view", () => {
  it("holds the description, the risk's reasons, the gate records with their evidence, rollback and plant zones", async () => {
    const id = await changeAwaitingApproval(core, { plants: ["berlin", "chicago"] });
    // A plant-ops-leader records the gate: the implementer records none bound for a protected environment.
    await actAs(core, who("ana").email);
    const gate = await call(core, "gate.record", {
      changeId: id,
      stage: "preproduction",
      gate: "mrp-run",
      result: "pass",
    });
    await call(core, "evidence.attach", {
      changeId: id,
      gateId: gate.id,
      filename: "mrp-run.log",
      mediaType: "text/plain",
      contentBase64: Buffer.from("MRP run 14 min, 0 exceptions\n").toString("base64"),
    });
    const preview = await call(core, "approval.preview", { changeId: id });
    const d = preview.decision;
    expect(d.number).toBe(provisionalNumber(id));
    expect(d.number).toMatch(/^DRAFT-[0-9A-Z]{6}$/);
    const change = await call(core, "change.get", { id });
    expect([d.description, d.rollbackPlan, d.snapshotRef, d.checkpointRef]).toEqual([
      change.description,
      change.rollbackPlan,
      change.snapshotRef,
      change.checkpointRef,
    ]);
    expect(d.risk?.score).toBe(preview.change.riskScore);
    expect(d.risk?.reasons.reduce((sum, r) => sum + r.points, 0)).toBe(preview.change.riskScore);
    expect(d.risk?.reasons).toContainEqual({ question: "Was the rollback rehearsed?", answer: "No", points: 2 });
    expect(d.risk?.reasons).toContainEqual({ question: "How many plants does it affect?", answer: "2", points: 1 });
    expect(d.evidence).toEqual([
      { filename: "mrp-run.log", sha256: expect.any(String), size: 29, gateId: gate.id, location: "here" },
    ]);
    const shown = preview.gates.find((g) => g.id === gate.id);
    expect(shown && [shown.gate, shown.result, shown.recordedBy]).toEqual(["mrp-run", "pass", who("ana").email]);
    expect(d.plantZones).toEqual([
      { plant: "berlin", name: expect.stringMatching(/^Berlin/), timeZone: "Europe/Berlin" },
      { plant: "chicago", name: expect.stringMatching(/^Chicago/), timeZone: "America/Chicago" },
    ]);
  });
});

describe("one change number, searchable as shown", () => {
  it("finds a change without a CHG number by its provisional number, in any case", async () => {
    const id = await changeAwaitingApproval(core);
    const shown = (await call(core, "approval.preview", { changeId: id })).decision.number;
    for (const q of [shown, shown.toLowerCase(), shown.replace("-", " ")]) {
      const found = await call(core, "change.list", { q, sort: { field: "updatedAt", dir: "desc" } });
      expect(found.items.map((c) => c.id)).toEqual([id]);
    }
  });

  it("finds a change by its CHG number as written or typed short", async () => {
    const all = await call(core, "change.list", { pageSize: 500, sort: { field: "updatedAt", dir: "desc" } });
    const numbered = all.items.find((c) => c.number !== null);
    if (!numbered?.number) throw new Error("the demo register has numbered changes");
    const [, year, n] = numbered.number.split("-");
    for (const q of [numbered.number, numbered.number.toLowerCase(), `CHG ${year} ${Number(n)}`]) {
      const found = await call(core, "change.list", { q, sort: { field: "updatedAt", dir: "desc" } });
      expect(found.items.map((c) => c.number)).toEqual([numbered.number]);
    }
    const year2 = await call(core, "change.list", { q: `CHG-${year}`, sort: { field: "updatedAt", dir: "desc" } });
    expect(year2.total).toBe(all.items.filter((c) => c.number?.startsWith(`CHG-${year}-`)).length);
  });
});
