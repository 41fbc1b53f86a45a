import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Core } from "../../../electron/core/core";
import { git } from "../../../electron/core/gitops/git";
import type { ChangeDetail, Gate } from "../../../shared/contract/index";
import { tempCore } from "../../helpers/temp";
import { type PolicyWorkingCopy, policyWith, policyWorkingCopy } from "./policy-world";
import { call, lowRiskAnswers, newChange, recordGates } from "./register-fixtures";

const SOFIA = "sofia.rossi@plant.example"; // change-manager in the demo roster
const NINA = "nina.berg@plant.example"; // in no demo roster: only a policy can give her a role

// A change whose pre-production gates passed, then mrp-run failed: the waiver decides whether it may go to the CAB.
async function failedMrpRun(core: Core): Promise<ChangeDetail> {
  const c = await call<ChangeDetail>(core, "change.create", newChange());
  await call(core, "risk.assess", { changeId: c.id, answers: lowRiskAnswers() });
  await call(core, "change.transition", { id: c.id, to: "submitted" });
  await call(core, "change.transition", { id: c.id, to: "assessed" });
  await recordGates(core, c.id, "preproduction");
  await call(core, "gate.record", {
    changeId: c.id,
    stage: "preproduction",
    gate: "mrp-run",
    result: "fail",
    reason: "MRP exceptions",
  });
  return c;
}

function waive(core: Core, changeId: string, waivedBy: string) {
  return core.call("gate.record", {
    changeId,
    stage: "preproduction",
    gate: "mrp-run",
    result: "waived",
    reason: "Known MRP exception, unrelated",
    waivedBy,
  });
}

async function waivedBy(core: Core, waiver: string): Promise<{ gate: Gate; mayGoToCab: boolean }> {
  const c = await failedMrpRun(core);
  const result = await waive(core, c.id, waiver);
  if (!result.ok) expect.fail(`waiver refused: ${result.error.code}: ${result.error.message}`);
  const request = await core.call("change.transition", { id: c.id, to: "awaiting-approval" });
  if (!request.ok) expect(request.error.code).toBe("gate-failed");
  return { gate: result.value as Gate, mayGoToCab: request.ok };
}

