import type { OdooCheckInput } from "./odoo-checks";

// The built-in checks of the five manufacturing gates, on standard Odoo 16-19 models (README "Odoo checks" says
// what each measures). Every one measures a number against a threshold, so a gate record carries the value, not a
// yes/no. A plant tunes them in policy.yaml `odoo: checks:` by id.

const ACTIVE_MO = ["confirmed", "progress", "to_close"];
const WAITING_MOVE = ["confirmed", "waiting", "partially_available"];
// OCA edi_oca's error states of an exchange record.
const EDI_ERRORS = ["output_error_on_send", "output_error_on_check", "input_receive_error", "input_processed_error"];

/** A check that counts records that should not exist (a threshold of none): `unit` names what it counts. */
function noneOf(unit: string, check: Omit<OdooCheckInput, "threshold" | "unit">): OdooCheckInput {
  return { ...check, threshold: { op: "<=", value: 0 }, unit };
}

export const ODOO_PRESETS: readonly OdooCheckInput[] = [
  {
    id: "mrp-scheduler-recent",
    title: "Hours since the procurement scheduler (stock.ir_cron_scheduler_action) last ran",
    gate: "mrp-run",
    model: "ir.cron",
    ref: "stock.ir_cron_scheduler_action",
    domain: [["active", "=", true]],
    measure: "age-hours",
    field: "lastcall",
    threshold: { op: "<=", value: 26 },
    unit: "h",
  },
  {
    id: "mrp-scheduler-failures",
    title: "Consecutive failures of the procurement scheduler",
    gate: "mrp-run",
    model: "ir.cron",
    ref: "stock.ir_cron_scheduler_action",
    measure: "max",
    field: "failure_count",
    // ir.cron counts its failures from Odoo 18 on.
    sinceVersion: 18,
    threshold: { op: "<=", value: 0 },
  },
  noneOf("orders", {
    id: "mrp-late-components",
    title: "Open manufacturing orders whose components are late",
    gate: "mrp-run",
    model: "mrp.production",
    module: "mrp",
    domain: [
      ["state", "in", ACTIVE_MO],
      ["components_availability_state", "=", "late"],
    ],
  }),
  noneOf("moves", {
    id: "stock-moves-unreserved",
    title: "Stock moves confirmed but not reserved past their date",
    gate: "inventory-reservation",
    model: "stock.move",
    module: "stock",
    domain: [
      ["state", "in", WAITING_MOVE],
      ["date", "<", "$now"],
    ],
  }),
  noneOf("quants", {
    id: "stock-negative-quants",
    title: "Negative quantities in internal locations",
    gate: "inventory-reservation",
    model: "stock.quant",
    module: "stock",
    domain: [
      ["quantity", "<", 0],
      ["location_id.usage", "=", "internal"],
    ],
  }),
  noneOf("orderpoints", {
    id: "orderpoints-not-triggered",
    title: "Automatic reordering points that should have ordered and did not",
    gate: "procurement-rules",
    model: "stock.warehouse.orderpoint",
    module: "stock",
    domain: [
      ["trigger", "=", "auto"],
      ["qty_to_order", ">", 0],
    ],
  }),
  noneOf("activities", {
    id: "procurement-exceptions",
    title: "Procurement exception activities on products",
    gate: "procurement-rules",
    model: "mail.activity",
    // A procurement that finds no rule leaves a warning activity on the product template (stock.rule).
    domain: [
      ["activity_type_id", "=", "$ref:mail.mail_activity_data_warning"],
      ["res_model", "in", ["product.template", "product.product"]],
    ],
  }),
  noneOf("entries", {
    id: "draft-entries-in-period",
    title: "Draft journal entries dated in the current month",
    gate: "accounting-posting",
    model: "account.move",
    module: "account",
    domain: [
      ["state", "=", "draft"],
      ["date", ">=", "$month-start"],
      ["date", "<=", "$today"],
    ],
  }),
  {
    id: "unbalanced-postings",
    title: "Imbalance of the journal items posted this month (debit minus credit)",
    gate: "accounting-posting",
    model: "account.move.line",
    module: "account",
    domain: [
      ["parent_state", "=", "posted"],
      ["date", ">=", "$month-start"],
    ],
    measure: "abs-sum",
    field: "balance",
    threshold: { op: "<=", value: 0.01 },
  },
  noneOf("entries", {
    id: "posted-into-locked-period",
    title: "Entries posted into the locked period after the lock date",
    gate: "accounting-posting",
    model: "account.move",
    module: "account",
    domain: [
      ["state", "=", "posted"],
      ["date", "<=", "$lock-date"],
      ["create_date", ">", "$lock-date"],
    ],
  }),
  noneOf("actions", {
    id: "overdue-scheduled-actions",
    title: "Active scheduled actions more than an hour overdue (stuck or failing)",
    gate: "interface-health",
    model: "ir.cron",
    domain: [
      ["active", "=", true],
      ["nextcall", "<", "$now-1h"],
    ],
  }),
  noneOf("jobs", {
    id: "failed-queue-jobs",
    title: "Failed background jobs (queue_job)",
    gate: "interface-health",
    model: "queue.job",
    module: "queue_job",
    domain: [["state", "=", "failed"]],
  }),
  noneOf("records", {
    id: "failed-edi-exchanges",
    title: "EDI exchange records in an error state (edi_oca)",
    gate: "interface-health",
    model: "edi.exchange.record",
    module: "edi_oca",
    domain: [["edi_exchange_state", "in", EDI_ERRORS]],
  }),
];
