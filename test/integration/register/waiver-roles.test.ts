import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Core } from "../../../electron/core/core";
import { git } from "../../../electron/core/gitops/git";
import type { ChangeDetail, Gate } from "../../../shared/contract/index";
import { tempCore } from "../../helpers/temp";
import { actAs } from "../approvals/support";
import { type PolicyWorkingCopy, policyWith, policyWorkingCopy } from "./policy-world";
import { call, lowRiskAnswers, newChange, recordGates } from "./register-fixtures";

const SOFIA = "sofia.rossi@plant.example"; // change-manager in the demo roster
const KENJI = "kenji.sato@plant.example"; // no change-manager in the demo roster: only a policy can make him one
const ANA = "ana.ortiz@plant.example"; // plant-ops-leader: records gates of changes she neither raised nor implements

// A waiver is the signature of the selected key's holder: the tests select keys, as the identity menu does.
type KeySelector = (email: string) => Promise<void>;

// A change whose pre-production gates passed, then mrp-run failed: the waiver decides whether it may go to the CAB.
// Each step names its person (a script at the direct door), whoever's key is selected.
async function failedMrpRun(core: Core): Promise<ChangeDetail> {
  const as = { actor: "olivia.brown@plant.example" };
  const c = await call<ChangeDetail>(core, "change.create", { ...newChange(), actor: "lena.weber@plant.example" });
  await call(core, "risk.assess", { changeId: c.id, answers: lowRiskAnswers(), ...as });
  await call(core, "change.transition", { id: c.id, to: "submitted", ...as });
  await call(core, "change.transition", { id: c.id, to: "assessed", ...as });
  await recordGates(core, c.id, "preproduction", "pass", ANA);
  await call(core, "gate.record", {
    changeId: c.id,
    stage: "preproduction",
    gate: "mrp-run",
    result: "fail",
    reason: "MRP exceptions",
    actor: ANA,
  });
  return c;
}

function waive(core: Core, changeId: string) {
  return core.call("gate.record", {
    changeId,
    stage: "preproduction",
    gate: "mrp-run",
    result: "waived",
    reason: "Known MRP exception, unrelated",
  });
}

async function waivedBy(core: Core, use: KeySelector, waiver: string): Promise<{ gate: Gate; mayGoToCab: boolean }> {
  const c = await failedMrpRun(core);
  await use(waiver);
  const result = await waive(core, c.id);
  if (!result.ok) expect.fail(`waiver refused: ${result.error.code}: ${result.error.message}`);
  const request = await core.call("change.transition", {
    id: c.id,
    to: "awaiting-approval",
    actor: "olivia.brown@plant.example",
  });
  if (!request.ok) expect(request.error.code).toBe("gate-failed");
  return { gate: result.value as Gate, mayGoToCab: request.ok };
}

async function refusedWaiver(core: Core, use: KeySelector, waiver: string) {
  const c = await failedMrpRun(core);
  const before = await call<ChangeDetail>(core, "change.get", { id: c.id });
  await use(waiver);
  const result = await waive(core, c.id);
  const after = await call<ChangeDetail>(core, "change.get", { id: c.id });
  expect(after.gates).toEqual(before.gates);
  return result;
}

