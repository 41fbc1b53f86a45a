import { describe, expect, it } from "vitest";
import type { ChangeDetail } from "../../../shared/contract/index";
import { bypassWorld } from "../../helpers/bypass-world";
import { who } from "../approvals/support";
import { contentHash, GATE_RECORDER, GATES, lowRiskAnswers, newChange, ok } from "../register/register-fixtures";

// Issue #13 item 3: the requester is the signer who created the change. Seen: a change-manager created a change
// naming someone else as requester, then approved it in a CAB meeting. Now the creator is the requester, the named
// person is kept as "on behalf of", and neither may decide it, at any door or in the meeting.
const SOFIA = who("sofia").email; // cab-member, change-manager
const OLIVIA = who("olivia").email; // policy-admin, change-manager: could approve the change but for whom it is raised
const RAJ = who("raj").email; // it-manager, cab-member: chairs the meeting

const world = bypassWorld();

const approvalsOf = (id: string) =>
  world.core.services.register.db.prepare("SELECT count(*) FROM approvals WHERE change_id = ?").pluck().get(id);
const statusOf = (id: string) =>
  world.core.services.register.db.prepare("SELECT status FROM changes WHERE id = ?").pluck().get(id);

describe("the requester is the key holder who creates the change", () => {
  it("a page without a proved key may only read: creating a change is refused at the window and browser doors", async () => {
    const before = contentHash(world.core.services.register.db);
    for (const door of [world.doors.ipc, world.doors.web]) {
      const result = await door("change.create", newChange());
      expect(result).toMatchObject({
        ok: false,
        error: { code: "forbidden", message: expect.stringMatching(/without a proved key this window may only read/) },
      });
    }
    expect(contentHash(world.core.services.register.db)).toBe(before);
  });

  it("a change-manager naming someone else is the requester; the named person is on behalf of; neither may approve, at any door or in the meeting", async () => {
    await world.as(SOFIA);
    const created = ok<ChangeDetail>(
      await world.doors.web(
        "change.create",
        newChange({ requester: { name: "Olivia", email: OLIVIA }, validation: [] }),
      ),
    );
    expect(created.requester).toEqual({ name: "Sofia Rossi", email: SOFIA });
    expect(created.onBehalfOf).toEqual({ name: "Olivia", email: OLIVIA });
    const id = created.id;
    // An edit cannot hand the requester to someone else either.
    const edit = await world.doors.ipc("change.update", {
      id,
      patch: { requester: { name: "Olivia", email: OLIVIA } },
    });
    expect(edit).toMatchObject({
      ok: false,
      error: { code: "forbidden", message: expect.stringMatching(/created it/) },
    });

    ok(await world.doors.web("change.transition", { id, to: "submitted" }));
    ok(await world.doors.web("risk.assess", { changeId: id, answers: lowRiskAnswers() }));
    ok(await world.doors.web("change.transition", { id, to: "assessed" }));
    // The policy's pre-production gates, which no change can drop, recorded by a plant-ops-leader.
    await world.as(GATE_RECORDER);
    for (const gate of GATES)
      ok(await world.doors.web("gate.record", { changeId: id, stage: "preproduction", gate, result: "pass" }));
    await world.as(SOFIA);
    ok(await world.doors.web("change.transition", { id, to: "awaiting-approval" }));

    const decide = { changeId: id, scope: "deploy", decision: "approved", meaning: "Approved for production release" };
    for (const [email, message] of [
      [SOFIA, /you are the requester/],
      [OLIVIA, /raised on your behalf/],
    ] as const) {
      await world.as(email);
      for (const door of [(m: string, i: unknown) => world.core.call(m, i), world.doors.ipc, world.doors.web]) {
        const result = await door("approval.decide", decide);
        expect(result).toMatchObject({
          ok: false,
          error: { code: "sod-violation", message: expect.stringMatching(message) },
        });
      }
    }

    // The CAB meeting: Raj chairs, both are present and sign with their own keys; both are refused.
    await world.as(RAJ);
    const meeting = ok<{ id: string }>(await world.doors.web("meeting.start", { attendees: [RAJ, SOFIA, OLIVIA] }));
    const keys = ok<readonly { email: string; keyFile: string }[]>(await world.doors.web("identity.demoKeys", {}));
    for (const email of [SOFIA, OLIVIA]) {
      const keyFile = keys.find((k) => k.email === email)?.keyFile ?? expect.fail(`no demo key for ${email}`);
      const result = await world.doors.web("meeting.decide", {
        id: meeting.id,
        changeId: id,
        decision: "approved",
        keyFile,
      });
      expect(result.ok, `${email} approved in the meeting`).toBe(false);
      if (!result.ok) expect(result.error.message).toMatch(/requester|on your behalf/);
    }
    expect(approvalsOf(id)).toBe(0);
    expect(statusOf(id)).toBe("awaiting-approval");
    const chain = await world.core.call("audit.verify", {});
    expect(chain).toMatchObject({ ok: true, value: { ok: true } });
  });
});
