import type { SmokePolicy } from "../../../shared/domain/policy/smoke-policy";
import type { SmokeLog } from "./smoke-log";
import { createdId, idOf, many2oneId, type OdooRow, type SmokeOdoo, searchRead } from "./smoke-odoo";

// The business flow of an order made to stock out of manufacturing, with the public methods Odoo 16-19 expose to
// the external API (a leading underscore is private and refused): sale.order action_confirm, mrp.workorder
// button_start / button_finish, mrp.production button_mark_done, stock.picking action_assign / button_validate, the
// sale.advance.payment.inv wizard's create_invoices, account.move action_post; reversed with account.move.reversal
// reverse_moves, stock.return.picking (create_returns, action_create_returns from 18), mrp.unbuild action_unbuild and
// action_cancel.

const ref = (row: OdooRow, fallback: string): string => (typeof row.name === "string" ? row.name : fallback);

async function one(odoo: SmokeOdoo, model: string, domain: unknown[], fields: string[], missing: string) {
  const [row] = await searchRead(odoo, model, domain, fields, 1);
  if (!row) throw new Error(missing);
  return row;
}

function seriesOf(version: string): number {
  const major = Number.parseInt(version, 10);
  return Number.isFinite(major) ? major : 0;
}

/**
 * Runs the write smoke: a sale order for the test customer and the manufactured product, confirmed; its
 * manufacturing order and work orders progressed and done; its delivery validated; its invoice posted. Every record
 * is kept in the log with what reverses it, so the caller's cleanup undoes them whether the flow finished or not.
 */
