import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Core } from "../../../electron/core/core";
import { odooDate, odooDatetime } from "../../../electron/core/odoo/odoo-time";
import type { OdooStandIn } from "../../helpers/odoo-server";
import { tempCore } from "../../helpers/temp";
import { connectOdoo, runChecks, standIn, statusOf, TEST_NOW } from "./odoo-world";

const HOUR = 3_600_000;
const at = (hours: number) => odooDatetime(new Date(TEST_NOW.getTime() + hours * HOUR));
const today = odooDate(TEST_NOW);

function row(s: OdooStandIn, model: string, id: number): Record<string, unknown> {
  const found = s.tables.get(model)?.find((r) => r.id === id);
  if (!found) throw new Error(`no ${model} ${id} in the seed`);
  return found;
}

function set(s: OdooStandIn, model: string, id: number, values: Record<string, unknown>): void {
  Object.assign(row(s, model, id), values);
}

function add(s: OdooStandIn, model: string, values: Record<string, unknown>): void {
  const rows = s.tables.get(model) ?? [];
  rows.push({ id: 1000 + rows.length, ...values });
  s.tables.set(model, rows);
}

// edi_oca is not installed on the healthy seed; installing it makes its check measure.
function installEdi(s: OdooStandIn): void {
  s.installed.add("edi_oca");
  const module = s.tables.get("ir.module.module")?.find((m) => m.name === "edi_oca");
  if (module) module.state = "installed";
}

// Each preset, the one thing that makes it fail on the healthy seed, and the value it then measures.
const BREAKS: ReadonlyArray<{
  id: string;
  gate: string;
  setup?: (s: OdooStandIn) => void;
  breakIt: (s: OdooStandIn) => void;
  value: number;
}> = [
  {
    id: "mrp-scheduler-recent",
    gate: "mrp-run",
    breakIt: (s) => set(s, "ir.cron", 1, { lastcall: at(-30) }),
    value: 30,
  },
  {
    id: "mrp-scheduler-failures",
    gate: "mrp-run",
    breakIt: (s) => set(s, "ir.cron", 1, { failure_count: 3 }),
    value: 3,
  },
  {
    id: "mrp-late-components",
    gate: "mrp-run",
    breakIt: (s) => set(s, "mrp.production", 2, { components_availability_state: "late" }),
    value: 1,
  },
  {
    id: "stock-moves-unreserved",
    gate: "inventory-reservation",
    breakIt: (s) => set(s, "stock.move", 3, { date: at(-2) }),
    value: 1,
  },
  {
    id: "stock-negative-quants",
    gate: "inventory-reservation",
    breakIt: (s) => set(s, "stock.quant", 2, { quantity: -4 }),
    value: 1,
  },
  {
    id: "orderpoints-not-triggered",
    gate: "procurement-rules",
    breakIt: (s) => set(s, "stock.warehouse.orderpoint", 1, { qty_to_order: 60 }),
    value: 1,
  },
  {
    id: "procurement-exceptions",
    gate: "procurement-rules",
    breakIt: (s) =>
      add(s, "mail.activity", {
        res_model: "product.template",
        res_id: 2,
        activity_type_id: 4,
        summary: "No rule found",
      }),
    value: 1,
  },
  {
    id: "draft-entries-in-period",
    gate: "accounting-posting",
    breakIt: (s) =>
      add(s, "account.move", { name: "/", state: "draft", date: today, create_date: at(-1), company_id: 1 }),
    value: 1,
  },
  {
    id: "unbalanced-postings",
    gate: "accounting-posting",
    breakIt: (s) =>
      add(s, "account.move.line", { move_id: 1, company_id: 1, parent_state: "posted", date: today, balance: 12.5 }),
    value: 12.5,
  },
  {
    id: "posted-into-locked-period",
    gate: "accounting-posting",
    breakIt: (s) =>
      add(s, "account.move", {
        name: "MISC/2025/0099",
        state: "posted",
        date: "2025-06-30",
        create_date: at(-5),
        company_id: 1,
      }),
    value: 1,
  },
  {
    id: "overdue-scheduled-actions",
    gate: "interface-health",
    breakIt: (s) => set(s, "ir.cron", 2, { nextcall: at(-3) }),
    value: 1,
  },
  {
    id: "failed-queue-jobs",
    gate: "interface-health",
    breakIt: (s) => set(s, "queue.job", 2, { state: "failed" }),
    value: 1,
  },
  {
    id: "failed-edi-exchanges",
    gate: "interface-health",
    setup: installEdi,
    breakIt: (s) => set(s, "edi.exchange.record", 1, { edi_exchange_state: "output_error_on_send" }),
    value: 1,
  },
];

