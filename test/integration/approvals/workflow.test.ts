import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Core } from "../../../electron/core/core";
import { tempCore } from "../../helpers/temp";
import { actAs, call, changeAwaitingApproval, decideAs, type ReadyOptions, refused, revise, who } from "./support";

const ANA = who("ana").email;
const MARCUS = who("marcus").email;
const SOFIA = who("sofia").email;
const OLIVIA = who("olivia").email;
const RAJ = who("raj").email;
const DANA = who("dana").email;

let core: Core;
let cleanup: () => void;

beforeEach(async () => {
  ({ core, cleanup } = await tempCore({ demo: false }));
});
afterEach(() => cleanup());

describe("refusals: the core judges again whatever the renderer showed", () => {
  const cases: readonly {
    name: string;
    change: ReadyOptions;
    before?: readonly [string, "deploy" | "db-migration"][];
    as: string;
    scope?: "deploy" | "db-migration";
    code: string;
    message: string;
  }[] = [
    {
      name: "the requester",
      change: { requester: "ana" },
      as: ANA,
      code: "sod-violation",
      message: "You cannot approve: you are the requester.",
    },
    {
      name: "the implementer",
      change: { implementer: "marcus", plants: ["chicago"] },
      as: MARCUS,
      code: "sod-violation",
      message: "You cannot approve: you are the implementer.",
    },
    {
      name: "a person without a needed role",
      change: {},
      as: DANA,
      code: "forbidden",
      message: "You cannot approve: you hold none of the roles it needs (change-manager, plant-ops-leader).",
    },
    {
      name: "a plant-ops-leader of another plant",
      change: { plants: ["berlin"] },
      as: MARCUS,
      code: "forbidden",
      message: "You cannot approve: you hold none of the roles it needs (change-manager, plant-ops-leader).",
    },
    {
      name: "the db-migration approver also approving deploy",
      change: { dbMigration: true, risk: "low" },
      before: [[DANA, "db-migration"]],
      as: DANA,
      code: "sod-violation",
      message:
        "You cannot approve: you already approved the db migration; you hold none of the roles it needs (change-manager).",
    },
    {
      name: "a db-migration approval for a change without one",
      change: {},
      as: DANA,
      scope: "db-migration",
      code: "forbidden",
      message: "You cannot approve: no approval of this scope is needed.",
    },
  ];
  for (const c of cases) {
    it(`refuses ${c.name} with its reason`, async () => {
      const id = await changeAwaitingApproval(core, c.change);
      for (const [email, scope] of c.before ?? []) await decideAs(core, email, id, "approved", scope);
      await actAs(core, c.as);
      const error = await refused(core, "approval.decide", {
        changeId: id,
        scope: c.scope ?? "deploy",
        decision: "approved",
        meaning: "Approved for production release",
      });
      expect(error).toMatchObject({ code: c.code, message: c.message });
      const preview = await call(core, "approval.preview", { changeId: id });
      const scope = preview.scopes.find((s) => s.scope === (c.scope ?? "deploy"));
      expect(scope?.allowed).toBe(false);
      expect(scope?.message).toBe(c.message);
    });
  }
});

