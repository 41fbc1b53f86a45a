import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Core } from "../../../electron/core/core";
import { demoPolicy } from "../../../electron/core/gitops/demo-policy";
import type { Policy } from "../../../shared/domain/policy/index";
import type { OdooStandIn } from "../../helpers/odoo-server";
import { tempCore } from "../../helpers/temp";
import { type PolicyWorkingCopy, policyWorkingCopy } from "../register/policy-world";
import { connectOdoo, runChecks, standIn, statusOf } from "./odoo-world";

// Issue #18 item 2: a plant adds its own check to policy.yaml, without code; the checks in force are the policy's
// at the working copy's HEAD, so a signed policy change retunes them.
function withChecks(odoo: Policy["odoo"]): Policy {
  return { ...demoPolicy(), odoo };
}

const openOrders = (atLeast: number) => ({
  id: "orders-flowing",
  title: "Sale orders confirmed in the last week",
  gate: "interface-health",
  model: "sale.order",
  domain: [
    ["state", "=", "sale"],
    ["date_order", ">=", "$now-7d"],
  ],
  threshold: { op: ">=", value: atLeast },
  unit: "orders",
});

let core: Core;
let cleanup: () => void;
let repo: PolicyWorkingCopy;
let odoo: OdooStandIn;
beforeAll(async () => {
  const t = await tempCore({ demo: false });
  core = t.core;
  cleanup = t.cleanup;
  repo = await policyWorkingCopy(t.dir, withChecks({ presets: false, checks: [openOrders(1)] }));
  odoo = await standIn({ version: "18.0" });
  await connectOdoo(core, odoo);
});
afterAll(async () => {
  await odoo.close();
  repo.cleanup();
  cleanup();
});

describe("a plant's own Odoo check", () => {
  it("runs from policy.yaml alone, and a signed policy change retunes it", async () => {
    const listed = (await core.call("odoo.check.list", { environment: "qa" })) as {
      ok: true;
      value: { checks: { id: string }[] };
    };
    expect(listed.value.checks.map((c) => c.id)).toEqual(["orders-flowing"]);
    const run = await runChecks(core, { environment: "qa" });
    expect(run.checks.map((c) => c.id)).toEqual(["orders-flowing"]);
    expect(statusOf(run, "orders-flowing")).toEqual({ status: "pass", value: 1 });

    await repo.publish(withChecks({ presets: false, checks: [openOrders(5)] }));
    const stricter = await runChecks(core, { environment: "qa" });
    expect(statusOf(stricter, "orders-flowing")).toEqual({ status: "fail", value: 1 });
    expect(stricter.checks[0]?.threshold).toEqual({ op: ">=", value: 5 });
  });

  it("a preset switched back on by the policy runs beside it", async () => {
    await repo.publish(withChecks({ presets: true, checks: [openOrders(1)] }));
    const run = await runChecks(core, { environment: "qa", gate: "interface-health" });
    expect(run.checks.map((c) => c.id)).toEqual([
      "overdue-scheduled-actions",
      "failed-queue-jobs",
      "failed-edi-exchanges",
      "orders-flowing",
    ]);
    expect(run.status).toBe("pass");
  });
});
