import { describe, expect, it } from "vitest";
import type { Core } from "../../../electron/core/core";
import { isolatedGitContext } from "../../../electron/core/gitops/git";
import { outboxOf } from "../../../electron/core/gitops/outbox-registry";
import { pushBranch } from "../../../electron/core/gitops/repo";
import { dataPaths } from "../../../electron/core/paths";
import type { CallResult } from "../../../shared/contract/index";
import { type DoorCall, type Doors, doorsForFile } from "../../helpers/doors";
import { farFromQuorum } from "../../helpers/far-from-quorum";
import { changeQuorum } from "../../helpers/ledger-reads";
import { recordDecision, setupGitopsRepo } from "../../helpers/ledger-writes";
import { tempDir } from "../../helpers/temp";
import { actAs, call, who } from "../approvals/support";
import { ok } from "../register/register-fixtures";

// Issue #13: one rejection rule for the app, the meeting, sync and the demo. A signed rejection rejects a change
// when the quorum can no longer be met without its signer (Berlin's only plant-ops-leader says no); a rejection the
// other approvers can still outvote (one cab-member of three) only takes its signer's vote out.
const RAJ = who("raj").email; // cab-member: two of the three cab-members remain when he says no
const ANA = who("ana").email; // Berlin's only plant-ops-leader: no one else can fill her rule
const KENJI = who("kenji").email;

let core: Core;
let dir: string;
let doors: Doors;
doorsForFile(
  {},
  (live) => {
    ({ core, dir, doors } = live);
  },
  { prepare: (c) => call(c, "gitops.createDemo", {}), timeout: 60_000 },
);

const row = (id: string) =>
  core.services.register.db.prepare("SELECT status, version, number FROM changes WHERE id = ?").get(id) as {
    status: string;
    version: number;
    number: string;
  };
const lastTransition = (id: string) =>
  core.services.register.db
    .prepare(
      "SELECT actor, reason, after FROM audit WHERE entity_id = ? AND action = 'change.transition' ORDER BY seq DESC LIMIT 1",
    )
    .get(id) as { actor: string; reason: string; after: string };
const ledger = (number: string) => {
  const repo = outboxOf(core.services)?.repo ?? expect.fail("no working copy");
  return changeQuorum(repo, number);
};
const reject = {
  scope: "deploy" as const,
  decision: "rejected" as const,
  meaning: "Rejected: not ready for the Berlin night shift",
};

const DOORS: readonly (readonly [string, () => DoorCall])[] = [
  ["direct", () => (m, i) => core.call(m, i)],
  ["ipc", () => doors.ipc],
  ["web", () => doors.web],
];

