import { afterEach, describe, expect, it } from "vitest";
import type { Core } from "../../../electron/core/core";
import type { AuditEvent, ListPage } from "../../../shared/contract/index";
import { DEMO_PEOPLE } from "../../../shared/domain/demo/roster";
import { demoLaptops, type Laptops } from "../../helpers/laptops";
import { call, who } from "../approvals/support";
import { assessDeclared, CHANGE_MANAGER, GATE_RECORDER, recordGates } from "../register/register-fixtures";

// Found by the three-laptop race (#17, seed 99 at 200 operations): two laptops that had synced the same ledger showed
// one change in two states, because the derived state depended on where the change sat on each laptop and on the
// order the records arrived in. The state must be a function of the repository's content only.
let world: Laptops | null = null;
afterEach(() => {
  world?.cleanup();
  world = null;
});

const statusOn = async (core: Core, number: string) =>
  (await call(core, "change.list", { pageSize: 200 })).items.find((c) => c.number === number)?.status;
const idOn = async (core: Core, number: string) =>
  (await call(core, "change.list", { pageSize: 200 })).items.find((c) => c.number === number)?.id ?? "";

/** A change asked for approval with its pre-production gates recorded after it reached the repository (they travel). */
async function awaitingInRepo(core: Core, integrations?: readonly string[]): Promise<string> {
  const id = await submittedAssessed(core, integrations);
  await world?.holdKey(core, GATE_RECORDER);
  await recordGates(core, id, "preproduction", "pass", GATE_RECORDER);
  // Asked by Lena holding her key: her signed request is what tells the other laptops it waits for approval.
  await world?.holdKey(core, who("lena").email);
  await call(core, "change.transition", { id, to: "awaiting-approval", actor: who("lena").email });
  return id;
}

async function decide(core: Core, changeId: string, email: string): Promise<void> {
  await world?.holdKey(core, email);
  await call(core, "approval.decide", {
    changeId,
    scope: "deploy",
    decision: "approved",
    meaning: "Approved for production release",
  });
}

/** Approves a change on one laptop, one allowed signer after another, until its quorum is met there. */
async function approveUntilMet(core: Core, changeId: string): Promise<void> {
  for (let i = 0; i < 6; i++) {
    if ((await call(core, "change.get", { id: changeId })).status === "approved") return;
    const signers = await call(core, "approval.signers", { changeId, emails: DEMO_PEOPLE.map((p) => p.email) });
    const next = signers.find((s) => s.allowed);
    if (!next) break;
    await world?.holdKey(core, next.email);
    await call(core, "approval.decide", {
      changeId,
      scope: "deploy",
      decision: "approved",
      meaning: "Approved for production release",
    });
  }
  expect((await call(core, "change.get", { id: changeId })).status).toBe("approved");
}

async function auditOf(core: Core, entityId: string): Promise<AuditEvent[]> {
  const rows: AuditEvent[] = [];
  for (let page = 1; ; page++) {
    const got = (await call(core, "audit.list", { page, pageSize: 500 })) as ListPage<AuditEvent>;
    rows.push(...got.items.filter((r) => r.entityId === entityId));
    if (page * 500 >= got.total) return rows.sort((x, y) => x.seq - y.seq);
  }
}

/** A production change assessed and submitted to the repository (as the race submits): not yet asked for approval. */
async function submittedAssessed(core: Core, integrations: readonly string[] = ["mes"]): Promise<string> {
  const lena = who("lena");
  await world?.holdKey(core, lena.email);
  const created = await call(core, "change.create", {
    title: "Relabel Berlin pick routes",
    type: "normal",
    area: "integration",
    plants: ["berlin"],
    environment: "production",
    requester: lena,
    implementer: who("tom"),
    window: { start: "2026-12-09T21:00:00Z", end: "2026-12-10T01:00:00Z" },
    dbMigration: false,
    rollbackPlan: "Revert the release commit.",
    validation: [],
  });
  await call(core, "change.transition", { id: created.id, to: "submitted", actor: lena.email });
  const risk = { "production-hours": false, "tested-preproduction": true, "rollback-rehearsed": false };
  await assessDeclared(
    core,
    created.id,
    { ...risk, integrations: [...integrations], "close-period": false },
    {
      actor: CHANGE_MANAGER,
    },
  );
  await call(core, "change.transition", { id: created.id, to: "assessed", actor: CHANGE_MANAGER });
  await call(core, "gitops.submit", { changeId: created.id });
  return created.id;
}

