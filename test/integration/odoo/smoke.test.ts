import { afterEach, describe, expect, it } from "vitest";
import type { Clock } from "../../../electron/core/clock";
import { openOdoo } from "../../../electron/core/odoo/client";
import { runSmoke } from "../../../electron/core/odoo/smoke";
import type { SmokeRun } from "../../../shared/contract/odoo-smoke";
import { DEFAULT_SMOKE_POLICY, smokePolicySchema } from "../../../shared/domain/policy/smoke-policy";
import { type OdooStandIn, startOdooStandIn } from "../../helpers/odoo-server";
import { addSmokeMethods, userError } from "../../helpers/odoo-smoke-methods";

// The smoke transactions over the real client and wire (JSON-RPC for 16-18, JSON-2 for 19) against the stand-in
// Odoo, whose tables show afterwards what the run created and how it was reversed.
const NOW = new Date("2026-12-01T08:00:00Z");
const POLICY = smokePolicySchema.parse({ writes: ["qa"] });

/** A clock that moves 10 ms on every reading: each step's time comes from it, not from the wall. */
function steppingClock(): Clock {
  let t = NOW.getTime();
  return {
    now: () => {
      t += 10;
      return new Date(t);
    },
  };
}

let standIn: OdooStandIn | undefined;
afterEach(async () => {
  await standIn?.close();
  standIn = undefined;
});

async function smoke(version: "16.0" | "17.0" | "18.0" | "19.0", prepare?: (s: OdooStandIn) => void) {
  standIn = await startOdooStandIn({ version, now: NOW });
  const s = standIn;
  addSmokeMethods(s);
  prepare?.(s);
  const odoo = await openOdoo({ environment: "qa", url: s.url, database: s.database, login: s.login }, s.apiKey);
  const run = await runSmoke(odoo, { environment: "qa", mode: "write", policy: POLICY, clock: steppingClock() });
  return { s, run };
}

const rows = (s: OdooStandIn, model: string) => s.tables.get(model) ?? [];
const stepNames = (run: SmokeRun, phase: "run" | "cleanup") =>
  run.steps.filter((step) => step.phase === phase).map((step) => `${step.ok ? "ok" : "FAIL"} ${step.name}`);

describe.each(["17.0", "19.0"] as const)("the write smoke against Odoo %s", (version) => {
  it("runs order → manufacturing → delivery → invoice, then reverses and cancels all of it", async () => {
    const { s, run } = await smoke(version);
    expect(run.passed).toBe(true);
    expect(run.mode).toBe("write");
    expect(run.serverVersion).toBe(version);
    expect(stepNames(run, "run")).toEqual([
      "ok server version",
      "ok installed modules",
      // Orders flowing is asked only where real orders flow (smoke.ordersFlowIn: production by default).
      "ok find test customer",
      "ok find manufactured product",
      "ok create sale order",
      "ok confirm sale order",
      "ok find manufacturing order",
      "ok progress work orders",
      "ok finish manufacturing order",
      "ok validate delivery",
      "ok post invoice",
    ]);
    // Newest first: the invoice is reversed, the delivery returned, the manufacturing order unbuilt, the order cancelled.
    expect(run.steps.filter((st) => st.phase === "cleanup").map((st) => `${st.ok} ${st.name.split(" ")[0]}`)).toEqual([
      "true reverse",
      "true return",
      "true unbuild",
      "true cancel",
    ]);
    expect(run.created.map((r) => `${r.model}:${r.cleanup}`)).toEqual([
      "sale.order:cancel",
      "mrp.production:unbuild",
      "stock.picking:return",
      "account.move:reverse",
    ]);
    expect(run.leftBehind).toEqual([]);
    // Every step is timed through the injected clock.
    expect(run.steps.every((st) => st.ms > 0 && st.ms % 10 === 0)).toBe(true);
    const order = rows(s, "sale.order").find((r) => r.id === run.created[0]?.id);
    expect(order?.state).toBe("cancel");
    expect(rows(s, "mrp.production").find((r) => r.origin === order?.name)?.unbuilt).toBe(true);
    expect(rows(s, "mrp.workorder").every((r) => r.state === "done")).toBe(true);
    expect(
      rows(s, "stock.picking")
        .filter((r) => r.return_id)
        .map((r) => r.state),
    ).toEqual(["done"]);
    const invoice = rows(s, "account.move").find(
      (r) => r.invoice_origin === order?.name && r.move_type === "out_invoice",
    );
    expect(invoice).toMatchObject({ state: "posted", payment_state: "reversed" });
    expect(rows(s, "account.move").filter((r) => r.move_type === "out_refund")).toHaveLength(1);
  });
});

