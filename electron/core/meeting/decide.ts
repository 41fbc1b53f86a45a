import { AppError } from "../../../shared/contract/index";
import type { ApprovalDecision, DecideResult } from "../../../shared/contract/methods/approvals";
import type { MeetingAttendee, MeetingSignature } from "../../../shared/contract/methods/meeting";
import type { SignAs } from "../approvals/sign-as";
import type { HandlerContext } from "../dispatch";

/** What one signer's decision in the meeting produced. */
interface SignedDecision {
  readonly signer: { readonly email: string; readonly name: string };
  readonly signatures: readonly MeetingSignature[];
  readonly quorum: string | null;
  readonly statusAfter: DecideResult["status"] | null;
  /** The error that stopped a later scope after earlier ones were signed; they stand and are recorded. */
  readonly failure: AppError | null;
}

interface SignRequest {
  readonly changeId: string;
  readonly decision: ApprovalDecision;
  readonly keyFile: string;
  readonly passphrase: string;
  readonly meaning: string;
  readonly attendees: readonly MeetingAttendee[];
}

/**
 * Signs a decision with the signer's own key, passed to each approvals call (decideAs): prove the key with the
 * passphrase, check they are in the room, decide every scope their roles let them decide. The laptop's selected
 * key is never switched, so any other window acting meanwhile acts as the laptop's own key holder. The approvals
 * capability re-checks segregation of duties and the change's state itself.
 */
export async function signAsAttendee(sign: SignAs, ctx: HandlerContext, req: SignRequest): Promise<SignedDecision> {
  const signer = await sign.prove({ format: "ssh", keyFile: req.keyFile }, req.passphrase);
  const { email, person } = signer.me;
  const present = req.attendees.find((a) => a.email === email && a.leftAt === null);
  if (!present) {
    throw new AppError(
      "forbidden",
      `${person.name} is not recorded as present at this meeting; add them as an attendee first.`,
    );
  }
  const preview = await sign.preview(signer, req.changeId, ctx);
  if (preview.blocked) throw new AppError("conflict", preview.blocked);
  const scopes = preview.scopes.filter((s) => s.needed && s.allowed && s.myDecision === null);
  if (scopes.length === 0) {
    const why = preview.scopes
      .filter((s) => s.needed)
      .map((s) => s.message || (s.myDecision ? `already ${s.myDecision} (${s.scope})` : ""))
      .filter((m) => m.length > 0);
    throw new AppError(
      "forbidden",
      `${person.name} cannot decide this change${why.length ? `: ${why.join("; ")}` : "."}`,
    );
  }
  const signatures: MeetingSignature[] = [];
  let last: DecideResult | null = null;
  let failure: AppError | null = null;
  for (const s of scopes) {
    try {
      last = await sign.decide(
        signer,
        {
          changeId: req.changeId,
          scope: s.scope,
          decision: req.decision,
          meaning: req.meaning,
          expectedDigest: preview.digest,
          expectedGatesDigest: preview.gatesDigest,
        },
        ctx,
      );
      signatures.push({ ...last.approval.signature, scope: s.scope, approvalId: last.approval.id });
    } catch (error) {
      if (signatures.length === 0) throw error;
      failure = error instanceof AppError ? error : new AppError("internal", String(error));
      break;
    }
  }
  return {
    signer: { email, name: person.name },
    signatures,
    quorum: last?.quorum.summary ?? null,
    statusAfter: last?.status ?? null,
    failure,
  };
}
