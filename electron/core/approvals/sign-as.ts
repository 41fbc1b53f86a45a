import type { ApprovalPreview, DecideResult } from "../../../shared/contract/methods/approvals";
import type { HandlerContext } from "../dispatch";
import { proveKey } from "../identity/identity-proof";
import type { KeyRef } from "../identity/key-ref";
import type { CoreServices } from "../services";
import { type DecideInput, decideAs, type ProvedSigner } from "./decide";
import { previewChange } from "./preview";
import type { ApprovalsDeps } from "./workflow";

/**
 * Decisions for someone other than the laptop's key holder (a CAB meeting's attendee): the signer's key is proved
 * and passed to each call, never selected, so the laptop's identity stays what it was for every other window.
 */
export interface SignAs {
  /** Proves the key with its passphrase (a fresh challenge signature); throws the key's own refusal. */
  prove(key: KeyRef, passphrase: string): Promise<ProvedSigner>;
  /** What the signer may decide on the change now, as approval.preview shows it to the key holder. */
  preview(signer: ProvedSigner, changeId: string, ctx: HandlerContext): Promise<ApprovalPreview>;
  /** Decides one scope as the signer, in the calling method's transaction, audit and events. */
  decide(signer: ProvedSigner, input: Omit<DecideInput, "passphrase">, ctx: HandlerContext): Promise<DecideResult>;
}

/** Signing as a proved person over the same effects as the approvals handlers. */
export function signAs(services: CoreServices, deps: ApprovalsDeps): SignAs {
  const db = services.register.db;
  return {
    prove: async (key, passphrase) => {
      const trust = await deps.trust();
      return { trust, me: await proveKey(trust, key, passphrase), passphrase };
    },
    preview: (signer, changeId, ctx) =>
      previewChange(
        db,
        changeId,
        signer.trust,
        deps.publisher(signer.trust),
        signer.me,
        null,
        ctx.clock.now(),
        deps.emergency,
      ),
    decide: (signer, input, ctx) => decideAs({ db, ctx, deps, timeZone: services.timeZone }, signer, input),
  };
}
