// The business methods the smoke transactions call, added to the stand-in Odoo (odoo-server.ts) through addMethod
// only. Each moves the records as Odoo 16-19 does for a make-to-order product with a manufacturing route, closely
// enough for the flow and its reversal: the tests then read the tables to see what was created and what is left.

type Row = Record<string, unknown>;

/** The part of the stand-in (odoo-server.ts OdooStandIn) these methods use. */
export interface SmokeStandIn {
  readonly version: string;
  readonly tables: Map<string, Array<Record<string, unknown>>>;
  addMethod(
    model: string,
    method: string,
    fn: (ids: number[], args: unknown[], kwargs: Record<string, unknown>, s: SmokeStandIn) => unknown,
  ): void;
}

/** The smoke policy's defaults: the customer and product the seeded test company holds. */
export const SMOKE_CUSTOMER = "Shiftgate Smoke Customer";
export const SMOKE_PRODUCT = "SHIFTGATE-SMOKE";

/** A business rule Odoo refuses with (odoo.exceptions.UserError); the stand-in answers it as Odoo does. */
export class SmokeUserError extends Error {}

function table(s: SmokeStandIn, model: string): Row[] {
  let rows = s.tables.get(model);
  if (!rows) {
    rows = [];
    s.tables.set(model, rows);
  }
  return rows;
}

function insert(s: SmokeStandIn, model: string, values: Row): Row {
  const rows = table(s, model);
  const id = rows.reduce((max, r) => Math.max(max, Number(r.id) || 0), 0) + 1;
  const row = { ...values, id };
  rows.push(row);
  return row;
}

function byIds(s: SmokeStandIn, model: string, ids: readonly number[]): Row[] {
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
    if (problem) throw new SmokeUserError(problem);
  }
  for (const row of rows) row.state = state;
  return true;
}

const sequence = (prefix: string, n: unknown) => `${prefix}${String(n).padStart(5, "0")}`;

/** Seeds the test customer and the manufactured product the smoke flow looks for. */
export function seedSmokeData(s: SmokeStandIn): void {
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
export function addSmokeMethods(s: SmokeStandIn): void {
  seedSmokeData(s);
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
          product_id: [product.id, product.display_name],
          product_qty: Number(values?.product_uom_qty ?? 1),
          state: "confirmed",
        });
        mo.name = sequence("WH/MO/", mo.id);
        for (const step of ["Cutting", "Assembly"]) {
          insert(st, "mrp.workorder", { name: step, production_id: [mo.id, mo.name], state: "ready" });
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
  const createReturns = (_ids: number[], _a: unknown[], kwargs: Record<string, unknown>, st: SmokeStandIn) => {
    const picking = byIds(st, "stock.picking", [Number(contextOf(kwargs).active_id)])[0];
    if (picking?.state !== "done") throw new SmokeUserError("You may only return done pickings.");
    const back = insert(st, "stock.picking", {
      origin: `Return of ${String(picking.name)}`,
      picking_type_code: "incoming",
      return_id: [picking.id, picking.name],
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
  s.addMethod("sale.advance.payment.inv", "create_invoices", (_ids, _a, kwargs, st) => {
    for (const order of byIds(st, "sale.order", idsIn(contextOf(kwargs).active_ids))) {
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
          reversed_entry_id: [move.id, move.name],
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