describe("a write smoke that fails half-way", () => {
  it("stops at the failing step, reverses what it created and lists nothing left", async () => {
    const { s, run } = await smoke("18.0", (st) =>
      st.addMethod("stock.picking", "button_validate", () => {
        throw userError("Not enough stock of Smoke test bracket in WH/Stock.");
      }),
    );
    expect(run.passed).toBe(false);
    const failed = run.steps.find((st) => !st.ok);
    expect(failed).toMatchObject({ name: "validate delivery", phase: "run" });
    expect(failed?.detail).toContain("Not enough stock");
    expect(stepNames(run, "run").at(-1)).toBe("FAIL validate delivery");
    // Nothing was invoiced; the delivery is cancelled (it never went out), the MO unbuilt, the order cancelled.
    expect(s.calls.some((c) => c.model === "sale.advance.payment.inv")).toBe(false);
    expect(run.steps.filter((st) => st.phase === "cleanup").map((st) => `${st.ok} ${st.name.split(" ")[0]}`)).toEqual([
      "true cancel",
      "true unbuild",
      "true cancel",
    ]);
    expect(run.leftBehind).toEqual([]);
    const order = rows(s, "sale.order").find((r) => r.id === run.created[0]?.id);
    expect(order?.state).toBe("cancel");
    expect(rows(s, "stock.picking").find((r) => r.origin === order?.name)?.state).toBe("cancel");
    expect(rows(s, "account.move").some((r) => r.invoice_origin === order?.name)).toBe(false);
  });

  it("lists what a failed cleanup left behind, and still reverses the rest", async () => {
    const { s, run } = await smoke("16.0", (st) => {
      st.addMethod("stock.picking", "button_validate", () => {
        throw userError("Not enough stock of Smoke test bracket in WH/Stock.");
      });
      st.addMethod("mrp.unbuild", "action_unbuild", () => {
        throw userError("The component Steel shaft is locked by an inventory count.");
      });
    });
    expect(run.passed).toBe(false);
    expect(run.leftBehind).toEqual([
      expect.objectContaining({
        model: "mrp.production",
        cleanup: "unbuild",
        name: expect.stringMatching(/^WH\/MO\//),
      }),
    ]);
    const cleanupFailure = run.steps.find((st) => st.phase === "cleanup" && !st.ok);
    expect(cleanupFailure?.detail).toContain("locked by an inventory count");
    // The order after it in the cleanup is still cancelled.
    expect(rows(s, "sale.order").find((r) => r.id === run.created[0]?.id)?.state).toBe("cancel");
  });

  it("fails at the first step when the test customer is missing, having created nothing", async () => {
    const { s, run } = await smoke("17.0", (st) => {
      st.tables.set(
        "res.partner",
        rows(st, "res.partner").filter((r) => r.name !== DEFAULT_SMOKE_POLICY.customer),
      );
    });
    expect(run.passed).toBe(false);
    expect(run.steps.find((st) => !st.ok)?.detail).toContain(`No customer named "${DEFAULT_SMOKE_POLICY.customer}"`);
    expect(run.created).toEqual([]);
    expect(s.calls.some((c) => c.method === "create")).toBe(false);
  });
});

describe("the read-only smoke set", () => {
  it("writes nothing and reports the version, modules and recent orders with measured values", async () => {
    standIn = await startOdooStandIn({ version: "17.0", now: NOW });
    const s = standIn;
    addSmokeMethods(s);
    const odoo = await openOdoo(
      { environment: "production", url: s.url, database: s.database, login: s.login },
      s.apiKey,
    );
    const pass = await runSmoke(odoo, {
      environment: "production",
      mode: "read-only",
      policy: POLICY,
      clock: steppingClock(),
    });
    expect(pass.passed).toBe(true);
    expect(pass.steps.map((st) => st.name)).toEqual(["server version", "installed modules", "recent orders flowing"]);
    expect(pass.steps[2]?.measured).toEqual({ orders: 1, threshold: ">= 1 in 24h" });
    // An upgrade left half-way and no recent order: both reported, with what was measured.
    const module = rows(s, "ir.module.module").find((r) => r.name === "mrp");
    if (module) module.state = "to upgrade";
    s.tables.set("sale.order", []);
    const fail = await runSmoke(odoo, {
      environment: "production",
      mode: "read-only",
      policy: POLICY,
      clock: steppingClock(),
    });
    expect(fail.passed).toBe(false);
    expect(fail.steps.map((st) => st.ok)).toEqual([true, false, false]);
    expect(fail.steps[1]?.detail).toContain("mrp (to upgrade)");
    expect(fail.steps[2]?.measured).toEqual({ orders: 0, threshold: ">= 1 in 24h" });
    expect(s.calls.filter((c) => !["search_read", "search_count"].includes(c.method))).toEqual([]);
  });
});
