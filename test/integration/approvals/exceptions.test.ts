import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { fixedClock } from "../../../electron/core/clock";
import type { Core } from "../../../electron/core/core";
import { evidenceMove } from "../../helpers/evidence-move";
import { tempCore } from "../../helpers/temp";
import { actAs, call, changeAwaitingApproval, decideAs, refused, who } from "./support";

const RAJ = who("raj").email;
const ANA = who("ana").email;
const SOFIA = who("sofia").email;
const KENJI = who("kenji").email;

const NOW = "2026-12-03T10:00:00Z";
let core: Core;
let cleanup: () => void;
let clock: ReturnType<typeof fixedClock>;

beforeEach(async () => {
  clock = fixedClock(NOW);
  ({ core, cleanup } = await tempCore({ demo: false, clock }));
});
afterEach(() => cleanup());

const exception = (over: Record<string, unknown> = {}) => ({
  title: "Scanner lot-number fix",
  area: "barcode" as const,
  plants: ["chicago"],
  requester: who("lena"),
  implementer: who("kenji"),
  justification: "Barcode scanners reject lot numbers after the supplier label change; shipping stopped",
  incident: "INC-88213",
  breakGlass: { start: "2026-12-03T08:10:00Z", end: "2026-12-03T09:40:00Z" },
  actions: "Patched the lot-number parser and restarted the scanner service",
  ...over,
});

