import { createHash } from "node:crypto";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { systemClock } from "../../../electron/core/clock";
import type { Core } from "../../../electron/core/core";
import { startGitops } from "../../../electron/core/gitops/first-run";
import { git, isolatedGitContext } from "../../../electron/core/gitops/git";
import { dataPaths } from "../../../electron/core/paths";
import type { ChangeDetail, Gate } from "../../../shared/contract/index";
import { setupGitopsRepo } from "../../helpers/ledger-writes";
import { tempCore } from "../../helpers/temp";
import { call, who } from "../approvals/support";
import {
  assessDeclared,
  CHANGE_MANAGER,
  GATE_RECORDER,
  lowRiskAnswers,
  recordGates,
} from "../register/register-fixtures";

// Issue #15 item 4: gate records travel through the ledger. Laptop A runs the demo repository (its bare remote on
// disk); laptop B is a second data folder cloned from it.
const ctx = isolatedGitContext();
const LENA = who("lena");
const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0).reverse()) c();
});

async function laptops(): Promise<{ a: Core; aDir: string; b: Core }> {
  const a = await tempCore({ clock: systemClock });
  cleanups.push(a.cleanup);
  await startGitops(a.core.services);
  await call(a.core, "gitops.sync", {});
  const b = await tempCore({ demo: false, clock: systemClock });
  cleanups.push(b.cleanup);
  await setupGitopsRepo({ source: dataPaths(a.dir).gitopsDemoRemote, dir: dataPaths(b.dir).gitopsWorkingCopy, ctx });
  return { a: a.core, aDir: a.dir, b: b.core };
}

const selectKey = (core: Core, aDir: string, email: string) =>
  call(core, "identity.use", { keyFile: join(dataPaths(aDir).keys, `${email}.key`) });

// A production change raised by Lena on laptop A and submitted to the repository (it takes its CHG number).
async function submittedChange(a: Core, aDir: string): Promise<{ id: string; number: string }> {
  await selectKey(a, aDir, LENA.email);
  const start = new Date(Date.now() + 7 * 86_400_000).toISOString();
  const c = await call(a, "change.create", {
    title: "Two-step picking for Berlin",
    type: "normal",
    area: "warehouse",
    plants: ["berlin"],
    environment: "production",
    requester: LENA,
    implementer: who("tom"),
    window: { start, end: new Date(Date.parse(start) + 4 * 3_600_000).toISOString() },
    rollbackPlan: "Revert the release commit.",
  });
  await call(a, "change.transition", { id: c.id, to: "submitted" });
  // Facts answer what they know (a window over a night shift makes it production hours): those are left to the app.
  await assessDeclared(a, c.id, lowRiskAnswers(), { actor: CHANGE_MANAGER });
  const { number } = await call(a, "gitops.submit", { changeId: c.id });
  return { id: c.id, number };
}

