import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Core } from "../../../../../electron/core/core";
import type { MethodInput, MethodName, MethodOutput } from "../../../../../shared/contract/index";
import { tempCore } from "../../../../helpers/temp";

let core: Core;
let cleanup: () => void;

async function call<M extends MethodName>(method: M, input: MethodInput<M>): Promise<MethodOutput<M>> {
  const result = await core.call(method, input);
  if (!result.ok) throw new Error(`${method}: ${result.error.code} ${result.error.message}`);
  return result.value as MethodOutput<M>;
}

async function changeId(q: string): Promise<string> {
  const list = await call("change.list", { q });
  const id = list.items[0]?.id;
  if (!id) throw new Error(`no change matching ${q}`);
  return id;
}

// Neither the requester nor the implementer (Tom) of these changes: records their gates bound for production.
const ANA = "ana.ortiz@plant.example";

async function selectKey(email: string): Promise<void> {
  const key = (await call("identity.demoKeys", {})).find((k) => k.email === email);
  await call("identity.use", { keyFile: key?.keyFile ?? "" });
}

/** Records a gate as someone whose role may (a plant-ops-leader), then gives the laptop back to whoever held it. */
async function recordAs(email: string, input: MethodInput<"gate.record">): Promise<void> {
  const before = (await call("identity.current", {})).email;
  await selectKey(email);
  await call("gate.record", input);
  if (before) await selectKey(before);
}

beforeAll(async () => {
  ({ core, cleanup } = await tempCore());
});
afterAll(() => cleanup());

describe("home.summary", () => {
  it("says which capabilities are not configured instead of failing", async () => {
    const summary = await call("home.summary", {});
    const state = Object.fromEntries(summary.sections.map((s) => [s.id, s.state]));
    expect(state).toMatchObject({ approvals: "ok", overdueReviews: "ok", failedGates: "ok", outbox: "not-configured" });
    expect(summary.sections.find((s) => s.id === "drift")?.state).toBe("not-configured");
    expect(summary.me).toBeNull();
    // The demo's release that went out without its approvals is raised, with the evidence of the automatic move.
    expect(summary.sections.find((s) => s.id === "unauthorised")?.items).toEqual([
      expect.objectContaining({
        title: "CHG-2026-0020 Chicago shipping label layout pushed without approval",
        severity: "critical",
        detail: expect.stringContaining("quorum-not-met"),
      }),
    ]);
  });

  it("lists the approvals awaiting the person whose key is selected, each with its place", async () => {
    const keys = await call("identity.demoKeys", {});
    const sofia = keys.find((k) => k.email === "sofia.rossi@plant.example");
    await call("identity.use", { keyFile: sofia?.keyFile ?? "" });
    const summary = await call("home.summary", {});
    expect(summary.me).toBe("sofia.rossi@plant.example");
    const approvals = summary.sections.find((s) => s.id === "approvals");
    // No working copy here: the register alone, where every demo change past draft is numbered as in the demo repository.
    expect(approvals?.items.map((i) => i.title).sort()).toEqual([
      "CHG-2026-0002 New MRP reorder rules for Berlin and Chicago",
      "CHG-2026-0003 Add lot label field to Pune barcode report",
      "CHG-2026-0008 EDI 856 mapping for the new Chicago carrier",
      "CHG-2026-0009 MRP lead time recalculation for all plants",
    ]);
    for (const item of approvals?.items ?? []) expect(item.route).toBe(`#/approvals?change=${item.changeId}`);
  });

  it("shows a gate whose latest result is a failure, and forgets it once it passes", async () => {
    const id = await changeId("Chicago cycle count");
    await recordAs(ANA, {
      changeId: id,
      stage: "production",
      gate: "smoke-tests",
      result: "fail",
      reason: "Login page 502",
    });
    let gates = (await call("home.summary", {})).sections.find((s) => s.id === "failedGates");
    expect(gates?.items).toHaveLength(1);
    expect(gates?.items[0]).toMatchObject({ changeId: id, route: `#/register/${id}`, severity: "critical" });
    expect(gates?.items[0]?.detail).toContain("Login page 502");
    await recordAs(ANA, { changeId: id, stage: "production", gate: "smoke-tests", result: "pass" });
    gates = (await call("home.summary", {})).sections.find((s) => s.id === "failedGates");
    expect(gates?.items).toHaveLength(0);
  });
});

describe("home.notifications", () => {
  it("delivers each item once, across calls, and newer ones after a cursor", async () => {
    const first = await call("home.notifications", {});
    expect(first.items.filter((i) => i.section === "approvals")).toHaveLength(4);
    expect(new Set(first.items.map((i) => i.key)).size).toBe(first.items.length);
    expect((await call("home.notifications", {})).items).toEqual([]);
    const id = await changeId("Pune cost centre");
    await recordAs(ANA, {
      changeId: id,
      stage: "production",
      gate: "accounting-posting",
      result: "fail",
      reason: "Posting to the wrong cost centre",
    });
    const after = await call("home.notifications", { after: first.cursor });
    expect(after.items.map((i) => i.section)).toEqual(["failedGates"]);
    expect(after.cursor).toBeGreaterThan(first.cursor);
    // A cursor read marks nothing: the undelivered gate still comes once without a cursor.
    expect((await call("home.notifications", {})).items.map((i) => i.changeId)).toEqual([id]);
    expect((await call("home.notifications", {})).items).toEqual([]);
  });
});