describe("emergency exceptions", () => {
  it("an IT manager logs an emergency change; the emergency quorum applies", async () => {
    await actAs(core, RAJ);
    const logged = await call(core, "exception.log", exception());
    expect(logged.change).toMatchObject({ type: "emergency", status: "awaiting-approval", plants: ["chicago"] });
    expect(logged.loggedBy).toMatchObject({ name: "Raj Patel", role: "it-manager", timeZone: "Europe/Berlin" });
    expect(logged.loggedBy.signedAt).toBe("2026-12-03T11:00:00+01:00");
    expect(logged.reviewDueAt).toBe("2026-12-05T09:40:00.000Z");
    const preview = await call(core, "approval.preview", { changeId: logged.change.id });
    expect(preview.quorum.summary).toBe("needs 1 it-manager and 1 plant-ops-leader");
    expect(preview.exception?.incident).toBe("INC-88213");
    expect(logged.change.requester).toEqual(who("lena"));
    // The logger may not approve his own emergency (segregation.emergencyLoggerMayApprove): Kenji is the other it-manager.
    const error = await refused(core, "approval.decide", {
      changeId: logged.change.id,
      scope: "deploy",
      decision: "approved",
      meaning: "Approved under break-glass",
    });
    expect(error).toMatchObject({
      code: "sod-violation",
      message:
        "You cannot approve or reject this emergency change: you logged its exception. Another holder of the role must decide it.",
    });
    const done = await decideAs(core, ANA, logged.change.id);
    expect(done.status).toBe("awaiting-approval");
  });

  it("the requester is a person in the policy: an unknown one is refused and nothing is logged", async () => {
    await actAs(core, RAJ);
    const error = await refused(
      core,
      "exception.log",
      exception({ requester: { name: "Nobody", email: "nobody@plant.example" } }),
    );
    expect(error).toMatchObject({ code: "invalid-input" });
    expect(error.message).toContain("nobody@plant.example is not a person in the policy");
    expect(await call(core, "exception.list", {})).toEqual([]);
  });

  it("a break-glass window that starts in the future is refused; five minutes of clock skew are allowed", async () => {
    await actAs(core, RAJ);
    const before = (await call(core, "audit.list", {})).total;
    const error = await refused(
      core,
      "exception.log",
      exception({ breakGlass: { start: "2026-12-03T10:06:00Z", end: "2026-12-03T12:00:00Z" } }),
    );
    expect(error).toMatchObject({ code: "invalid-input" });
    expect(error.message).toContain("starts at 2026-12-03T10:06:00Z, after now");
    expect(await call(core, "exception.list", {})).toEqual([]);
    expect((await call(core, "audit.list", {})).total).toBe(before);
    const skewed = await call(
      core,
      "exception.log",
      exception({ breakGlass: { start: "2026-12-03T10:04:00Z", end: "2026-12-03T12:00:00Z" } }),
    );
    expect(skewed.breakGlass.start).toBe("2026-12-03T10:04:00Z");
  });

  it("an emergency approved by its requester is refused, and the refusal is audited", async () => {
    await actAs(core, RAJ);
    const logged = await call(core, "exception.log", exception({ requester: who("raj") }));
    expect(logged.change.requester.email).toBe(RAJ);
    const error = await refused(core, "approval.decide", {
      changeId: logged.change.id,
      scope: "deploy",
      decision: "approved",
      meaning: "Approved under break-glass",
    });
    expect(error).toMatchObject({ code: "sod-violation", message: "You cannot approve: you are the requester." });
    const audit = await call(core, "audit.list", { changeId: logged.change.id });
    expect(audit.items.at(-1)).toMatchObject({ action: "approval.refused", actor: RAJ });
  });

  it("only the policy's exception roles may log one; the refusal is audited", async () => {
    await actAs(core, SOFIA);
    const error = await refused(core, "exception.log", exception());
    expect(error).toMatchObject({
      code: "forbidden",
      message: "Only an it-manager may log an emergency exception; you hold cab-member, change-manager.",
    });
    const audit = await call(core, "audit.list", { entity: "exception" });
    expect(audit.items.map((a) => [a.action, a.actor])).toEqual([["exception.refused", SOFIA]]);
  });

  it("the review is due within reviewWithin of the break-glass end, judged by the core's clock", async () => {
    await actAs(core, RAJ);
    const logged = await call(core, "exception.log", exception());
    expect((await call(core, "exception.list", {}))[0]?.overdue).toBe(false);
    expect(await call(core, "exception.overdue", {})).toEqual([]);
    clock.set("2026-12-05T12:00:00Z");
    const list = await call(core, "exception.list", {});
    expect(list[0]).toMatchObject({ overdue: true, review: null });
    expect(await call(core, "exception.overdue", {})).toEqual([
      {
        changeId: logged.change.id,
        title: "Scanner lot-number fix",
        incident: "INC-88213",
        reviewDueAt: "2026-12-05T09:40:00.000Z",
        hoursOverdue: 2,
      },
    ]);
    await actAs(core, SOFIA);
    const reviewed = await call(core, "exception.review", {
      changeId: logged.change.id,
      outcome: "follow-up-required",
      notes: "Root cause and follow-up change",
    });
    expect(reviewed.overdue).toBe(false);
    expect(reviewed.review?.signature).toMatchObject({ name: "Sofia Rossi", role: "cab-member" });
    expect(await call(core, "exception.list", { overdueOnly: true })).toEqual([]);
  });

  const reviewRefusals = [
    { as: KENJI, code: "sod-violation", message: "You cannot review this emergency change: you are its implementer." },
    {
      as: RAJ,
      code: "sod-violation",
      message:
        "You cannot review this emergency change: you logged its exception. Ask another cab-member or change-manager.",
    },
    {
      as: who("lena").email,
      code: "sod-violation",
      message: "You cannot review this emergency change: you raised the fix (its requester).",
    },
    {
      as: ANA,
      code: "forbidden",
      message: "You cannot review this emergency change: it needs a cab-member or change-manager.",
    },
  ] as const;
  for (const r of reviewRefusals) {
    it(`refuses a review by ${r.as}: ${r.message}`, async () => {
      await actAs(core, RAJ);
      const logged = await call(core, "exception.log", exception());
      await actAs(core, r.as);
      const error = await refused(core, "exception.review", { changeId: logged.change.id, outcome: "accepted" });
      expect(error).toMatchObject({ code: r.code, message: r.message });
      const audit = await call(core, "audit.list", { changeId: logged.change.id });
      expect(audit.items.at(-1)).toMatchObject({ action: "review.refused", actor: r.as });
    });
  }

  it("a review is final", async () => {
    await actAs(core, RAJ);
    const logged = await call(core, "exception.log", exception());
    await actAs(core, SOFIA);
    await call(core, "exception.review", { changeId: logged.change.id, outcome: "accepted" });
    const again = await refused(core, "exception.review", { changeId: logged.change.id, outcome: "accepted" });
    expect(again.code).toBe("conflict");
  });

  it("counts monthly emergency ratios and lead times per plant", async () => {
    await actAs(core, RAJ);
    const logged = await call(core, "exception.log", exception());
    await changeAwaitingApproval(core, { plants: ["chicago"] });
    clock.set("2026-12-03T16:00:00Z");
    await decideAs(core, ANA, logged.change.id);
    // The second it-manager's approval stands in as evidence (the logger may not give it).
    evidenceMove(core, logged.change.id, "approved");
    await actAs(core, SOFIA);
    await call(core, "exception.review", { changeId: logged.change.id, outcome: "accepted" });
    const stats = await call(core, "exception.stats", {});
    expect(stats.months).toEqual([
      {
        month: "2026-12",
        plant: "chicago",
        changes: 2,
        emergencies: 1,
        ratio: 0.5,
        // Lead time runs to the signed quorum; the quorum here was completed on evidence, so there is none to measure.
        medianLeadHours: null,
        medianReviewHours: 6.3,
      },
    ]);
  });
});

describe("the self-approval bypassing the UI", () => {
  it("is refused and audited when the core is called directly", async () => {
    const id = await changeAwaitingApproval(core, { requester: "ana" });
    await actAs(core, ANA);
    const before = (await call(core, "audit.list", { changeId: id })).total;
    const result = await core.call(
      "approval.decide",
      { changeId: id, scope: "deploy", decision: "approved", meaning: "Approved for production release" },
      "direct",
    );
    expect(result).toEqual({
      ok: false,
      error: {
        code: "sod-violation",
        message: "You cannot approve: you are the requester.",
        details: expect.objectContaining({ scope: "deploy", reasons: ["requester"] }),
      },
    });
    const audit = await call(core, "audit.list", { changeId: id });
    expect(audit.total).toBe(before + 1);
    expect(audit.items.at(-1)).toMatchObject({
      action: "approval.refused",
      actor: ANA,
      door: "direct",
      reason: "You cannot approve: you are the requester.",
      after: expect.objectContaining({ refused: "sod-violation", by: ANA, decision: "approved" }),
    });
    expect((await call(core, "audit.verify", {})).ok).toBe(true);
    const preview = await call(core, "approval.preview", { changeId: id });
    expect(preview.approvals).toEqual([]);
  });
});