describe("quorum through the workflow", () => {
  it("two plant-ops-leaders and a change manager approve a medium change for two plants: it becomes approved", async () => {
    const id = await changeAwaitingApproval(core, { plants: ["berlin", "chicago"] });
    const first = await decideAs(core, ANA, id);
    expect(first.quorum.summary).toBe("needs 1 change-manager and the Chicago plant-ops-leader");
    expect(first.status).toBe("awaiting-approval");
    const second = await decideAs(core, MARCUS, id);
    expect(second.quorum.summary).toBe("needs 1 change-manager");
    const third = await decideAs(core, SOFIA, id);
    expect(third.quorum).toMatchObject({ met: true, summary: "approved" });
    expect(third.status).toBe("approved");
    const change = await call(core, "change.get", { id });
    expect(change.status).toBe("approved");
    expect(third.approval.signature).toMatchObject({
      name: "Sofia Rossi",
      role: "change-manager",
      meaning: "Approved for production release",
      timeZone: "Europe/Berlin",
      signedAt: "2026-12-01T09:00:00+01:00",
    });
    expect(third.approval.changeDigest).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it("one person holding two needed roles counts once", async () => {
    // High: 2 cab-members + the Berlin plant-ops-leader. Sofia is cab-member and change-manager; Raj cab-member
    // and it-manager: Raj and Sofia fill both cab-member slots, and neither fills anything twice.
    const id = await changeAwaitingApproval(core, { risk: "high" });
    const one = await decideAs(core, SOFIA, id);
    expect(one.quorum.summary).toBe("needs 1 more cab-member and the Berlin plant-ops-leader");
    const two = await decideAs(core, RAJ, id);
    expect(two.quorum.summary).toBe("needs the Berlin plant-ops-leader");
    const three = await decideAs(core, ANA, id);
    expect(three.status).toBe("approved");
  });

  it("a revision invalidates earlier approvals: they were for other content", async () => {
    const id = await changeAwaitingApproval(core, { plants: ["berlin", "chicago"] });
    const before = await decideAs(core, ANA, id);
    await decideAs(core, SOFIA, id);
    await revise(core, id, { window: { start: "2026-12-12T21:00:00Z", end: "2026-12-13T01:00:00Z" } });
    const preview = await call(core, "approval.preview", { changeId: id });
    expect(preview.digest).not.toBe(before.approval.changeDigest);
    expect(preview.approvals.map((a) => a.current)).toEqual([false, false]);
    expect(preview.quorum.summary).toBe(
      "needs 1 change-manager, the Berlin plant-ops-leader and the Chicago plant-ops-leader",
    );
    expect(preview.quorum.issues[0]).toContain("is for an earlier revision");
    // Ana may sign again, for the new content.
    const again = await decideAs(core, ANA, id);
    expect(again.approval.current).toBe(true);
  });

  it("a rejection the other approvers can outvote leaves the change awaiting approval; they may still approve it", async () => {
    const id = await changeAwaitingApproval(core, { risk: "low" });
    const rejected = await decideAs(core, SOFIA, id, "rejected");
    // Olivia, the other change-manager, can still meet the quorum: Sofia's "no" only takes her vote out.
    expect(rejected.quorum).toMatchObject({
      met: false,
      summary: "needs 1 change-manager",
      rejectedBy: ["Sofia Rossi"],
    });
    expect(rejected.approval.signature.meaning).toBe("Rejected: not ready");
    expect(rejected.status).toBe("awaiting-approval");
    const other = await decideAs(core, OLIVIA, id);
    expect(other.quorum).toMatchObject({ met: true, summary: "approved" });
    expect(other.status).toBe("approved");
  });

  it("a rejection that leaves the quorum impossible rejects the change, until it is revised", async () => {
    // A medium Berlin change needs Berlin's plant-ops-leader, and Ana is the only one.
    const id = await changeAwaitingApproval(core, { risk: "medium" });
    const rejected = await decideAs(core, ANA, id, "rejected");
    expect(rejected.quorum).toMatchObject({ met: false, summary: "rejected by Ana Ortiz" });
    expect(rejected.status).toBe("rejected");
    await actAs(core, SOFIA);
    const late = await refused(core, "approval.decide", {
      changeId: id,
      scope: "deploy",
      decision: "approved",
      meaning: "Approved for production release",
    });
    expect(late).toMatchObject({ code: "illegal-transition", message: /This change is rejected/ });
    await revise(core, id, { plants: ["berlin", "pune"] });
    const after = await call(core, "approval.preview", { changeId: id });
    expect(after.quorum.rejectedBy).toEqual([]);
    expect(after.quorum.summary).toBe(
      "needs 1 change-manager, the Berlin plant-ops-leader and the Pune plant-ops-leader",
    );
  });

  it("a signer who rejected and later approves replaces their own decision", async () => {
    const id = await changeAwaitingApproval(core, { risk: "low" });
    await decideAs(core, SOFIA, id, "rejected");
    const changed = await decideAs(core, SOFIA, id, "approved");
    expect(changed.status).toBe("approved");
  });

  it("db migration needs its own approver, a different person from the deploy approvers", async () => {
    const id = await changeAwaitingApproval(core, { risk: "low", dbMigration: true });
    const deploy = await decideAs(core, SOFIA, id);
    expect(deploy.quorum.summary).toBe("needs 1 dba for the db migration");
    const db = await decideAs(core, DANA, id, "approved", "db-migration");
    expect(db.status).toBe("approved");
  });

  it("refuses a decision on a change that is not awaiting approval, and one signed against an old digest", async () => {
    const id = await changeAwaitingApproval(core, { risk: "low" });
    await actAs(core, SOFIA);
    const stale = await refused(core, "approval.decide", {
      changeId: id,
      scope: "deploy",
      decision: "approved",
      meaning: "ok",
      expectedDigest: `sha256:${"0".repeat(64)}`,
    });
    expect(stale.code).toBe("conflict");
    await decideAs(core, SOFIA, id);
    const late = await refused(core, "approval.decide", {
      changeId: id,
      scope: "deploy",
      decision: "approved",
      meaning: "ok",
    });
    expect(late).toMatchObject({ code: "illegal-transition" });
  });
});

describe("the inbox", () => {
  it("lists what awaits my decision, the earliest window first, and not what I may not or already did decide", async () => {
    const late = await changeAwaitingApproval(core, { windowStart: "2026-12-20T21:00:00Z" });
    const early = await changeAwaitingApproval(core, { windowStart: "2026-12-03T21:00:00Z" });
    const mine = await changeAwaitingApproval(core, { requester: "ana" });
    await actAs(core, ANA);
    const inbox = await call(core, "approval.inbox", {});
    expect(inbox.map((i) => i.change.id)).toEqual([early, late]);
    expect(inbox.map((i) => i.change.id)).not.toContain(mine);
    await decideAs(core, ANA, early);
    expect((await call(core, "approval.inbox", {})).map((i) => i.change.id)).toEqual([late]);
  });
});

describe("identity", () => {
  it("is derived from the selected key, never from what a caller claims", async () => {
    expect(await call(core, "identity.current", {})).toMatchObject({ known: false, source: "demo" });
    await actAs(core, RAJ);
    const me = await call(core, "identity.current", {});
    expect(me).toMatchObject({ known: true, email: RAJ, name: "Raj Patel", roles: ["it-manager", "cab-member"] });
    expect(me.fingerprint).toMatch(/^SHA256:/);
    expect(me.abilities).toContain("log emergency exceptions");
    // The contract has no field for a claimed approver: extra input is refused outright.
    const claim = await refused(core, "approval.decide", {
      changeId: "01JABCDEFGHJKMNPQRSTVWXYZ0",
      scope: "deploy",
      decision: "approved",
      meaning: "ok",
      actor: SOFIA,
    });
    expect(claim.code).toBe("invalid-input");
  });

  it("refuses a key that is not in the allowed signers, and deciding without any key", async () => {
    const id = await changeAwaitingApproval(core, { risk: "low" });
    const none = await refused(core, "approval.decide", {
      changeId: id,
      scope: "deploy",
      decision: "approved",
      meaning: "ok",
    });
    expect(none).toMatchObject({ code: "unauthorised", message: "No signing key is selected: choose your key first." });
    // A missing file gets the one answer every unusable path gets (path-oracle.test.ts).
    const missing = await refused(core, "identity.use", { keyFile: "/nonexistent/key" });
    expect(missing).toMatchObject({ code: "invalid-input", details: { reason: "unusable-key-file" } });
  });
});
