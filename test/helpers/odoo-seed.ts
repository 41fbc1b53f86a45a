// The stand-in Odoo's "healthy" data set: a small plant on the standard models, dated from the stand-in's "now",
// on which every preset check passes. Tests break one thing at a time by mutating the rows.

import { odooDate, odooDatetime } from "../../electron/core/odoo/odoo-time";

type Row = Record<string, unknown>;

export type SeedVersion = "16.0" | "17.0" | "18.0" | "19.0";

/** Which module provides each seeded model; a model whose module is not installed answers "does not exist". */
export const MODEL_MODULE: Readonly<Record<string, string>> = {
  "ir.cron": "base",
  "ir.model.data": "base",
  "ir.module.module": "base",
  "res.company": "base",
  "res.partner": "base",
  "res.users": "base",
  "mail.activity": "mail",
  "mail.activity.type": "mail",
  "product.template": "product",
  "product.product": "product",
  "stock.location": "stock",
  "stock.move": "stock",
  "stock.quant": "stock",
  "stock.picking": "stock",
  "stock.warehouse.orderpoint": "stock",
  "mrp.production": "mrp",
  "mrp.workorder": "mrp",
  "account.move": "account",
  "account.move.line": "account",
  "sale.order": "sale",
  "sale.order.line": "sale",
  "queue.job": "queue_job",
  "edi.exchange.record": "edi_oca",
};

const HOUR = 3_600_000;

function moduleRows(installed: readonly string[], version: string): Row[] {
  const all = [...new Set([...installed, "edi_oca"])];
  return all.map((name, i) => ({
    id: i + 1,
    name,
    state: installed.includes(name) ? "installed" : "uninstalled",
    latest_version: `${version}.1.0`,
    installed_version: `${version}.1.0`,
  }));
}

