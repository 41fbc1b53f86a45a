import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Core } from "../../../electron/core/core";
import { tempCore } from "../../helpers/temp";
import { actAs, call, changeAwaitingApproval, decideAs, refused, who } from "./support";

// An approval is signed over the gate records on the approver's screen: a record added after signing (a new
// result, a second run of a gate) leaves the signature stale, exactly as a revision of change.yaml does.

const ANA = who("ana").email;
const SOFIA = who("sofia").email;
const DANA = who("dana").email; // a dba: records gates (the implementer records none bound for production)

let core: Core;
let cleanup: () => void;

beforeEach(async () => {
  ({ core, cleanup } = await tempCore({ demo: false }));
});
afterEach(() => cleanup());

async function recordGate(
  changeId: string,
  gate: "mrp-run" | "interface-health",
  result: "pass" | "fail",
  stage: "preproduction" | "production" = "preproduction",
) {
  await actAs(core, DANA);
  await call(core, "gate.record", {
    changeId,
    stage,
    gate,
    result,
    ...(result === "fail" ? { reason: "MES queue backed up" } : {}),
  });
}

describe("the approval's digest covers the gate records it was made over", () => {
  it("a gate recorded after signing makes the approval stale; signing again covers the new record", async () => {
    const id = await changeAwaitingApproval(core);
    await recordGate(id, "mrp-run", "pass");
    const signed = await decideAs(core, ANA, id);
    expect(signed.approval.current).toBe(true);
    expect(signed.quorum.summary).toBe("needs 1 change-manager");

    await recordGate(id, "interface-health", "fail");
    const after = await call(core, "approval.preview", { changeId: id });
    expect(after.approvals).toMatchObject([{ id: signed.approval.id, current: false }]);
    expect(after.quorum.summary).toBe("needs 1 change-manager and the Berlin plant-ops-leader");
    expect(after.quorum.issues).toEqual([
      "Ana Ortiz's deploy approval was signed over gate records that have changed since; it must be signed again",
    ]);
    // Ana may sign again: her stale approval does not count as a decision already given.
    await actAs(core, ANA);
    const again = await call(core, "approval.preview", { changeId: id });
    expect(again.scopes.find((s) => s.scope === "deploy")).toMatchObject({ allowed: true, myDecision: null });
    const resigned = await decideAs(core, ANA, id);
    expect(resigned.approval.current).toBe(true);
    expect(resigned.quorum.summary).toBe("needs 1 change-manager");
  });

  it("a gate of the target stage itself (checked after the release) leaves the approvals that allowed it current", async () => {
    const id = await changeAwaitingApproval(core);
    await recordGate(id, "mrp-run", "pass");
    const signed = await decideAs(core, ANA, id);
    await recordGate(id, "interface-health", "pass", "production");
    const after = await call(core, "approval.preview", { changeId: id });
    expect(after.approvals).toMatchObject([{ id: signed.approval.id, current: true }]);
    expect(after.quorum.issues).toEqual([]);
  });

  it("an approval given before any gate was recorded does not cover a record added later", async () => {
    const id = await changeAwaitingApproval(core);
    await decideAs(core, ANA, id);
    await recordGate(id, "mrp-run", "pass");
    await decideAs(core, SOFIA, id);
    const change = await call(core, "change.get", { id });
    expect(change.status).toBe("awaiting-approval");
    const preview = await call(core, "approval.preview", { changeId: id });
    expect(preview.approvals.map((a) => [a.signature.email, a.current])).toEqual([
      [ANA, false],
      [SOFIA, true],
    ]);
    expect(preview.quorum).toMatchObject({ met: false, summary: "needs the Berlin plant-ops-leader" });
  });

  it("the preview names the gate records' digest apart from change.yaml's, which a gate leaves as it is", async () => {
    const id = await changeAwaitingApproval(core);
    await recordGate(id, "mrp-run", "pass");
    await decideAs(core, ANA, id);
    const preview = await call(core, "approval.preview", { changeId: id });
    expect(preview.gatesDigest).toMatch(/^sha256:[0-9a-f]{64}$/);
    await recordGate(id, "mrp-run", "pass");
    const later = await call(core, "approval.preview", { changeId: id });
    expect(later.gatesDigest).not.toBe(preview.gatesDigest);
    expect(later.digest).toBe(preview.digest);
  });

  it("a signature over gates the signer did not see is refused, and nothing is recorded", async () => {
    const id = await changeAwaitingApproval(core);
    await actAs(core, ANA);
    const seen = await call(core, "approval.preview", { changeId: id });
    await recordGate(id, "mrp-run", "fail");
    await actAs(core, ANA);
    const auditBefore = await call(core, "audit.list", { page: 1, pageSize: 500 });
    const error = await refused(core, "approval.decide", {
      changeId: id,
      scope: "deploy",
      decision: "approved",
      meaning: "Approved for production release",
      expectedDigest: seen.digest,
      expectedGatesDigest: seen.gatesDigest,
    });
    expect(error).toMatchObject({
      code: "conflict",
      message: "A gate result was recorded after you opened this change; review the gates again before you sign.",
    });
    const after = await call(core, "approval.preview", { changeId: id });
    expect(after.approvals).toEqual([]);
    expect(await call(core, "audit.list", { page: 1, pageSize: 500 })).toEqual(auditBefore);
  });
});