describe("gates through the GitOps repository", () => {
  it("a gate recorded on one laptop is a signed file, and the other laptop sees it with its evidence after sync", async () => {
    const { a, aDir, b } = await laptops();
    const { id, number } = await submittedChange(a, aDir);
    await selectKey(a, aDir, GATE_RECORDER);
    const log = "MRP scheduler run, berlin preproduction\nplanned manufacturing orders: 131\nexceptions: 0\n";
    const gate = await call(a, "gate.record", {
      changeId: id,
      stage: "preproduction",
      gate: "mrp-run",
      result: "pass",
      measurements: [
        { name: "duration", value: 31 },
        { name: "exceptions", value: 0 },
      ],
      evidence: [{ filename: "mrp-run.log", contentBase64: Buffer.from(log).toString("base64") }],
    });
    const sha256 = createHash("sha256").update(log).digest("hex");

    // One commit signed by the recorder (git's own verdict), holding the gate file and the log by its hash.
    const work = dataPaths(aDir).gitopsWorkingCopy;
    const head = (await git(ctx, work, ["log", "-1", "--format=%H%x1f%ce"])).stdout.trim().split("\x1f");
    expect(head[1]).toBe(GATE_RECORDER);
    const files = (await git(ctx, work, ["show", "--name-only", "--format=", head[0] ?? ""])).stdout.trim().split("\n");
    const gateFile = `changes/${number}/gates/preproduction-mrp-run-${gate.id.toLowerCase()}.yaml`;
    expect(files.sort()).toEqual([`changes/${number}/evidence/${sha256}`, gateFile].sort());
    const verdict = await git(ctx, work, [
      "-c",
      `gpg.ssh.allowedSignersFile=${join(work, ".shiftgate", "allowed_signers")}`,
      "log",
      "-1",
      "--format=%G?",
    ]);
    expect(verdict.stdout.trim()).toBe("G");
    const yaml = (await git(ctx, work, ["show", `HEAD:${gateFile}`])).stdout;
    expect(yaml).toContain(`recordedBy: { name: Ana Ortiz, email: ${GATE_RECORDER}, role: plant-ops-leader }`);
    expect(yaml).toContain("- { name: duration, value: 31, unit: min, target: { op: <=, value: 45 }, ok: true }");
    await call(a, "gitops.push", {});

    // Laptop B: the change arrives with sync, and its gate with the measured values and the evidence held here.
    const synced = await call(b, "gitops.sync", {});
    const there = synced.imported.find((c) => c.number === number) ?? expect.fail(`${number} not imported`);
    const detail = await call<"change.get">(b, "change.get", { id: there.changeId });
    const seen = (detail as ChangeDetail).gates;
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject<Partial<Gate>>({
      stage: "preproduction",
      gate: "mrp-run",
      result: "pass",
      recordedBy: GATE_RECORDER,
      measurements: gate.measurements,
      evidence: [{ filename: "mrp-run.log", sha256, size: log.length, location: "here" }],
    });
    // A second sync imports nothing again.
    await call(b, "gitops.sync", {});
    expect((await call(b, "change.get", { id: there.changeId })).gates).toHaveLength(1);
  });

  it("an approval signed on the other laptop covers the gate records that travelled there", async () => {
    const { a, aDir, b } = await laptops();
    const { id, number } = await submittedChange(a, aDir);
    await selectKey(a, aDir, GATE_RECORDER);
    await call(a, "gate.record", {
      changeId: id,
      stage: "preproduction",
      gate: "mrp-run",
      result: "pass",
      measurements: [
        { name: "duration", value: 27 },
        { name: "exceptions", value: 0 },
      ],
    });
    // The other gates pass, and Sofia asks for approval holding her key: her signed request makes B show it waiting.
    await recordGates(a, id, "preproduction", "pass", GATE_RECORDER);
    await selectKey(a, aDir, CHANGE_MANAGER);
    await call(a, "change.transition", { id, to: "assessed" });
    await call(a, "change.transition", { id, to: "awaiting-approval" });
    await call(a, "gitops.push", {});
    const synced = await call(b, "gitops.sync", {});
    const there = synced.imported.find((c) => c.number === number) ?? expect.fail(`${number} not imported`);

    // Both laptops compute the same digest over the same gate records.
    const onA = await call(a, "approval.preview", { changeId: id });
    const onB = await call(b, "approval.preview", { changeId: there.changeId });
    expect(onB.gatesDigest).toBe(onA.gatesDigest);

    // Sofia approves on laptop B; on laptop A, after sync, her approval is current over those gates.
    await selectKey(b, aDir, CHANGE_MANAGER);
    const signed = await call(b, "approval.decide", {
      changeId: there.changeId,
      scope: "deploy",
      decision: "approved",
      meaning: "Approved for production release",
      expectedGatesDigest: onB.gatesDigest,
    });
    expect(signed.approval.current).toBe(true);
    await call(b, "gitops.push", {});
    await call(a, "gitops.sync", {});
    const after = await call(a, "approval.preview", { changeId: id });
    expect(after.approvals.map((x) => [x.signature.email, x.current, x.issue])).toEqual([[CHANGE_MANAGER, true, null]]);
  });
});
