import { spawnSync } from "node:child_process";
import { appendFileSync, existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Core } from "../../../electron/core/core";
import type { AuditEvent, ChangeDetail, ChangeSummary, ListPage } from "../../../shared/contract/index";
import type { SmokeRun } from "../../../shared/contract/odoo-smoke";
import { runCliCaptured } from "../../helpers/cli";
import type { OdooStandIn } from "../../helpers/odoo-server";
import { addSmokeMethods, userError } from "../../helpers/odoo-smoke-methods";
import { tempCore } from "../../helpers/temp";
import { actAs } from "../approvals/support";
import { call } from "../register/register-fixtures";
import { connectOdoo, standIn } from "./odoo-world";

// `odoo.smoke` and `shiftgate odoo smoke` over one core: the environment's stored connection and key, the policy's
// smoke.writes (qa here), the run recorded as a change's smoke-tests gate, and the CLI's exit codes.
let core: Core;
let dir: string;
let cleanup: () => void;
let odoo: OdooStandIn | undefined;
beforeAll(async () => {
  const t = await tempCore({});
  ({ core, cleanup, dir } = t);
  await call(core, "gitops.createDemo", {});
  appendFileSync(join(core.services.gitopsDir ?? "", ".shiftgate", "policy.yaml"), "smoke:\n  writes: [qa]\n");
  await actAs(core, "tom.fischer@plant.example");
});
afterAll(() => cleanup());
afterEach(async () => {
  await odoo?.close();
  odoo = undefined;
});

async function connected(environment: string, prepare?: (s: OdooStandIn) => void): Promise<OdooStandIn> {
  odoo = await standIn({ version: "17.0" });
  addSmokeMethods(odoo);
  prepare?.(odoo);
  await connectOdoo(core, odoo, environment, "tom.fischer@plant.example");
  return odoo;
}

describe("odoo.smoke through the core", () => {
  it("writes in qa where the policy allows it, and only reads in production", async () => {
    const qa = await connected("qa");
    const run = await call<SmokeRun>(core, "odoo.smoke", { environment: "qa" });
    expect(run).toMatchObject({ environment: "qa", mode: "write", passed: true, leftBehind: [], recorded: null });
    expect(qa.calls.some((c) => c.model === "sale.order" && c.method === "create")).toBe(true);
    // The run is in the audit chain, as the proved key holder's act, with what it created and left.
    const audit = await call<ListPage<AuditEvent>>(core, "audit.list", { entity: "odoo-smoke-run", pageSize: 50 });
    expect(audit.items.filter((e) => e.action === "odoo.smoke").at(-1)).toMatchObject({
      actor: "tom.fischer@plant.example",
      after: {
        mode: "write",
        passed: true,
        leftBehind: [],
        created: expect.arrayContaining([expect.stringMatching(/^sale\.order S\d+/)]),
      },
    });
    await odoo?.close();
    const prod = await connected("production");
    const readOnly = await call<SmokeRun>(core, "odoo.smoke", { environment: "production" });
    expect(readOnly).toMatchObject({ mode: "read-only", passed: true, created: [] });
    expect(prod.calls.every((c) => ["search_read", "search_count", "context_get"].includes(c.method))).toBe(true);
  });

  it("records a run made for a change as its smoke-tests gate, with the run as evidence", async () => {
    // A dba may run checks and record gates, and is no party to the demo's changes.
    await actAs(core, "dana.kim@plant.example");
    await connected("qa", (s) =>
      s.addMethod("stock.picking", "button_validate", () => {
        throw userError("Not enough stock of Smoke test bracket in WH/Stock.");
      }),
    );
    const page = await call<ListPage<ChangeSummary>>(core, "change.list", { status: ["awaiting-approval"] });
    const change = page.items[0];
    if (!change) throw new Error("the demo has no change awaiting approval");
    const run = await call<SmokeRun>(core, "odoo.smoke", { environment: "qa", changeId: change.id });
    expect(run.passed).toBe(false);
    expect(run.recorded).toMatchObject({ result: "fail" });
    const detail = await call<ChangeDetail>(core, "change.get", { id: change.id });
    const gate = detail.gates.find((g) => g.id === run.recorded?.id);
    expect(gate).toMatchObject({ stage: "qa", gate: "smoke-tests", result: "fail" });
    expect(gate?.reason).toContain("validate delivery failed: Odoo refused");
    // The key is nowhere the run went: not in the register (with its WAL), the evidence, or the GitOps working copy.
    const qaKey = odoo?.apiKey ?? "";
    for (const file of ["register.sqlite", "register.sqlite-wal"].map((f) => join(dir, f))) {
      if (existsSync(file)) expect(readFileSync(file).includes(qaKey)).toBe(false);
    }
    // git grep answers 1 when nothing matches, in the committed history's working tree and the files not yet added.
    const grep = spawnSync("git", ["grep", "-l", "--untracked", "-F", qaKey], { cwd: core.services.gitopsDir ?? dir });
    expect(grep.status, grep.stdout.toString()).toBe(1);
    expect(gate?.measurements).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: "steps-failed", value: 1 }),
        expect.objectContaining({ name: "step-validate-delivery", value: "failed" }),
      ]),
    );
  });
});

describe("shiftgate odoo smoke", () => {
  it("exits 0 when the smoke passed, 1 when a step failed, and never prints the key", async () => {
    const qa = await connected("qa");
    // The command line opens the same data folder as its own core (the last test: this one is closed for it).
    core.close();
    {
      const ok = await runCliCaptured(["odoo", "smoke", "--env", "qa", "--json", "--data-dir", dir]);
      expect(ok.code, ok.stderr).toBe(0);
      expect(JSON.parse(ok.stdout)).toMatchObject({ passed: true, mode: "write" });
      qa.addMethod("mrp.production", "button_mark_done", () => {
        throw userError("WH/MO: the components are not available.");
      });
      const failed = await runCliCaptured(["odoo", "smoke", "--env", "qa", "--data-dir", dir]);
      expect(failed.code).toBe(1);
      expect(failed.stdout).toMatch(/FAILED/);
      expect(failed.stdout).toMatch(/FAIL finish manufacturing order/);
      for (const out of [ok.stdout, ok.stderr, failed.stdout, failed.stderr]) expect(out).not.toContain(qa.apiKey);
    }
  });
});
