import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Core } from "../../../electron/core/core";
import { CHANGE_STATUSES, CHANGE_TYPES, type ChangeDetail } from "../../../shared/contract/index";
import { commitCatalogue, TEST_TEMPLATE } from "../../helpers/standard-catalogue";
import { tempCore } from "../../helpers/temp";
import {
  call,
  changeIn,
  derivedOnly,
  EXPECTED,
  evidenceMove,
  lowRiskAnswers,
  manualMoves,
  newChange,
  pathTo,
  recordGates,
} from "./register-fixtures";

let core: Core;
let cleanup: () => void;
beforeAll(async () => {
  ({ core, cleanup } = await tempCore({ demo: false }));
  commitCatalogue(core.services.gitopsDir ?? expect.fail("no working copy path"));
});
afterAll(() => cleanup());

describe("lifecycle through dispatch", () => {
  for (const type of CHANGE_TYPES) {
    for (const from of CHANGE_STATUSES) {
      if (pathTo(type, from) === null) continue;
      const lifecycle = EXPECTED[type][from];
      const manual = manualMoves(type, from);
      it(`${type} ${from}: a person may move it only to ${manual.join(", ") || "nothing"}`, async () => {
        const change = await changeIn(core, type, from);
        const audit = (await call<{ total: number }>(core, "audit.list", { page: 1, pageSize: 1 })).total;
        for (const to of CHANGE_STATUSES.filter((s) => !manual.includes(s))) {
          const result = await core.call("change.transition", { id: change.id, to, reason: "try" });
          expect(result.ok, `${from} -> ${to}`).toBe(false);
          if (result.ok) continue;
          if (lifecycle.includes(to)) {
            // A state that follows from evidence: refused whoever asks, saying what reaches it.
            expect(derivedOnly(from, to)).toBe(true);
            expect(result.error.code, `${from} -> ${to}`).toBe("forbidden");
            expect(result.error.message).toContain(`only through`);
            expect(result.error.details).toMatchObject({ reason: "derived-state", from, to, allowed: manual });
          } else {
            expect(result.error.code).toBe("illegal-transition");
            expect(result.error.message).toContain(from);
            expect(result.error.details).toMatchObject({ from, to, allowed: lifecycle });
          }
        }
        const after = await call<ChangeDetail>(core, "change.get", { id: change.id });
        expect(after.status).toBe(from);
        expect(after.version).toBe(change.version);
        expect(after.allowedTransitions).toEqual(manual);
        expect(after.derivedTransitions.map((d) => d.to)).toEqual(lifecycle.filter((to) => !manual.includes(to)));
        expect((await call<{ total: number }>(core, "audit.list", { page: 1, pageSize: 1 })).total).toBe(audit);
      });
      for (const to of manual) {
        it(`${type} ${from} -> ${to} is allowed`, async () => {
          const change = await changeIn(core, type, from);
          const moved = await call<ChangeDetail>(core, "change.transition", { id: change.id, to, reason: "ok" });
          expect(moved.status).toBe(to);
        });
      }
    }
  }
  it("a standard change can never wait for CAB approval", () => {
    expect(pathTo("standard", "awaiting-approval")).toBeNull();
  });
});

describe("transition preconditions", () => {
  it("needs a risk assessment before assessed", async () => {
    const c = await call<ChangeDetail>(core, "change.create", newChange());
    await call(core, "change.transition", { id: c.id, to: "submitted" });
    const result = await core.call("change.transition", { id: c.id, to: "assessed" });
    expect(result).toMatchObject({ ok: false, error: { code: "illegal-transition" } });
    await call(core, "risk.assess", { changeId: c.id, answers: lowRiskAnswers() });
    expect((await call<ChangeDetail>(core, "change.transition", { id: c.id, to: "assessed" })).status).toBe("assessed");
  });

  it("needs a reason to reject, cancel, fail, roll back or return to draft", async () => {
    const c = await call<ChangeDetail>(core, "change.create", newChange());
    const result = await core.call("change.transition", { id: c.id, to: "cancelled" });
    expect(result).toMatchObject({ ok: false, error: { code: "invalid-input" } });
    await call(core, "change.transition", { id: c.id, to: "cancelled", reason: "not needed" });
  });

  it("needs a window to schedule", async () => {
    const c = await call<ChangeDetail>(core, "change.create", newChange({ environment: "qa", window: null }));
    await call(core, "risk.assess", { changeId: c.id, answers: lowRiskAnswers() });
    for (const to of ["submitted", "assessed", "awaiting-approval"]) {
      await call(core, "change.transition", { id: c.id, to });
    }
    evidenceMove(core, c.id, "approved");
    const result = await core.call("change.transition", { id: c.id, to: "scheduled" });
    expect(result).toMatchObject({ ok: false, error: { code: "illegal-transition" } });
  });

  it("refuses a stale expectedVersion with conflict", async () => {
    const c = await call<ChangeDetail>(core, "change.create", newChange());
    await call(core, "change.comment", { id: c.id, body: "bumps the version" });
    const result = await core.call("change.transition", { id: c.id, to: "submitted", expectedVersion: c.version });
    expect(result).toMatchObject({ ok: false, error: { code: "conflict" } });
  });

  it("emergency changes reach awaiting-approval without pre-production gates", async () => {
    const c = await call<ChangeDetail>(core, "change.create", newChange({ type: "emergency" }));
    await call(core, "change.transition", { id: c.id, to: "submitted" });
    const moved = await call<ChangeDetail>(core, "change.transition", { id: c.id, to: "awaiting-approval" });
    expect(moved.status).toBe("awaiting-approval");
  });

  it("standard production changes need their pre-production gates to be approved", async () => {
    const c = await call<ChangeDetail>(
      core,
      "change.create",
      newChange({ type: "standard", template: TEST_TEMPLATE.id }),
    );
    await call(core, "risk.assess", { changeId: c.id, answers: lowRiskAnswers() });
    await call(core, "change.transition", { id: c.id, to: "submitted" });
    // Assessed inside its template, but its gates are not in: it waits in assessed.
    const assessed = await call<ChangeDetail>(core, "change.transition", { id: c.id, to: "assessed" });
    expect(assessed.status).toBe("assessed");
    // Its template's pre-approval is the only way in, and even that needs the gates.
    const byHand = await core.call("change.transition", { id: c.id, to: "approved" });
    expect(byHand).toMatchObject({ ok: false, error: { code: "forbidden", details: { reason: "derived-state" } } });
    expect(() => evidenceMove(core, c.id, "approved")).toThrow(/pre-production gates/);
    await recordGates(core, c.id, "preproduction");
    expect((await call<ChangeDetail>(core, "change.get", { id: c.id })).status).toBe("approved");
  });
});
