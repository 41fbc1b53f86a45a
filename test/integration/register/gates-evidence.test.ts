import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Core } from "../../../electron/core/core";
import type { ChangeDetail, Evidence, Gate, ReadinessBlocker } from "../../../shared/contract/index";
import { evidenceMove } from "../../helpers/evidence-move";
import { tempCore } from "../../helpers/temp";
import { policyWorkingCopy } from "./policy-world";
import { call, GATES, lowRiskAnswers, newChange, recordGates } from "./register-fixtures";

let core: Core;
let dir: string;
let cleanup: () => void;
beforeAll(async () => {
  ({ core, dir, cleanup } = await tempCore({ demo: false }));
  // Waivers are judged by the roles in the working copy's policy.yaml: here the demo policy over the demo roster.
  const repo = await policyWorkingCopy(dir);
  const closeCore = cleanup;
  cleanup = () => {
    closeCore();
    repo.cleanup();
  };
});
afterAll(() => cleanup());

async function assessedChange(overrides: Record<string, unknown> = {}): Promise<ChangeDetail> {
  const c = await call<ChangeDetail>(core, "change.create", newChange(overrides));
  await call(core, "risk.assess", { changeId: c.id, answers: lowRiskAnswers() });
  await call(core, "change.transition", { id: c.id, to: "submitted" });
  return call<ChangeDetail>(core, "change.transition", { id: c.id, to: "assessed" });
}

async function requestApproval(id: string) {
  return core.call("change.transition", { id, to: "awaiting-approval" });
}

describe("production approval gates", () => {
  it("is refused while a pre-production gate is missing, and names it", async () => {
    const c = await assessedChange();
    for (const gate of GATES.slice(1))
      await call(core, "gate.record", { changeId: c.id, stage: "preproduction", gate, result: "pass" });
    const result = await requestApproval(c.id);
    expect(result).toMatchObject({ ok: false, error: { code: "gate-failed" } });
    if (!result.ok) expect(result.error.details?.blockers).toEqual([{ gate: "mrp-run", state: "missing" }]);
  });

  it("is refused while a pre-production gate failed; a later pass clears it", async () => {
    const c = await assessedChange();
    await recordGates(core, c.id, "preproduction");
    await call(core, "gate.record", {
      changeId: c.id,
      stage: "preproduction",
      gate: "mrp-run",
      result: "fail",
      reason: "MRP exceptions",
    });
    expect(await requestApproval(c.id)).toMatchObject({ ok: false, error: { code: "gate-failed" } });
    const detail = await call<ChangeDetail>(core, "change.get", { id: c.id });
    expect(detail.productionReadiness.blockers).toEqual<ReadinessBlocker[]>([{ gate: "mrp-run", state: "failed" }]);
    await call(core, "gate.record", { changeId: c.id, stage: "preproduction", gate: "mrp-run", result: "pass" });
    expect(await requestApproval(c.id)).toMatchObject({ ok: true });
  });

  it("refuses a waiver or failure without a reason, and a typed waivedBy name", async () => {
    const c = await assessedChange();
    const base = { changeId: c.id, stage: "qa", gate: "mrp-run" };
    for (const bad of [
      { ...base, result: "waived" },
      { ...base, result: "waived", reason: "r", waivedBy: "sofia.rossi@plant.example" },
      { ...base, result: "pass", waivedBy: "sofia.rossi@plant.example" },
      { ...base, result: "fail" },
    ]) {
      expect(await core.call("gate.record", bad)).toMatchObject({ ok: false, error: { code: "invalid-input" } });
    }
    expect((await call<ChangeDetail>(core, "change.get", { id: c.id })).gates).toEqual([]);
  });

  it("refuses gates for a stage beyond the change's environment", async () => {
    const c = await assessedChange({ environment: "qa" });
    const result = await core.call("gate.record", {
      changeId: c.id,
      stage: "preproduction",
      gate: "mrp-run",
      result: "pass",
    });
    expect(result).toMatchObject({ ok: false, error: { code: "invalid-input" } });
  });
});

describe("promotion", () => {
  it("moves stage by stage once the stage's gates pass, and reaches production only while implementing", async () => {
    const c = await assessedChange();
    expect(await core.call("change.promote", { id: c.id, to: "integration" })).toMatchObject({
      ok: false,
      error: { code: "gate-failed" },
    });
    expect(await core.call("change.promote", { id: c.id, to: "qa" })).toMatchObject({
      ok: false,
      error: { code: "illegal-transition" },
    });
    for (const [from, to] of [
      ["development", "integration"],
      ["integration", "qa"],
      ["qa", "preproduction"],
    ]) {
      await recordGates(core, c.id, from ?? "");
      expect((await call<ChangeDetail>(core, "change.promote", { id: c.id, to })).stage).toBe(to);
    }
    await recordGates(core, c.id, "preproduction");
    expect(await core.call("change.promote", { id: c.id, to: "production" })).toMatchObject({ ok: false });
    await call(core, "change.transition", { id: c.id, to: "awaiting-approval" });
    evidenceMove(core, c.id, "approved");
    await call(core, "change.transition", { id: c.id, to: "scheduled" });
    evidenceMove(core, c.id, "implementing");
    expect((await call<ChangeDetail>(core, "change.promote", { id: c.id, to: "production" })).stage).toBe("production");
  });
});

