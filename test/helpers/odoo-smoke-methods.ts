// The business methods the smoke transactions call, added to the stand-in Odoo (odoo-server.ts) through addMethod
// only. Each moves the records as Odoo 16-19 does for a make-to-order product with a manufacturing route, closely
// enough for the flow and its reversal: the tests then read the tables to see what was created and what is left.

import { OdooFault, type OdooStandIn } from "./odoo-server";

type Row = Record<string, unknown>;

/** The smoke policy's defaults: the customer and product the seeded test company holds. */
export const SMOKE_CUSTOMER = "Shiftgate Smoke Customer";
export const SMOKE_PRODUCT = "SHIFTGATE-SMOKE";

/** A business rule Odoo refuses with (odoo.exceptions.UserError); the stand-in answers it as Odoo does. */
export function userError(message: string): OdooFault {
  return new OdooFault("odoo.exceptions.UserError", message, 422);
}

// The models the flow touches that the healthy seed does not hold (the wizards are transient models in Odoo).
const SMOKE_MODELS = [
  "mrp.workorder",
  "mrp.unbuild",
  "stock.return.picking",
  "sale.advance.payment.inv",
  "account.move.reversal",
] as const;

function table(s: OdooStandIn, model: string): Row[] {
  let rows = s.tables.get(model);
  if (!rows) {
    rows = [];
    s.tables.set(model, rows);
  }
  return rows;
}

function insert(s: OdooStandIn, model: string, values: Row): Row {
  const rows = table(s, model);
  const id = rows.reduce((max, r) => Math.max(max, Number(r.id) || 0), 0) + 1;
  const row = { ...values, id };
  rows.push(row);
  return row;
}

function byIds(s: OdooStandIn, model: string, ids: readonly number[]): Row[] {
  return table(s, model).filter((r) => ids.includes(Number(r.id)));
}

function contextOf(kwargs: Record<string, unknown>): Row {
  const context = kwargs.context;
  return typeof context === "object" && context !== null ? (context as Row) : {};
}

function idsIn(value: unknown): number[] {
  return Array.isArray(value) ? value.filter((v): v is number => typeof v === "number") : [];
}

function m2o(value: unknown): number | null {
  if (Array.isArray(value) && typeof value[0] === "number") return value[0];
  return typeof value === "number" ? value : null;
}

function setState(rows: Row[], state: string, refuse?: (row: Row) => string | null): true {
  for (const row of rows) {
    const problem = refuse?.(row);
    if (problem) throw userError(problem);
  }
  for (const row of rows) row.state = state;
  return true;
}

const sequence = (prefix: string, n: unknown) => `${prefix}${String(n).padStart(5, "0")}`;

/** Seeds the test customer, the manufactured product and an order of the last hour (orders are flowing). */
export function seedSmokeData(s: OdooStandIn): void {
  for (const model of SMOKE_MODELS) table(s, model);
  const hourAgo = new Date(s.now.getTime() - 3_600_000).toISOString().slice(0, 19).replace("T", " ");
  insert(s, "sale.order", { name: "S-RECENT", partner_id: 1, state: "sale", company_id: 1, date_order: hourAgo });
  if (!table(s, "res.partner").some((r) => r.name === SMOKE_CUSTOMER)) {
    insert(s, "res.partner", { name: SMOKE_CUSTOMER, is_company: true });
  }
  if (!table(s, "product.product").some((r) => r.default_code === SMOKE_PRODUCT)) {
    insert(s, "product.product", {
      default_code: SMOKE_PRODUCT,
      display_name: "Smoke test bracket",
      name: "Smoke test bracket",
    });
  }
}

