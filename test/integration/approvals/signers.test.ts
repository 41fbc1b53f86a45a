import { afterEach, describe, expect, it } from "vitest";
import type { Core } from "../../../electron/core/core";
import { tempCore } from "../../helpers/temp";
import { contentHash } from "../register/register-fixtures";
import { actAs, call, changeAwaitingApproval, decideAs, who } from "./support";

// The CAB meeting offers as signers only the attendees the core would let decide the item, and says why not the
// others: approval.signers judges each person as approval.decide would with their own key, without switching keys.
let done: (() => void) | undefined;
afterEach(() => done?.());
async function demo(): Promise<Core> {
  const t = await tempCore({});
  done = t.cleanup;
  await call(t.core, "gitops.createDemo", {});
  return t.core;
}

const LENA = who("lena").email;
const TOM = who("tom").email;
const ANA = who("ana").email;
const SOFIA = who("sofia").email;
const DANA = who("dana").email;
const RAJ = who("raj").email;
const KENJI = who("kenji").email;
const MARCUS = who("marcus").email;

describe("approval.signers", () => {
  it("names who may decide a medium-risk change and why the requester, the implementer and the role-less may not", async () => {
    const core = await demo();
    const id = await changeAwaitingApproval(core, { risk: "medium" });
    await decideAs(core, ANA, id);
    const before = contentHash(core.services.register.db);
    const options = await call(core, "approval.signers", {
      changeId: id,
      emails: [LENA, TOM, ANA, SOFIA, DANA, "stranger@elsewhere.example"],
    });
    expect(options).toEqual([
      { email: LENA, allowed: false, reason: "You cannot approve: you are the requester." },
      { email: TOM, allowed: false, reason: expect.stringMatching(/implementer/) },
      { email: ANA, allowed: false, reason: "Already approved (deploy)." },
      { email: SOFIA, allowed: true, reason: null },
      { email: DANA, allowed: false, reason: expect.stringMatching(/change-manager|plant-ops-leader/) },
      {
        email: "stranger@elsewhere.example",
        allowed: false,
        reason: "stranger@elsewhere.example is not a person in policy.yaml.",
      },
    ]);
    // A read: nothing changed, whoever's key is selected.
    expect(contentHash(core.services.register.db)).toBe(before);
  });

  it("the emergency's logger may not sign its approval (the other it-manager may) nor its review", async () => {
    const core = await demo();
    await actAs(core, RAJ);
    const logged = await call(core, "exception.log", {
      title: "Scanner lot-number fix",
      area: "barcode",
      plants: ["chicago"],
      requester: who("marcus"),
      implementer: who("tom"),
      justification: "Scanners reject lot numbers; shipping stopped",
      incident: "INC-1",
      breakGlass: { start: "2026-12-01T06:10:00Z", end: "2026-12-01T07:40:00Z" },
      actions: "Patched the parser",
    });
    const options = await call(core, "approval.signers", { changeId: logged.change.id, emails: [RAJ, KENJI, MARCUS] });
    expect(options).toEqual([
      { email: RAJ, allowed: false, reason: expect.stringMatching(/you logged its exception/) },
      { email: KENJI, allowed: true, reason: null },
      { email: MARCUS, allowed: false, reason: expect.stringMatching(/requester/) },
    ]);
    // The exceptions register says the same of the review, for whoever's key is selected.
    const reviewRefusal = async (email: string) => {
      await actAs(core, email);
      return (await call(core, "exception.list", {})).find((e) => e.change.id === logged.change.id)?.reviewRefusal;
    };
    expect(await reviewRefusal(RAJ)).toMatch(/you logged its exception/);
    expect(await reviewRefusal(MARCUS)).toMatch(/you raised the fix/);
    expect(await reviewRefusal(TOM)).toMatch(/you are its implementer/);
    expect(await reviewRefusal(ANA)).toMatch(/needs a cab-member or change-manager; you hold plant-ops-leader/);
    expect(await reviewRefusal(SOFIA)).toBeNull();
  });

  it("a change not awaiting approval has no signer", async () => {
    const core = await demo();
    const id = await changeAwaitingApproval(core, { risk: "low" });
    await decideAs(core, SOFIA, id);
    const options = await call(core, "approval.signers", { changeId: id, emails: [SOFIA, KENJI] });
    expect(options.map((o) => o.allowed)).toEqual([false, false]);
    expect(options[1]?.reason).toMatch(/^This change is approved; only changes awaiting approval/);
  });
});