describe("one rejection rule at every door", () => {
  for (const [name, door] of DOORS) {
    it(`${name}: a rejection the others can outvote leaves the change awaiting approval; one that defeats the quorum rejects it`, async () => {
      const { changeId, number } = await farFromQuorum(core);
      const before = row(changeId);

      await actAs(core, RAJ);
      const below = ok<{ status: string; quorum: { met: boolean; rejectedBy: string[] } }>(
        await door()("approval.decide", { changeId, ...reject }),
      );
      expect(below.status).toBe("awaiting-approval");
      expect(below.quorum.rejectedBy).toEqual(["Raj Patel"]);
      // Nothing moved: same state, same version; the register and the repository agree it is still open.
      expect(row(changeId)).toEqual(before);
      expect(ledger(number)).toMatchObject({ defeated: false, met: false });

      await actAs(core, ANA);
      const at = ok<{ status: string }>(await door()("approval.decide", { changeId, ...reject }));
      expect(at.status).toBe("rejected");
      expect(row(changeId).status).toBe("rejected");
      expect(ledger(number)).toMatchObject({ defeated: true, summary: "rejected by Ana Ortiz and Raj Patel" });
      const moved = lastTransition(changeId);
      expect(moved.actor).toBe(ANA);
      expect(moved.reason).toMatch(/^Quorum defeated by a signed rejection: /);
      expect(moved.reason).toContain(ANA);
      expect(JSON.parse(moved.after)).toMatchObject({ status: "rejected" });
    });
  }

  it("the CAB meeting follows the same rule", async () => {
    const { changeId } = await farFromQuorum(core);
    await actAs(core, RAJ);
    const meeting = ok<{ id: string }>(await doors.web("meeting.start", { attendees: [RAJ, KENJI, ANA] }));
    const keys = ok<readonly { email: string; keyFile: string }[]>(await doors.web("identity.demoKeys", {}));
    const keyOf = (email: string) => keys.find((k) => k.email === email)?.keyFile ?? expect.fail(`no key ${email}`);
    const decideIn = (email: string): Promise<CallResult> =>
      doors.web("meeting.decide", { id: meeting.id, changeId, decision: "rejected", keyFile: keyOf(email) });
    ok(await decideIn(KENJI));
    expect(row(changeId).status).toBe("awaiting-approval");
    ok(await decideIn(ANA));
    expect(row(changeId).status).toBe("rejected");
  });

  it("sync: rejections signed on another laptop move the change by the same rule, as system:gitops", async () => {
    const { changeId, number } = await farFromQuorum(core);
    const other = tempDir("shiftgate-other-laptop-");
    try {
      const remote = dataPaths(dir).gitopsDemoRemote;
      const laptop = await setupGitopsRepo({ source: remote, dir: `${other.dir}/work`, ctx: isolatedGitContext() });
      const signer = (email: string) => ({
        name: who(email.split(".")[0] ?? "").name,
        email,
        key: { format: "ssh" as const, keyFile: `${dataPaths(dir).keys}/${email}.key` },
      });
      const decision = (role: string) => ({ change: number, ...reject, decision: "rejected" as const, role });
      await recordDecision(laptop, signer(RAJ), { ...decision("cab-member"), signedAt: "2026-12-01T09:00:00+01:00" });
      await pushBranch(laptop);
      await call(core, "gitops.sync", {});
      expect(row(changeId).status).toBe("awaiting-approval");

      await recordDecision(laptop, signer(ANA), {
        ...decision("plant-ops-leader"),
        signedAt: "2026-12-01T09:05:00+01:00",
      });
      await pushBranch(laptop);
      await call(core, "gitops.sync", {});
      expect(row(changeId).status).toBe("rejected");
      const moved = lastTransition(changeId);
      expect(moved.actor).toBe("system:gitops");
      expect(moved.reason).toContain(ANA);
    } finally {
      other.cleanup();
    }
  });

  it("sync: approvals signed on another laptop that meet the quorum approve the change, as system:gitops", async () => {
    // The demo's CHG-0003 (low risk) needs one change-manager; Olivia gives it on her own laptop.
    const id = core.services.register.db.prepare("SELECT id FROM changes WHERE number = 'CHG-2026-0003'").pluck().get();
    expect(typeof id).toBe("string");
    const changeId = id as string;
    expect(row(changeId).status).toBe("awaiting-approval");
    const other = tempDir("shiftgate-other-laptop-");
    try {
      const laptop = await setupGitopsRepo({
        source: dataPaths(dir).gitopsDemoRemote,
        dir: `${other.dir}/work`,
        ctx: isolatedGitContext(),
      });
      const olivia = who("olivia");
      await recordDecision(
        laptop,
        { ...olivia, key: { format: "ssh", keyFile: `${dataPaths(dir).keys}/${olivia.email}.key` } },
        {
          change: "CHG-2026-0003",
          scope: "deploy",
          decision: "approved",
          meaning: "Approved for production release",
          role: "change-manager",
          signedAt: "2026-12-01T09:10:00+01:00",
        },
      );
      await pushBranch(laptop);
      await call(core, "gitops.sync", {});
      expect(row(changeId).status).toBe("approved");
      const moved = lastTransition(changeId);
      expect(moved.actor).toBe("system:gitops");
      expect(moved.reason).toContain(`Quorum met by the repository's approvals: ${olivia.email}`);
    } finally {
      other.cleanup();
    }
  });
});