/** Adds every business method the smoke flow and its cleanup call, and the test customer and product. */
export function addSmokeMethods(s: OdooStandIn): void {
  seedSmokeData(s);
  // Odoo names a sale order from its sequence when it is created.
  s.addMethod("sale.order", "create", (_ids, _a, kwargs, st) => {
    const list = Array.isArray(kwargs.vals_list) ? kwargs.vals_list : [kwargs.vals_list];
    return list.map((values) => {
      const order = insert(st, "sale.order", { state: "draft", ...(values as Row) });
      order.name = sequence("S", order.id);
      return order.id;
    });
  });
  s.addMethod("sale.order", "action_confirm", (ids, _a, _k, st) => {
    for (const order of byIds(st, "sale.order", ids)) {
      order.name ??= sequence("S", order.id);
      order.state = "sale";
      const lines = Array.isArray(order.order_line) ? order.order_line : [];
      for (const command of lines) {
        const values = (Array.isArray(command) ? command[2] : null) as Row | null;
        const product = byIds(st, "product.product", [m2o(values?.product_id) ?? -1])[0];
        if (!product) continue;
        const mo = insert(st, "mrp.production", {
          origin: order.name,
          product_id: product.id,
          product_qty: Number(values?.product_uom_qty ?? 1),
          state: "confirmed",
        });
        mo.name = sequence("WH/MO/", mo.id);
        for (const step of ["Cutting", "Assembly"]) {
          insert(st, "mrp.workorder", { name: step, production_id: mo.id, state: "ready" });
        }
      }
      const out = insert(st, "stock.picking", { origin: order.name, picking_type_code: "outgoing", state: "waiting" });
      out.name = sequence("WH/OUT/", out.id);
    }
    return true;
  });
  s.addMethod("sale.order", "action_cancel", (ids, _a, _k, st) => setState(byIds(st, "sale.order", ids), "cancel"));
  s.addMethod("mrp.workorder", "button_start", (ids, _a, _k, st) =>
    setState(byIds(st, "mrp.workorder", ids), "progress"),
  );
  s.addMethod("mrp.workorder", "button_finish", (ids, _a, _k, st) => setState(byIds(st, "mrp.workorder", ids), "done"));
  s.addMethod("mrp.production", "button_mark_done", (ids, _a, _k, st) =>
    setState(byIds(st, "mrp.production", ids), "done", (mo) =>
      table(st, "mrp.workorder").some((wo) => m2o(wo.production_id) === mo.id && wo.state !== "done")
        ? `${String(mo.name)} still has work orders to finish.`
        : null,
    ),
  );
  s.addMethod("mrp.production", "action_cancel", (ids, _a, _k, st) =>
    setState(byIds(st, "mrp.production", ids), "cancel", (mo) =>
      mo.state === "done" ? `${String(mo.name)} is done and cannot be cancelled; unbuild it instead.` : null,
    ),
  );
  s.addMethod("mrp.unbuild", "action_unbuild", (ids, _a, _k, st) => {
    for (const unbuild of byIds(st, "mrp.unbuild", ids)) {
      unbuild.state = "done";
      for (const mo of byIds(st, "mrp.production", [m2o(unbuild.mo_id) ?? -1])) mo.unbuilt = true;
    }
    return true;
  });
  s.addMethod("stock.picking", "action_assign", (ids, _a, _k, st) =>
    setState(byIds(st, "stock.picking", ids), "assigned"),
  );
  s.addMethod("stock.picking", "button_validate", (ids, _a, _k, st) =>
    setState(byIds(st, "stock.picking", ids), "done"),
  );
  s.addMethod("stock.picking", "action_cancel", (ids, _a, _k, st) =>
    setState(byIds(st, "stock.picking", ids), "cancel", (p) =>
      p.state === "done" ? `${String(p.name)} is done and cannot be cancelled; return it instead.` : null,
    ),
  );
  const createReturns = (ids: number[], _a: unknown[], kwargs: Record<string, unknown>, st: OdooStandIn) => {
    const wizard = byIds(st, "stock.return.picking", ids)[0];
    const pickingId = m2o(wizard?.picking_id) ?? Number(contextOf(kwargs).active_id);
    const picking = byIds(st, "stock.picking", [pickingId])[0];
    if (picking?.state !== "done") throw userError("You may only return done pickings.");
    const back = insert(st, "stock.picking", {
      origin: `Return of ${String(picking.name)}`,
      picking_type_code: "incoming",
      return_id: picking.id,
      state: "assigned",
    });
    back.name = sequence("WH/IN/", back.id);
    return { type: "ir.actions.act_window", res_model: "stock.picking", res_id: back.id };
  };
  s.addMethod(
    "stock.return.picking",
    Number.parseInt(s.version, 10) >= 18 ? "action_create_returns" : "create_returns",
    createReturns,
  );
  s.addMethod("sale.advance.payment.inv", "create_invoices", (ids, _a, kwargs, st) => {
    const wizard = byIds(st, "sale.advance.payment.inv", ids)[0];
    const commands = Array.isArray(wizard?.sale_order_ids) ? wizard.sale_order_ids : [];
    const orders = commands.flatMap((c) => (Array.isArray(c) && c[0] === 6 ? idsIn(c[2]) : []));
    for (const order of byIds(st, "sale.order", orders.length > 0 ? orders : idsIn(contextOf(kwargs).active_ids))) {
      insert(st, "account.move", {
        name: "/",
        move_type: "out_invoice",
        invoice_origin: order.name,
        partner_id: order.partner_id,
        state: "draft",
      });
    }
    return { type: "ir.actions.act_window", res_model: "account.move" };
  });
  s.addMethod("account.move", "action_post", (ids, _a, _k, st) => {
    for (const move of byIds(st, "account.move", ids)) {
      move.state = "posted";
      if (move.name === "/") move.name = sequence("INV/2026/", move.id);
    }
    return false;
  });
  s.addMethod("account.move", "button_cancel", (ids, _a, _k, st) =>
    setState(byIds(st, "account.move", ids), "cancel", (m) =>
      m.state === "posted" ? `${String(m.name)} is posted: reverse it with a credit note.` : null,
    ),
  );
  s.addMethod("account.move.reversal", "reverse_moves", (ids, _a, _k, st) => {
    for (const wizard of byIds(st, "account.move.reversal", ids)) {
      const commands = Array.isArray(wizard.move_ids) ? wizard.move_ids : [];
      const moveIds = commands.flatMap((c) => (Array.isArray(c) && c[0] === 6 ? idsIn(c[2]) : []));
      for (const move of byIds(st, "account.move", moveIds)) {
        const refund = insert(st, "account.move", {
          move_type: "out_refund",
          reversed_entry_id: move.id,
          invoice_origin: move.invoice_origin,
          state: "posted",
        });
        refund.name = sequence("RINV/2026/", refund.id);
        move.payment_state = "reversed";
      }
    }
    return { type: "ir.actions.act_window", res_model: "account.move" };
  });
}