export function healthySeed(now: Date, version: SeedVersion): { tables: Map<string, Row[]>; installed: string[] } {
  const at = (hours: number): string => odooDatetime(new Date(now.getTime() + hours * HOUR));
  const day = (days: number): string => odooDate(new Date(now.getTime() + days * 24 * HOUR));
  const installed = ["base", "mail", "product", "stock", "mrp", "account", "sale", "queue_job"];
  // ir.cron's failure_count / first_failure_date arrived in 18.0
  const failures = Number(version.split(".")[0]) >= 18 ? { failure_count: 0, first_failure_date: false } : {};
  const thisYear = now.getUTCFullYear();
  const tables = new Map<string, Row[]>([
    [
      "ir.model.data",
      [
        { id: 1, module: "stock", name: "ir_cron_scheduler_action", model: "ir.cron", res_id: 1 },
        { id: 2, module: "mail", name: "mail_activity_data_warning", model: "mail.activity.type", res_id: 4 },
        { id: 3, module: "base", name: "main_company", model: "res.company", res_id: 1 },
      ],
    ],
    [
      "ir.cron",
      [
        { id: 1, name: "Procurement: run scheduler", active: true, lastcall: at(-3), nextcall: at(21), ...failures },
        { id: 2, name: "Mail: Email Queue Manager", active: true, lastcall: at(-0.5), nextcall: at(0.5), ...failures },
        { id: 3, name: "Inventory: check availability", active: true, lastcall: at(-1), nextcall: at(1), ...failures },
      ],
    ],
    ["ir.module.module", moduleRows(installed, version)],
    [
      "res.company",
      [{ id: 1, name: "Plant Antwerp", fiscalyear_lock_date: `${thisYear - 1}-12-31`, period_lock_date: false }],
    ],
    [
      "res.partner",
      [
        { id: 1, name: "Plant Antwerp", is_company: true },
        { id: 2, name: "Shiftgate Bot", is_company: false },
        { id: 3, name: "Smoke Test Customer", is_company: true },
      ],
    ],
    ["res.users", [{ id: 2, login: "shiftgate-bot", name: "Shiftgate Bot", partner_id: 2, company_id: 1 }]],
    [
      "mail.activity.type",
      [
        { id: 1, name: "Email" },
        { id: 4, name: "Exception" },
      ],
    ],
    ["mail.activity", [{ id: 1, res_model: "sale.order", res_id: 1, activity_type_id: 1, summary: "Call back" }]],
    [
      "product.template",
      [
        { id: 1, name: "Gearbox G7" },
        { id: 2, name: "Steel shaft" },
      ],
    ],
    [
      "product.product",
      [
        { id: 1, name: "Gearbox G7", product_tmpl_id: 1, type: "consu", is_storable: true },
        { id: 2, name: "Steel shaft", product_tmpl_id: 2, type: "consu", is_storable: true },
      ],
    ],
    [
      "stock.location",
      [
        { id: 8, name: "WH/Stock", usage: "internal" },
        { id: 5, name: "Partners/Customers", usage: "customer" },
        { id: 15, name: "Virtual Locations/Production", usage: "production" },
      ],
    ],
    [
      "stock.quant",
      [
        { id: 1, product_id: 1, location_id: 8, quantity: 40 },
        { id: 2, product_id: 2, location_id: 8, quantity: 300 },
        // customer and production locations go negative by design; only internal ones count
        { id: 3, product_id: 1, location_id: 5, quantity: -12 },
      ],
    ],
    [
      "stock.move",
      [
        { id: 1, product_id: 2, state: "assigned", date: at(-5), location_id: 8, location_dest_id: 15 },
        { id: 2, product_id: 1, state: "done", date: at(-30), location_id: 8, location_dest_id: 5 },
        { id: 3, product_id: 2, state: "confirmed", date: at(48), location_id: 8, location_dest_id: 15 },
      ],
    ],
    ["stock.picking", [{ id: 1, name: "WH/OUT/00001", state: "done", partner_id: 1 }]],
    [
      "stock.warehouse.orderpoint",
      [{ id: 1, product_id: 2, location_id: 8, trigger: "auto", product_min_qty: 100, qty_to_order: 0 }],
    ],
    [
      "mrp.production",
      [
        { id: 1, name: "WH/MO/00001", product_id: 1, state: "done", components_availability_state: false },
        { id: 2, name: "WH/MO/00002", product_id: 1, state: "confirmed", components_availability_state: "available" },
      ],
    ],
    ["mrp.workorder", [{ id: 1, production_id: 1, name: "Assembly", state: "done" }]],
    [
      "account.move",
      [
        {
          id: 1,
          name: "INV/2026/00001",
          move_type: "out_invoice",
          state: "posted",
          date: day(-10),
          create_date: at(-240),
          company_id: 1,
          partner_id: 1,
        },
        {
          id: 2,
          name: "BILL/2026/00001",
          move_type: "in_invoice",
          state: "posted",
          date: day(-5),
          create_date: at(-120),
          company_id: 1,
          partner_id: 1,
        },
      ],
    ],
    [
      "account.move.line",
      [
        { id: 1, move_id: 1, company_id: 1, parent_state: "posted", date: day(-10), balance: 1210 },
        { id: 2, move_id: 1, company_id: 1, parent_state: "posted", date: day(-10), balance: -1210 },
        { id: 3, move_id: 2, company_id: 1, parent_state: "posted", date: day(-5), balance: 500 },
        { id: 4, move_id: 2, company_id: 1, parent_state: "posted", date: day(-5), balance: -500 },
      ],
    ],
    ["sale.order", [{ id: 1, name: "S00001", partner_id: 1, state: "sale", company_id: 1, date_order: at(-48) }]],
    ["sale.order.line", [{ id: 1, order_id: 1, product_id: 1, product_uom_qty: 2 }]],
    [
      "queue.job",
      [
        { id: 1, name: "Export shipment to carrier", state: "done", date_created: at(-6) },
        { id: 2, name: "Import MES confirmations", state: "done", date_created: at(-2) },
      ],
    ],
    ["edi.exchange.record", [{ id: 1, identifier: "EDI-1", edi_exchange_state: "output_sent_and_processed" }]],
  ]);
  return { tables, installed };
}
