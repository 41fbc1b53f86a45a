import { describe, it } from "vitest";
import { bypassWorld } from "../../helpers/bypass-world";
import { call, who } from "../approvals/support";

// The emergency path's bypass matrix: one person cannot log, approve and review the same emergency, and
// break-glass cannot be declared for the future. Each route is tried by every relevant demo person through every
// page door (no CLI command reaches exception.* or approval.decide); each is refused, its refusal audited where
// the world.core audits signing attempts, and nothing else changes.
const RAJ = who("raj").email; // the demo's it-manager: the logger
const MARCUS = who("marcus").email; // raised the fix: the requester
const KENJI = who("kenji").email; // the implementer
const ANA = who("ana").email;

let changeId: string;
const world = bypassWorld({}, async (w) => {
  await w.as(RAJ);
  const logged = await call(w.core, "exception.log", {
    title: "Scanner lot-number fix",
    area: "barcode",
    plants: ["chicago"],
    requester: who("marcus"),
    implementer: who("kenji"),
    justification: "Barcode scanners reject lot numbers after the supplier label change; shipping stopped",
    incident: "INC-88213",
    breakGlass: { start: "2026-12-01T06:10:00Z", end: "2026-12-01T07:40:00Z" },
    actions: "Patched the lot-number parser",
  });
  changeId = logged.change.id;
  // Settle the outbox now, so no background push marks the exception's row pushed in the middle of a check.
  await call(w.core, "gitops.push", {});
});

describe("one person cannot log, approve and review the same emergency", () => {
  const reviews = [
    { as: RAJ, code: "sod-violation", message: /you logged its exception/ },
    { as: MARCUS, code: "sod-violation", message: /you raised the fix/ },
    { as: KENJI, code: "sod-violation", message: /you are its implementer/ },
    { as: ANA, code: "forbidden", message: /needs a cab-member or change-manager/ },
  ] as const;
  for (const r of reviews) {
    it(`the review by ${r.as} is refused at every door`, async () => {
      await world.as(r.as);
      await world.refused(
        "exception.review",
        { changeId, outcome: "accepted", notes: "Looks fine to me" },
        { code: r.code, message: r.message, audited: "review.refused" },
      );
    });
  }

  it("the logger's own approval is refused at every door", async () => {
    await world.as(RAJ);
    for (const decision of ["approved", "rejected"] as const)
      await world.refused(
        "approval.decide",
        { changeId, scope: "deploy", decision, meaning: "Approved under break-glass" },
        { code: "sod-violation", message: /you logged its exception/, audited: "approval.refused" },
      );
  });
});

describe("break-glass covers work already under way", () => {
  const future = {
    title: "Planned as an emergency",
    area: "barcode",
    plants: ["chicago"],
    requester: who("marcus"),
    implementer: who("kenji"),
    justification: "Not an emergency yet",
    incident: "INC-1",
    // The world.core's clock is 2026-12-01T08:00Z: this starts an hour later.
    breakGlass: { start: "2026-12-01T09:00:00Z", end: "2026-12-01T10:00:00Z" },
    actions: "Nothing yet",
  };
  it("a window that starts in the future is refused at every door", async () => {
    await world.as(RAJ);
    await world.refused("exception.log", future, { code: "invalid-input", message: /after now/ });
  });
  it("and anyone without the logging role is refused at every door", async () => {
    // A window already under way, so the role is what refuses (Kenji is the demo's second it-manager: he may log).
    const underWay = { ...future, breakGlass: { start: "2026-12-01T06:10:00Z", end: "2026-12-01T07:40:00Z" } };
    for (const email of [MARCUS, ANA]) {
      await world.as(email);
      await world.refused("exception.log", underWay, {
        code: "forbidden",
        message: /Only an it-manager may log/,
        audited: "exception.refused",
      });
    }
  });
});