describe("gate waivers are judged by the roles in the working copy's policy.yaml", () => {
  let core: Core;
  let cleanup: () => void;
  let repo: PolicyWorkingCopy;
  let use: KeySelector;
  beforeAll(async () => {
    const t = await tempCore({ demo: false });
    core = t.core;
    repo = await policyWorkingCopy(t.dir, policyWith({ [KENJI]: ["cab-member", "change-manager"] }));
    use = async (email) => {
      const key = repo.world.signer(email).key;
      if (key.format !== "ssh") throw new Error("ssh keys only");
      await call(core, "identity.use", { keyFile: key.keyFile });
    };
    cleanup = () => {
      t.cleanup();
      repo.cleanup();
    };
  });
  afterAll(() => cleanup());

  it("accepts a waiver signed by a change manager of the policy and records that role", async () => {
    expect(await waivedBy(core, use, SOFIA)).toMatchObject({
      gate: { waivedBy: SOFIA, waivedByRole: "change-manager", recordedBy: SOFIA, result: "waived" },
      mayGoToCab: true,
    });
    // Kenji is no change manager in the demo roster: his authority can only come from policy.yaml.
    expect(await waivedBy(core, use, KENJI)).toMatchObject({
      gate: { waivedBy: KENJI, waivedByRole: "change-manager" },
      mayGoToCab: true,
    });
  });

  it("follows a pulled policy: the same person without the role may not waive, and nothing is recorded", async () => {
    await repo.publish(policyWith({ [SOFIA]: ["cab-member"] }));
    const refused = await refusedWaiver(core, use, SOFIA);
    expect(refused).toMatchObject({ ok: false, error: { code: "forbidden" } });
    if (!refused.ok) expect(refused.error.message).toMatch(/Only a change-manager may waive the mrp-run gate/);

    await repo.publish(policyWith({}));
    expect(await waivedBy(core, use, SOFIA)).toMatchObject({
      gate: { waivedByRole: "change-manager" },
      mayGoToCab: true,
    });
  });

  it("refuses a waiver in someone else's name: the command line's --actor cannot sign for another", async () => {
    const c = await failedMrpRun(core);
    await use(KENJI);
    const before = await call<ChangeDetail>(core, "change.get", { id: c.id });
    for (const door of ["cli", "direct"] as const) {
      const result = await core.call(
        "gate.record",
        {
          changeId: c.id,
          stage: "preproduction",
          gate: "mrp-run",
          result: "waived",
          reason: "Known MRP exception, unrelated",
          actor: SOFIA,
        },
        door,
      );
      expect(result).toMatchObject({ ok: false, error: { code: "forbidden" } });
      if (!result.ok) expect(result.error.message).toMatch(/cannot waive in sofia\.rossi@plant\.example's name/);
    }
    expect((await call<ChangeDetail>(core, "change.get", { id: c.id })).gates).toEqual(before.gates);
  });

  it("refuses the requester's own waiver, even when they hold the waiver role", async () => {
    const c = await call<ChangeDetail>(core, "change.create", {
      ...newChange({ requester: { name: "Sofia Rossi", email: SOFIA } }),
      actor: SOFIA,
    });
    await recordGates(core, c.id, "preproduction", "pass", ANA);
    await use(SOFIA);
    const before = await call<ChangeDetail>(core, "change.get", { id: c.id });
    const result = await waive(core, c.id);
    expect(result).toMatchObject({ ok: false, error: { code: "sod-violation" } });
    if (!result.ok) expect(result.error.message).toMatch(/you requested .* may not waive its gates/i);
    expect((await call<ChangeDetail>(core, "change.get", { id: c.id })).gates).toEqual(before.gates);
  });

  it("refuses a waiver, saying what to fix, while policy.yaml is invalid or missing; other gates still record", async () => {
    const file = join(repo.dir, ".shiftgate", "policy.yaml");
    const c = await failedMrpRun(core);
    const gatesBefore = (await call<ChangeDetail>(core, "change.get", { id: c.id })).gates.length;
    await use(SOFIA);

    writeFileSync(file, "version: 1\npeople: [\n");
    const invalid = await waive(core, c.id);
    expect(invalid).toMatchObject({ ok: false, error: { code: "unavailable", details: { reason: "policy-invalid" } } });
    if (!invalid.ok) expect(invalid.error.message).toMatch(/policy\.yaml.*Fix policy\.yaml/s);
    // Asked again, the same broken file gives the same answer (the failure is kept, not re-parsed into success).
    expect(await waive(core, c.id)).toMatchObject({ ok: false, error: { code: "unavailable" } });

    rmSync(file);
    const missing = await waive(core, c.id);
    expect(missing).toMatchObject({ ok: false, error: { code: "unavailable", details: { reason: "policy-missing" } } });
    if (!missing.ok) expect(missing.error.message).toContain("restore .shiftgate/policy.yaml");
    expect((await call<ChangeDetail>(core, "change.get", { id: c.id })).gates.length).toBe(gatesBefore);

    await git(repo.world.ctx, repo.dir, ["checkout", "--quiet", "HEAD", "--", ".shiftgate/policy.yaml"]);
    expect(await waivedBy(core, use, SOFIA)).toMatchObject({
      gate: { waivedByRole: "change-manager" },
      mayGoToCab: true,
    });
  });
});

describe("without a GitOps working copy", () => {
  let cleanups: (() => void)[] = [];
  afterEach(() => {
    for (const c of cleanups) c();
    cleanups = [];
  });

  it("refuses a waiver with no proved key: a waiver is a person's signature", async () => {
    const t = await tempCore({ demo: false });
    cleanups.push(t.cleanup);
    const result = await refusedWaiver(t.core, async () => undefined, SOFIA);
    expect(result).toMatchObject({ ok: false, error: { code: "forbidden" } });
    if (!result.ok) expect(result.error.message).toMatch(/select your signing key/);
  });

  it("judges a demo register's waivers by the demo roster", async () => {
    const t = await tempCore({});
    cleanups.push(t.cleanup);
    const use: KeySelector = (email) => actAs(t.core, email);
    expect(await waivedBy(t.core, use, SOFIA)).toMatchObject({
      gate: { waivedByRole: "change-manager" },
      mayGoToCab: true,
    });
  });
});
