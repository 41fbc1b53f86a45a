import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Core } from "../../../electron/core/core";
import { generateSshKey } from "../../../electron/core/gitops/keys";
import { tempCore } from "../../helpers/temp";
import { actAs, call, changeAwaitingApproval, refused, who } from "./support";

// In a CAB meeting the signer's key signs their decision, so it must prove itself there too: with the passphrase
// the signer types for the signature. The chair's laptop keeps the chair's key throughout.

const SOFIA = who("sofia").email;
const CHAIR = who("olivia").email;
const PASSPHRASE = "sofia's meeting pass phrase";

let core: Core;
let dir: string;
let cleanup: () => void;

beforeEach(async () => {
  ({ core, dir, cleanup } = await tempCore({ demo: false }));
  // Sofia's demo key is protected; the others stay as the demo makes them.
  await generateSshKey(join(dir, "keys", "demo"), SOFIA, PASSPHRASE);
});
afterEach(() => cleanup());

describe("signing in a CAB meeting with a protected key", () => {
  it("a wrong passphrase changes nothing; the right one signs as Sofia and gives the laptop back to the chair", async () => {
    const changeId = await changeAwaitingApproval(core);
    await actAs(core, CHAIR);
    const meeting = await call(core, "meeting.start", { attendees: [CHAIR, SOFIA] });
    const keyFile = join(dir, "keys", "demo", `${SOFIA}.key`);
    const decide = { id: meeting.id, changeId, decision: "approved" as const, keyFile };
    const approvals = () =>
      core.services.register.db.prepare("SELECT count(*) FROM approvals WHERE change_id = ?").pluck().get(changeId);

    const wrong = await refused(core, "meeting.decide", { ...decide, passphrase: "not it" });
    expect(wrong.code).toBe("unauthorised");
    expect(approvals()).toBe(0);
    expect(await call(core, "identity.current", {})).toMatchObject({ known: true, email: CHAIR });

    await call(core, "meeting.decide", { ...decide, passphrase: PASSPHRASE });
    const preview = await call(core, "approval.preview", { changeId });
    expect(preview.approvals.map((a) => a.signature.email)).toEqual([SOFIA]);
    expect(await call(core, "identity.current", {})).toMatchObject({ known: true, email: CHAIR });
  });
});
