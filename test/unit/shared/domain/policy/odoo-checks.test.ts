import { describe, expect, it } from "vitest";
import { parsePolicy } from "../../../../../shared/domain/policy/documents";
import { checksFor, effectiveOdooChecks } from "../../../../../shared/domain/policy/odoo-checks";

// policy.yaml `odoo:` (docs/gitops-repo.md): the presets of the five gates, overridden, switched off or extended by
// a plant, all validated when the policy is read.
const BASE = "version: 1\napprovals: {}\n";

describe("Odoo gate checks in policy.yaml", () => {
  it("without an odoo: block the presets of the five manufacturing gates apply", () => {
    const checks = effectiveOdooChecks(parsePolicy(BASE).odoo);
    expect(new Set(checks.map((c) => c.gate))).toEqual(
      new Set(["mrp-run", "inventory-reservation", "procurement-rules", "accounting-posting", "interface-health"]),
    );
    expect(checks.find((c) => c.id === "stock-negative-quants")).toMatchObject({
      model: "stock.quant",
      measure: "count",
      threshold: { op: "<=", value: 0 },
    });
  });

  it("a plant overrides a preset by id, switches one off and adds its own", () => {
    const policy = parsePolicy(`${BASE}odoo:
  checks:
    - { id: mrp-scheduler-recent, threshold: { op: "<=", value: 8 }, environments: [production] }
    - { id: failed-edi-exchanges, enabled: false }
    - id: scrap-moves-today
      title: Scrap moves done today
      gate: inventory-reservation
      model: stock.move
      domain: [[location_dest_id.usage, "=", inventory], [date, ">=", $today], "|", [state, "=", done], [state, "=", assigned]]
      threshold: { op: "<=", value: 25 }
      unit: moves
`);
    const checks = effectiveOdooChecks(policy.odoo);
    expect(checks.find((c) => c.id === "mrp-scheduler-recent")).toMatchObject({
      ref: "stock.ir_cron_scheduler_action",
      measure: "age-hours",
      threshold: { op: "<=", value: 8 },
      environments: ["production"],
    });
    expect(checks.some((c) => c.id === "failed-edi-exchanges")).toBe(false);
    expect(checks.at(-1)).toMatchObject({ id: "scrap-moves-today", measure: "count", enabled: true });
    expect(checksFor(checks, "qa", "mrp-run").map((c) => c.id)).not.toContain("mrp-scheduler-recent");
    expect(checksFor(checks, "production", "mrp-run").map((c) => c.id)).toContain("mrp-scheduler-recent");
    expect(checksFor(checks, "qa", "inventory-reservation").map((c) => c.id)).toContain("scrap-moves-today");
  });

  it("presets: false leaves only the plant's own checks", () => {
    const policy = parsePolicy(`${BASE}odoo:
  presets: false
  checks:
    - { id: open-orders, title: Open sale orders, gate: interface-health, model: sale.order, domain: [[state, "=", sale]], threshold: { op: ">=", value: 1 } }
`);
    expect(effectiveOdooChecks(policy.odoo).map((c) => c.id)).toEqual(["open-orders"]);
  });

  it.each([
    [
      "an unknown gate",
      "{ id: x, title: X, gate: payroll, model: hr.payslip, threshold: { op: '<=', value: 0 } }",
      /gate/,
    ],
    [
      "a sum without its field",
      "{ id: x, title: X, gate: mrp-run, model: mrp.production, measure: sum, threshold: { op: '<=', value: 0 } }",
      /names its field/,
    ],
    [
      "an unknown placeholder",
      "{ id: x, title: X, gate: mrp-run, model: ir.cron, domain: [[lastcall, '<', $yesterday]], threshold: { op: '<=', value: 0 } }",
      /placeholder/,
    ],
    [
      "a domain operator Odoo does not have",
      "{ id: x, title: X, gate: mrp-run, model: ir.cron, domain: [[active, '~', true]], threshold: { op: '<=', value: 0 } }",
      /odoo/,
    ],
    ["a preset override that breaks it", "{ id: stock-negative-quants, measure: max }", /names its field/],
    ["a new check without a model", "{ id: x, title: X, gate: mrp-run, threshold: { op: '<=', value: 0 } }", /model/],
  ])("refuses %s when the policy is read", (_what, entry, message) => {
    expect(() => parsePolicy(`${BASE}odoo:\n  checks:\n    - ${entry}\n`)).toThrow(message);
  });
});