export async function writeFlow(odoo: SmokeOdoo, log: SmokeLog, policy: SmokePolicy): Promise<void> {
  const call = (model: string, method: string, args: unknown[], kwargs?: Record<string, unknown>) =>
    odoo.call(model, method, args, kwargs);
  let customer = 0;
  let product = 0;
  let order = { id: 0, name: "" };
  let productions: OdooRow[] = [];

  await log.step("find test customer", async () => {
    const row = await one(
      odoo,
      "res.partner",
      [["name", "=", policy.customer]],
      ["id", "name"],
      `No customer named "${policy.customer}" in this Odoo: create it in the test company (policy.yaml smoke.customer).`,
    );
    customer = idOf(row);
    return { detail: `${policy.customer} (#${customer})` };
  });
  await log.step("find manufactured product", async () => {
    const row = await one(
      odoo,
      "product.product",
      [["default_code", "=", policy.product]],
      ["id", "display_name"],
      `No product with internal reference "${policy.product}": create a product manufactured to order (policy.yaml smoke.product).`,
    );
    product = idOf(row);
    return { detail: `${String(row.display_name ?? policy.product)} (#${product})` };
  });
  await log.step("create sale order", async () => {
    const id = createdId(
      await call("sale.order", "create", [
        [
          {
            partner_id: customer,
            order_line: [[0, 0, { product_id: product, product_uom_qty: 1 }]],
          },
        ],
      ]),
    );
    const [row] = await searchRead(odoo, "sale.order", [["id", "=", id]], ["name"], 1);
    order = { id, name: row ? ref(row, `sale.order ${id}`) : `sale.order ${id}` };
    log.keep({ model: "sale.order", ...order }, "cancel", async () => {
      await call("sale.order", "action_cancel", [[id]]);
    });
    return { detail: order.name };
  });
  await log.step("confirm sale order", async () => {
    await call("sale.order", "action_confirm", [[order.id]]);
    // The reference the manufacturing order and delivery carry as their origin (a draft may still be "New").
    const [row] = await searchRead(odoo, "sale.order", [["id", "=", order.id]], ["name"], 1);
    if (row) order = { id: order.id, name: ref(row, order.name) };
    const id = order.id;
    log.keep({ model: "sale.order", ...order }, "cancel", async () => {
      await call("sale.order", "action_cancel", [[id]]);
    });
    return { detail: `${order.name} confirmed` };
  });
  await log.step("find manufacturing order", async () => {
    productions = await searchRead(
      odoo,
      "mrp.production",
      [["origin", "=", order.name]],
      ["id", "name", "product_id", "product_qty"],
    );
    if (productions.length === 0) {
      throw new Error(
        `Confirming ${order.name} made no manufacturing order: give the smoke product the Manufacture and Replenish on Order (MTO) routes.`,
      );
    }
    for (const mo of productions) {
      const id = idOf(mo);
      log.keep({ model: "mrp.production", id, name: ref(mo, `mrp.production ${id}`) }, "cancel", async () => {
        await call("mrp.production", "action_cancel", [[id]]);
      });
    }
    return {
      detail: productions.map((mo) => ref(mo, "?")).join(", "),
      measured: { manufacturingOrders: productions.length },
    };
  });
  const moIds = productions.map(idOf);
  await log.step("progress work orders", async () => {
    const workorders = await searchRead(odoo, "mrp.workorder", [["production_id", "in", moIds]], ["id", "name"]);
    for (const wo of workorders) {
      await call("mrp.workorder", "button_start", [[idOf(wo)]]);
      await call("mrp.workorder", "button_finish", [[idOf(wo)]]);
    }
    return {
      detail: `${workorders.length} work orders started and finished`,
      measured: { workOrders: workorders.length },
    };
  });
  await log.step("finish manufacturing order", async () => {
    await call("mrp.production", "button_mark_done", [moIds]);
    for (const mo of productions) {
      const id = idOf(mo);
      // A done manufacturing order cannot be cancelled: its output is unbuilt instead.
      log.keep({ model: "mrp.production", id, name: ref(mo, `mrp.production ${id}`) }, "unbuild", async () => {
        const unbuild = createdId(
          await call("mrp.unbuild", "create", [
            [
              {
                mo_id: id,
                product_id: many2oneId(mo.product_id),
                product_qty: typeof mo.product_qty === "number" ? mo.product_qty : 1,
              },
            ],
          ]),
        );
        await call("mrp.unbuild", "action_unbuild", [[unbuild]]);
      });
    }
    return { detail: `${moIds.length} manufacturing orders done` };
  });
  await log.step("validate delivery", async () => {
    const pickings = await searchRead(
      odoo,
      "stock.picking",
      [
        ["origin", "=", order.name],
        ["picking_type_code", "=", "outgoing"],
      ],
      ["id", "name"],
    );
    if (pickings.length === 0) throw new Error(`${order.name} has no delivery to validate.`);
    for (const picking of pickings) {
      const id = idOf(picking);
      const name = ref(picking, `stock.picking ${id}`);
      log.keep({ model: "stock.picking", id, name }, "cancel", async () => {
        await call("stock.picking", "action_cancel", [[id]]);
      });
      await call("stock.picking", "action_assign", [[id]]);
      await call("stock.picking", "button_validate", [[id]]);
      log.keep({ model: "stock.picking", id, name }, "return", async () => returnPicking(odoo, id));
    }
    return { detail: pickings.map((p) => ref(p, "?")).join(", "), measured: { deliveries: pickings.length } };
  });
  await log.step("post invoice", async () => {
    const context = { active_model: "sale.order", active_ids: [order.id], active_id: order.id };
    const wizard = createdId(
      await call(
        "sale.advance.payment.inv",
        "create",
        [[{ advance_payment_method: "delivered", sale_order_ids: [[6, 0, [order.id]]] }]],
        { context },
      ),
    );
    await call("sale.advance.payment.inv", "create_invoices", [[wizard]], { context });
    const invoice = await one(
      odoo,
      "account.move",
      [
        ["invoice_origin", "=", order.name],
        ["move_type", "=", "out_invoice"],
      ],
      ["id", "name"],
      `Invoicing ${order.name} made no customer invoice.`,
    );
    const id = idOf(invoice);
    log.keep({ model: "account.move", id, name: ref(invoice, `account.move ${id}`) }, "cancel", async () => {
      await call("account.move", "button_cancel", [[id]]);
    });
    await call("account.move", "action_post", [[id]]);
    const [posted] = await searchRead(odoo, "account.move", [["id", "=", id]], ["name"], 1);
    const name = posted ? ref(posted, `account.move ${id}`) : `account.move ${id}`;
    log.keep({ model: "account.move", id, name }, "reverse", async () => reverseInvoice(odoo, id));
    return { detail: `${name} posted` };
  });
}

/** Returns a validated delivery: the return wizard, then validating the return it makes. */
async function returnPicking(odoo: SmokeOdoo, id: number): Promise<void> {
  const context = { active_model: "stock.picking", active_id: id, active_ids: [id] };
  const wizard = createdId(await odoo.call("stock.return.picking", "create", [[{ picking_id: id }]], { context }));
  const method = seriesOf(odoo.serverVersion) >= 18 ? "action_create_returns" : "create_returns";
  const action = await odoo.call("stock.return.picking", method, [[wizard]], { context });
  const returned = typeof action === "object" && action !== null ? (action as { res_id?: unknown }).res_id : null;
  if (typeof returned !== "number") throw new Error("Odoo made no return for the delivery.");
  await odoo.call("stock.picking", "button_validate", [[returned]]);
}

/** Reverses a posted invoice with a credit note (the reversal wizard), as an accountant would. */
async function reverseInvoice(odoo: SmokeOdoo, id: number): Promise<void> {
  const context = { active_model: "account.move", active_ids: [id] };
  const wizard = createdId(
    await odoo.call(
      "account.move.reversal",
      "create",
      [
        [
          {
            move_ids: [[6, 0, [id]]],
            reason: "Shiftgate smoke test",
          },
        ],
      ],
      { context },
    ),
  );
  await odoo.call("account.move.reversal", "reverse_moves", [[wizard]], { context });
}