describe("gate waivers are judged by the roles in the working copy's policy.yaml", () => {
  let core: Core;
  let cleanup: () => void;
  let repo: PolicyWorkingCopy;
  beforeAll(async () => {
    const t = await tempCore({ demo: false });
    core = t.core;
    repo = await policyWorkingCopy(
      t.dir,
      policyWith({}, [{ email: NINA, name: "Nina Berg", roles: ["change-manager"] }]),
    );
    cleanup = () => {
      t.cleanup();
      repo.cleanup();
    };
  });
  afterAll(() => cleanup());

  it("accepts a waiver by a change manager of the policy and records that role", async () => {
    expect(await waivedBy(core, SOFIA)).toMatchObject({
      gate: { waivedBy: SOFIA, waivedByRole: "change-manager" },
      mayGoToCab: true,
    });
    // Nina is nobody in the demo roster: her authority can only come from policy.yaml.
    expect(await waivedBy(core, NINA.toUpperCase())).toMatchObject({
      gate: { waivedBy: NINA, waivedByRole: "change-manager" },
      mayGoToCab: true,
    });
  });

  it("follows a pulled policy: the same person without the role, then not in the policy at all, may not waive", async () => {
    await repo.publish(policyWith({ [SOFIA]: ["cab-member"] }));
    expect(await waivedBy(core, SOFIA)).toMatchObject({
      gate: { waivedBy: SOFIA, waivedByRole: "cab-member" },
      mayGoToCab: false,
    });
    expect(await waivedBy(core, NINA)).toMatchObject({ gate: { waivedByRole: null }, mayGoToCab: false });

    // Still a change manager in the demo roster, but absent from the real policy: no authority.
    await repo.publish(policyWith({ [SOFIA]: null }));
    expect(await waivedBy(core, SOFIA)).toMatchObject({ gate: { waivedByRole: null }, mayGoToCab: false });

    await repo.publish(policyWith({}));
    expect(await waivedBy(core, SOFIA)).toMatchObject({ gate: { waivedByRole: "change-manager" }, mayGoToCab: true });
  });

  it("refuses a waiver, saying what to fix, while policy.yaml is invalid or missing; other gates still record", async () => {
    const file = join(repo.dir, ".shiftgate", "policy.yaml");
    const c = await failedMrpRun(core);
    const gatesBefore = (await call<ChangeDetail>(core, "change.get", { id: c.id })).gates.length;

    writeFileSync(file, "version: 1\npeople: [\n");
    const invalid = await waive(core, c.id, SOFIA);
    expect(invalid).toMatchObject({ ok: false, error: { code: "unavailable", details: { reason: "policy-invalid" } } });
    if (!invalid.ok) expect(invalid.error.message).toMatch(/policy\.yaml.*Fix policy\.yaml/s);
    // Asked again, the same broken file gives the same answer (the failure is kept, not re-parsed into success).
    expect(await waive(core, c.id, SOFIA)).toMatchObject({ ok: false, error: { code: "unavailable" } });

    rmSync(file);
    const missing = await waive(core, c.id, SOFIA);
    expect(missing).toMatchObject({ ok: false, error: { code: "unavailable", details: { reason: "policy-missing" } } });
    if (!missing.ok) expect(missing.error.message).toContain("restore .shiftgate/policy.yaml");

    // A pass needs nobody's role, so it records whatever the policy's state.
    await call(core, "gate.record", { changeId: c.id, stage: "preproduction", gate: "mrp-run", result: "pass" });
    const after = await call<ChangeDetail>(core, "change.get", { id: c.id });
    expect(after.gates.length).toBe(gatesBefore + 1);
    expect(after.gates.some((g) => g.result === "waived")).toBe(false);

    await git(repo.world.ctx, repo.dir, ["checkout", "--quiet", "HEAD", "--", ".shiftgate/policy.yaml"]);
    expect(await waivedBy(core, SOFIA)).toMatchObject({ gate: { waivedByRole: "change-manager" }, mayGoToCab: true });
  });
});

describe("without a GitOps working copy", () => {
  let cleanups: (() => void)[] = [];
  afterEach(() => {
    for (const c of cleanups) c();
    cleanups = [];
  });

  it("refuses every waiver in a register that is not the demo, and says how to set the repository up", async () => {
    const t = await tempCore({ demo: false });
    cleanups.push(t.cleanup);
    const c = await failedMrpRun(t.core);
    const result = await waive(t.core, c.id, SOFIA);
    expect(result).toMatchObject({ ok: false, error: { code: "unavailable", details: { reason: "no-working-copy" } } });
    if (!result.ok)
      expect(result.error.message).toMatch(/no GitOps working copy.*Clone the plant's GitOps repository/s);
    expect(
      (await call<ChangeDetail>(t.core, "change.get", { id: c.id })).gates.some((g) => g.result === "waived"),
    ).toBe(false);
  });

  it("judges a demo register's waivers by the demo roster, until a working copy brings a real policy", async () => {
    const t = await tempCore({});
    cleanups.push(t.cleanup);
    expect(await waivedBy(t.core, SOFIA)).toMatchObject({ gate: { waivedByRole: "change-manager" }, mayGoToCab: true });
    expect(await waivedBy(t.core, NINA)).toMatchObject({ gate: { waivedByRole: null }, mayGoToCab: false });

    const repo = await policyWorkingCopy(t.dir, policyWith({ [SOFIA]: null }));
    cleanups.push(repo.cleanup);
    expect(await waivedBy(t.core, SOFIA)).toMatchObject({ gate: { waivedByRole: null }, mayGoToCab: false });
  });
});
