import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Core } from "../../../electron/core/core";
import { tempCore } from "../../helpers/temp";
import { contentHash } from "../register/register-fixtures";
import { actAs, call, changeAwaitingApproval, decideAs, refused, who } from "./support";

// One signer, one change, one scope, one revision: one decision ("an approval file's current content is the
// decision", docs/gitops-repo.md). Recording the same decision again must not add a second row.

const SOFIA = who("sofia").email;

let core: Core;
let cleanup: () => void;

beforeEach(async () => {
  ({ core, cleanup } = await tempCore({ demo: false }));
});
afterEach(() => cleanup());

const decision = (changeId: string, verdict: "approved" | "rejected" = "approved") => ({
  changeId,
  scope: "deploy" as const,
  decision: verdict,
  meaning: "Approved for production release",
});

function rowsOf(changeId: string): { signer_email: string; decision: string }[] {
  return core.services.register.db
    .prepare("SELECT signer_email, decision FROM approvals WHERE change_id = ? ORDER BY seq")
    .all(changeId) as { signer_email: string; decision: string }[];
}

describe("the same decision twice is stored once", () => {
  it("refuses a second identical approval clearly and changes nothing", async () => {
    const id = await changeAwaitingApproval(core);
    await decideAs(core, SOFIA, id);
    const before = contentHash(core.services.register.db);
    const again = await refused(core, "approval.decide", decision(id));
    expect(again).toMatchObject({
      code: "conflict",
      message:
        "You have already approved the deployment of this revision; your decision stands and is not recorded twice.",
    });
    expect(contentHash(core.services.register.db)).toBe(before);
    expect(rowsOf(id)).toEqual([{ signer_email: SOFIA, decision: "approved" }]);
  });

  it("two windows deciding at once store one row", async () => {
    const id = await changeAwaitingApproval(core);
    await actAs(core, SOFIA);
    const results = await Promise.all([
      core.call("approval.decide", decision(id)),
      core.call("approval.decide", decision(id)),
    ]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.find((r) => !r.ok)).toMatchObject({ ok: false, error: { code: "conflict" } });
    expect(rowsOf(id)).toEqual([{ signer_email: SOFIA, decision: "approved" }]);
    const audit = core.services.register.db
      .prepare("SELECT count(*) FROM audit WHERE action = 'approval.approve' AND entity_id = ?")
      .pluck()
      .get(id);
    expect(audit).toBe(1);
  });

  it("a different decision by the same person replaces the earlier one", async () => {
    const id = await changeAwaitingApproval(core);
    await decideAs(core, SOFIA, id, "rejected");
    await call(core, "approval.decide", decision(id, "approved"));
    const preview = await call(core, "approval.preview", { changeId: id });
    expect(preview.approvals.filter((a) => a.signature.email === SOFIA).map((a) => a.decision)).toEqual(["approved"]);
  });
});