describe("evidence", () => {
  const content = Buffer.from("MRP run: 0 exceptions\n").toString("base64");

  it("stores content once by SHA-256 and never duplicates it", async () => {
    const c = await call<ChangeDetail>(core, "change.create", newChange());
    const first = await call<Evidence & { deduplicated: boolean }>(core, "evidence.attach", {
      changeId: c.id,
      filename: "mrp.log",
      contentBase64: content,
    });
    expect(first).toMatchObject({ deduplicated: false, size: 22, mediaType: "text/plain" });
    const again = await call<Evidence & { deduplicated: boolean }>(core, "evidence.attach", {
      changeId: c.id,
      filename: "mrp-copy.log",
      contentBase64: content,
    });
    expect(again).toMatchObject({ id: first.id, deduplicated: true });
    const other = await call<ChangeDetail>(core, "change.create", newChange());
    const elsewhere = await call<Evidence>(core, "evidence.attach", {
      changeId: other.id,
      filename: "mrp.log",
      contentBase64: content,
    });
    expect(elsewhere.id).not.toBe(first.id);
    expect(elsewhere.sha256).toBe(first.sha256);
    const blobs = core.services.register.db
      .prepare("SELECT count(*) FROM blobs WHERE sha256 = ?")
      .pluck()
      .get(first.sha256);
    expect(blobs).toBe(1);
    expect((await call<ChangeDetail>(core, "change.get", { id: c.id })).evidence).toHaveLength(1);
  });

  it("keeps both versions when a file of the same name gets new content", async () => {
    const c = await call<ChangeDetail>(core, "change.create", newChange());
    const v1 = await call<Evidence>(core, "evidence.attach", {
      changeId: c.id,
      filename: "report.txt",
      contentBase64: content,
    });
    const v2 = await call<Evidence>(core, "evidence.attach", {
      changeId: c.id,
      filename: "report.txt",
      contentBase64: Buffer.from("second run").toString("base64"),
    });
    expect(v2.id).not.toBe(v1.id);
    const read = await call<{ contentBase64: string }>(core, "evidence.read", { id: v1.id });
    expect(read.contentBase64).toBe(content);
    expect((await call<ChangeDetail>(core, "change.get", { id: c.id })).evidence.map((e) => e.id)).toEqual([
      v1.id,
      v2.id,
    ]);
  });

  it("refuses to replace stored content even with direct SQL", () => {
    const db = core.services.register.db;
    expect(() => db.prepare("UPDATE blobs SET content = x'00'").run()).toThrow(/never replaced/);
    expect(() => db.prepare("DELETE FROM blobs").run()).toThrow(/never removed/);
  });

  it("attaches to a gate of the same change only", async () => {
    const c = await call<ChangeDetail>(core, "change.create", newChange());
    const other = await call<ChangeDetail>(core, "change.create", newChange());
    const gate = await call<Gate>(core, "gate.record", {
      changeId: c.id,
      stage: "qa",
      gate: "smoke-tests",
      result: "pass",
    });
    const onGate = await call<Evidence>(core, "evidence.attach", {
      changeId: c.id,
      gateId: gate.id,
      filename: "s.txt",
      contentBase64: content,
    });
    expect(onGate.gateId).toBe(gate.id);
    const wrong = await core.call("evidence.attach", {
      changeId: other.id,
      gateId: gate.id,
      filename: "s.txt",
      contentBase64: content,
    });
    expect(wrong).toMatchObject({ ok: false, error: { code: "not-found" } });
  });

  it("reads a file path only from the command line", async () => {
    const c = await call<ChangeDetail>(core, "change.create", newChange());
    const file = join(dir, "smoke.txt");
    writeFileSync(file, "smoke ok");
    for (const door of ["ipc", "web"] as const) {
      const result = await core.call("evidence.attach", { changeId: c.id, filename: "smoke.txt", path: file }, door);
      expect(result).toMatchObject({ ok: false, error: { code: "forbidden" } });
    }
    const fromCli = await call<Evidence>(
      core,
      "evidence.attach",
      { changeId: c.id, filename: "smoke.txt", path: file },
      "cli",
    );
    expect(fromCli.size).toBe(8);
  });
});