describe.each([
  ["18.0", "jsonrpc"],
  ["19.0", "json2"],
] as const)("the five gates' presets on Odoo %s (%s)", (version, api) => {
  let core: Core;
  let cleanup: () => void;
  beforeAll(async () => {
    const t = await tempCore({ demo: false });
    core = t.core;
    cleanup = t.cleanup;
  });
  afterAll(() => cleanup());

  it("all pass on a healthy plant, each with its measured value, threshold and queries", async () => {
    const odoo = await standIn({ version });
    try {
      await connectOdoo(core, odoo);
      const run = await runChecks(core, { environment: "qa" });
      expect(run).toMatchObject({ api, serverVersion: version, status: "pass", environment: "qa" });
      expect(run.gates.map((g) => [g.gate, g.status])).toEqual([
        ["mrp-run", "pass"],
        ["inventory-reservation", "pass"],
        ["procurement-rules", "pass"],
        ["accounting-posting", "pass"],
        ["interface-health", "pass"],
      ]);
      for (const c of run.checks) {
        if (c.id === "failed-edi-exchanges") {
          // edi_oca is not installed on the healthy seed: reported as such, not as a failure
          expect(c).toMatchObject({ status: "not-installed", value: null });
          continue;
        }
        expect(c.status, c.id).toBe("pass");
        expect(typeof c.value, c.id).toBe("number");
        expect(c.queries.length, c.id).toBeGreaterThan(0);
      }
      expect(statusOf(run, "mrp-scheduler-recent")).toEqual({ status: "pass", value: 3 });
      // only reading methods were called
      const methods = new Set(odoo.calls.map((c) => c.method));
      expect(
        [...methods].every((m) => /^(search_read|search_count|read_group|formatted_read_group|context_get)$/.test(m)),
      ).toBe(true);
      expect(odoo.calls.every((c) => c.api === api)).toBe(true);
    } finally {
      await odoo.close();
    }
  });

  it.each(BREAKS)("$id fails when its condition holds, measuring it", async ({ id, gate, setup, breakIt, value }) => {
    const odoo = await standIn({ version });
    try {
      setup?.(odoo);
      await connectOdoo(core, odoo);
      const before = await runChecks(core, { environment: "qa", gate });
      expect(statusOf(before, id).status).toBe("pass");
      breakIt(odoo);
      const after = await runChecks(core, { environment: "qa", gate });
      expect(statusOf(after, id)).toEqual({ status: "fail", value });
      expect(after.status).toBe("fail");
      expect(after.gates).toEqual([{ gate, status: "fail", checks: expect.arrayContaining([id]) }]);
      for (const other of after.checks.filter((c) => c.id !== id)) expect(other.status, other.id).not.toBe("fail");
    } finally {
      await odoo.close();
    }
  });
});

describe("versions and modules", () => {
  it("an Odoo 16 server is asked over JSON-RPC (no /web/version), and reports checks it cannot run as not applicable", async () => {
    const t = await tempCore({ demo: false });
    const odoo = await standIn({ version: "16.0" });
    try {
      await connectOdoo(t.core, odoo);
      const run = await runChecks(t.core, { environment: "qa", gate: "mrp-run" });
      expect(run).toMatchObject({ api: "jsonrpc", serverVersion: "16.0", status: "pass" });
      expect(statusOf(run, "mrp-scheduler-failures")).toEqual({ status: "not-applicable", value: null });
    } finally {
      await odoo.close();
      t.cleanup();
    }
  });

  it("a module whose model is gone answers not installed; an access error is an error, not a pass", async () => {
    const t = await tempCore({ demo: false });
    const odoo = await standIn({ version: "17.0" });
    try {
      await connectOdoo(t.core, odoo);
      odoo.installed.delete("queue_job");
      odoo.denied.add("ir.cron");
      const run = await runChecks(t.core, { environment: "qa", gate: "interface-health" });
      expect(statusOf(run, "failed-queue-jobs")).toEqual({ status: "not-installed", value: null });
      expect(statusOf(run, "overdue-scheduled-actions")).toEqual({ status: "error", value: null });
      expect(run.checks.find((c) => c.id === "overdue-scheduled-actions")?.note).toContain(
        "Give the API user read access",
      );
      expect(run.status).toBe("error");
    } finally {
      await odoo.close();
      t.cleanup();
    }
  });
});