describe("a change's state is the ledger's, whatever the laptop and the order records arrived in", () => {
  it("a qa gate committed after the quorum was met does not leave the gate recorder's laptop awaiting approval", async () => {
    world = await demoLaptops(2);
    const [a, b] = world.cores as [Core, Core];
    const id = await awaitingInRepo(a);
    const number = (await call(a, "change.get", { id })).number ?? "";
    await call(b, "gitops.sync", {});
    expect(await statusOn(b, number)).toBe("awaiting-approval");

    // A's approvers meet the quorum and push; B has not synced since and records a qa gate, committed after them.
    await approveUntilMet(a, id);
    expect((await call(a, "gitops.push", {})).error).toBeNull();
    await world.holdKey(b, GATE_RECORDER);
    await call(b, "gate.record", {
      changeId: await idOn(b, number),
      stage: "qa",
      gate: "mrp-run",
      result: "pass",
      actor: GATE_RECORDER,
    });
    expect((await call(b, "gitops.push", {})).error).toBeNull();

    // A received the gate after the approvals, B the approvals after the gate: the same ledger, the same state.
    await call(a, "gitops.sync", {});
    await call(b, "gitops.sync", {});
    expect(await statusOn(a, number)).toBe("approved");
    expect(await statusOn(b, number)).toBe("approved");
    const moves = (await auditOf(b, await idOn(b, number))).filter((r) => r.action === "change.transition");
    // Imported assessed, asked by Lena's signed request, then approved by the ledger's quorum: each a step of sync.
    expect(moves.map((r) => [r.actor, r.after])).toEqual([
      ["system:gitops", { status: "awaiting-approval" }],
      ["system:gitops", { status: "approved" }],
    ]);
  });

  it("a change its own laptop never asked approval for is approved there too once the ledger's quorum is met", async () => {
    world = await demoLaptops(2);
    const [a, b] = world.cores as [Core, Core];
    const id = await submittedAssessed(a);
    // Submitted to the repository while assessed: its own laptop has not asked for approval (in the race the ask was
    // refused there); laptop B records the gates and asks (a signed request), and there its approvers meet the quorum.
    const number = (await call(a, "change.get", { id: id })).number ?? "";
    await call(b, "gitops.sync", {});
    const onB = await idOn(b, number);
    await world.holdKey(b, GATE_RECORDER);
    await recordGates(b, onB, "preproduction", "pass", GATE_RECORDER);
    await world.holdKey(b, who("lena").email);
    await call(b, "change.transition", { id: onB, to: "awaiting-approval" });
    await approveUntilMet(b, onB);
    expect((await call(b, "gitops.push", {})).error).toBeNull();

    await call(a, "gitops.sync", {});
    expect(await statusOn(a, number)).toBe("approved");
    // Automatic steps of sync, the decisions named, never the person who happened to press Sync.
    const moves = (await auditOf(a, id)).filter((r) => r.action === "change.transition").slice(-2);
    expect(moves.map((r) => [r.actor, r.after])).toEqual([
      ["system:gitops", { status: "awaiting-approval" }],
      ["system:gitops", { status: "approved" }],
    ]);
    expect(moves[1]?.reason).toMatch(/^Quorum met by the repository's approvals: /);
  });

  it("a gate committed between two approvals makes the first stale on every laptop, not only on its signer's", async () => {
    world = await demoLaptops(2);
    const [a, b] = world.cores as [Core, Core];
    // Medium risk: a change manager and Berlin's plant-ops leader must both approve.
    const id = await awaitingInRepo(a, ["mes", "wms"]);
    const number = (await call(a, "change.get", { id })).number ?? "";
    await call(b, "gitops.sync", {});
    const onB = await idOn(b, number);
    // Sofia approves on B and it is pushed; A has not synced and records a qa gate, committed after her approval.
    await decide(b, onB, CHANGE_MANAGER);
    expect((await call(b, "gitops.push", {})).error).toBeNull();
    await world.holdKey(a, GATE_RECORDER);
    await call(a, "gate.record", { changeId: id, stage: "qa", gate: "mrp-run", result: "pass", actor: GATE_RECORDER });
    expect((await call(a, "gitops.push", {})).error).toBeNull();
    // A syncs and Berlin's plant-ops leader approves there, over the gate records A shows now.
    await call(a, "gitops.sync", {});
    const leader = (await call(a, "approval.signers", { changeId: id, emails: DEMO_PEOPLE.map((p) => p.email) })).find(
      (s) => s.allowed && s.email !== CHANGE_MANAGER,
    );
    await decide(a, id, leader?.email ?? expect.fail("no plant-ops leader may approve"));
    expect((await call(a, "gitops.push", {})).error).toBeNull();
    await call(b, "gitops.sync", {});

    // Sofia signed over the gate records before the qa gate: her approval is stale on both laptops, so the change
    // waits for her to sign again on both (before, A counted her file, which did not say what she signed over).
    expect(await statusOn(a, number)).toBe("awaiting-approval");
    expect(await statusOn(b, number)).toBe("awaiting-approval");
    const file = await call(b, "approval.preview", { changeId: onB });
    expect(file.approvals.find((x) => x.signature.email === CHANGE_MANAGER)?.current).toBe(false);
  });
});
