import { describe, expect, it } from "vitest";
import type { ChangeDetail, ChangeStatus } from "../../../shared/contract/index";
import { bypassWorld, DEMO_ACTORS } from "../../helpers/bypass-world";
import { who } from "../approvals/support";
import { changeIn, ok } from "../register/register-fixtures";

// The role matrix (issue #13 item 2): every person of the demo policy (each of its roles), through every door, tries each hand
// move of the lifecycle, a gate record, a promotion and a risk assessment. The changes come from the fixture as a
// script would make them (requester Lena, a developer; implementer Tom, the release-manager). Whoever the policy's
// defaults do not name is refused with the role needed and nothing changes; whoever they name sees the move offered
// and makes it.
const LENA = who("lena").email; // developer, the requester
const TOM = who("tom").email; // release-manager, the implementer
const ANA = who("ana").email; // plant-ops-leader
const RAJ = who("raj").email; // it-manager, cab-member
const SOFIA = who("sofia").email; // cab-member, change-manager
const KENJI = who("kenji").email; // cab-member
const DANA = who("dana").email; // dba
const OLIVIA = who("olivia").email; // policy-admin, change-manager

interface Move {
  readonly from: ChangeStatus;
  readonly to: ChangeStatus;
  readonly allowed: readonly string[];
  readonly role: RegExp;
}

const MOVES: readonly Move[] = [
  { from: "draft", to: "submitted", allowed: [LENA, SOFIA, OLIVIA], role: /the requester or a change-manager/ },
  { from: "submitted", to: "draft", allowed: [LENA, SOFIA, OLIVIA], role: /the requester or a change-manager/ },
  { from: "submitted", to: "cancelled", allowed: [LENA, SOFIA, OLIVIA], role: /the requester or a change-manager/ },
  {
    from: "submitted",
    to: "assessed",
    allowed: [RAJ, SOFIA, KENJI, OLIVIA],
    role: /a change-manager or a cab-member/,
  },
  {
    from: "assessed",
    to: "awaiting-approval",
    allowed: [LENA, SOFIA, OLIVIA],
    role: /the requester or a change-manager/,
  },
  {
    from: "approved",
    to: "scheduled",
    allowed: [TOM, SOFIA, OLIVIA],
    role: /the implementer, a release-manager or a change-manager/,
  },
  { from: "implementing", to: "failed", allowed: [TOM], role: /the implementer or a release-manager/ },
  { from: "implementing", to: "rolled-back", allowed: [TOM], role: /the implementer or a release-manager/ },
  { from: "failed", to: "closed", allowed: [TOM, SOFIA, OLIVIA], role: /the implementer, a release-manager or/ },
];

const ready = new Map<Move, ChangeDetail>();
let gateChange: ChangeDetail;
const world = bypassWorld({}, async (w) => {
  // Made before anyone's key is selected: the fixture's steps are a script's (the direct door, no person).
  for (const move of MOVES) ready.set(move, await changeIn(w.core, "normal", move.from));
  gateChange = await changeIn(w.core, "normal", "draft");
});

const reasonFor = (to: ChangeStatus) => (["draft", "cancelled", "failed", "rolled-back"].includes(to) ? "Rework" : "");

describe("each lifecycle move is taken only by the roles the policy names", () => {
  for (const move of MOVES) {
    it(`${move.from} -> ${move.to}: refused for the others at every door, offered to and made by the allowed`, async () => {
      const change = ready.get(move) ?? expect.fail("no change");
      const input = { id: change.id, to: move.to, ...(reasonFor(move.to) ? { reason: reasonFor(move.to) } : {}) };
      for (const email of DEMO_ACTORS.filter((p) => !move.allowed.includes(p))) {
        await world.as(email);
        await world.refused("change.transition", input, {
          code: "forbidden",
          message: new RegExp(`Only ${move.role.source}.*you \\(${email.replace(/\./g, "\\.")}\\) hold`),
        });
        // The change page does not offer it, and says why.
        const seen = ok<ChangeDetail>(await world.doors.web("change.get", { id: change.id }));
        expect(seen.allowedTransitions).not.toContain(move.to);
        expect(seen.unavailableTransitions.find((u) => u.to === move.to)?.reason).toMatch(move.role);
      }
      for (const email of move.allowed) {
        await world.as(email);
        const seen = ok<ChangeDetail>(await world.doors.ipc("change.get", { id: change.id }));
        expect(seen.allowedTransitions, email).toContain(move.to);
      }
      await world.as(move.allowed[0] ?? expect.fail("no one allowed"));
      const moved = ok<ChangeDetail>(await world.doors.web("change.transition", input));
      expect(moved.status).toBe(move.to);
    });
  }
});

describe("gates, promotion and risk are taken only by the roles the policy names", () => {
  it("a gate bound for a protected environment: never the requester or implementer, nor a role the policy does not name", async () => {
    const input = { changeId: gateChange.id, stage: "preproduction", gate: "mrp-run", result: "pass" };
    for (const email of [LENA, TOM, RAJ, SOFIA, KENJI, OLIVIA]) {
      await world.as(email);
      await world.refused("gate.record", input, { code: "forbidden", message: /record gates of/ });
    }
    await world.as(LENA);
    const lena = await world.core.call("gate.record", input);
    expect(lena.ok ? "" : lena.error.message).toMatch(
      /requester records no gate bound for the protected preproduction/,
    );
    // The qa gates lead into pre-production: the implementer records none of them either.
    await world.as(TOM);
    await world.refused(
      "gate.record",
      { ...input, stage: "qa" },
      { code: "forbidden", message: /implementer records no gate bound for the protected preproduction/ },
    );
    for (const email of [ANA, DANA]) {
      await world.as(email);
      ok(await world.doors.web("gate.record", { ...input, gate: "interface-health" }));
    }
  });

  it("an edit and a delete are the requester's or a change-manager's", async () => {
    for (const email of [TOM, ANA, RAJ, KENJI, DANA]) {
      await world.as(email);
      const message = /Only the requester or a change-manager may (edit|delete)/;
      const patch = { title: "Renamed by someone else" };
      await world.refused("change.update", { id: gateChange.id, patch }, { code: "forbidden", message });
      const del = { id: gateChange.id, reason: "Not needed" };
      await world.refused("change.delete", del, { code: "forbidden", message });
    }
  });

  it("a promotion is a release-manager's or the implementer's; a risk assessment a change-manager's or cab-member's", async () => {
    for (const email of [LENA, ANA, RAJ, SOFIA, KENJI, DANA, OLIVIA]) {
      await world.as(email);
      await world.refused(
        "change.promote",
        { id: gateChange.id, to: "integration" },
        { code: "forbidden", message: /Only a release-manager or the implementer may promote/ },
      );
    }
    const answers = { "production-hours": false, "db-migration": false, integrations: [], plants: 1 };
    for (const email of [LENA, TOM, ANA, DANA]) {
      await world.as(email);
      await world.refused(
        "risk.assess",
        { changeId: gateChange.id, answers },
        { code: "forbidden", message: /Only a change-manager or a cab-member may mark as assessed/ },
      );
    }
  });
});
