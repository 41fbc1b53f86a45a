import { AppError } from "../../../shared/contract/index";
import type { ApprovalDecision, DecideResult } from "../../../shared/contract/methods/approvals";
import type { MeetingAttendee, MeetingSignature } from "../../../shared/contract/methods/meeting";
import type { Door } from "../dispatch";
import type { CoreCall, LooseCall } from "./core-call";
import { currentIdentity } from "./people";

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
 * Signs a decision with the signer's own key through the approvals contract: select their key, check they
 * are in the room, decide every scope their roles let them decide, then give the laptop back its previous
 * key. The approvals capability re-checks identity, segregation of duties and the change's state itself.
 */
export async function signAsAttendee(
  call: CoreCall,
  loose: LooseCall,
  door: Door,
  req: SignRequest,
): Promise<SignedDecision> {
  const previous = await currentIdentity(loose, door);
  // The signer proves the key is theirs with the same passphrase they sign with.
  const signer = await call("identity.use", { keyFile: req.keyFile, passphrase: req.passphrase }, door);
  try {
    if (!signer.known || signer.email === null) {
      throw new AppError("unauthorised", signer.problem ?? "That key does not belong to a person in the policy.");
    }
    const present = req.attendees.find((a) => a.email === signer.email && a.leftAt === null);
    if (!present) {
      throw new AppError(
        "forbidden",
        `${signer.name ?? signer.email} is not recorded as present at this meeting; add them as an attendee first.`,
      );
    }
    const preview = await call("approval.preview", { changeId: req.changeId }, door);
    if (preview.blocked) throw new AppError("conflict", preview.blocked);
    const scopes = preview.scopes.filter((s) => s.needed && s.allowed && s.myDecision === null);
    if (scopes.length === 0) {
      const why = preview.scopes
        .filter((s) => s.needed)
        .map((s) => s.message || (s.myDecision ? `already ${s.myDecision} (${s.scope})` : ""))
        .filter((m) => m.length > 0);
      throw new AppError(
        "forbidden",
        `${signer.name ?? signer.email} cannot decide this change${why.length ? `: ${why.join("; ")}` : "."}`,
      );
    }
    const signatures: MeetingSignature[] = [];
    let last: DecideResult | null = null;
    let failure: AppError | null = null;
    for (const s of scopes) {
      try {
        last = await call(
          "approval.decide",
          {
            changeId: req.changeId,
            scope: s.scope,
            decision: req.decision,
            meaning: req.meaning,
            passphrase: req.passphrase,
            expectedDigest: preview.digest,
            expectedGatesDigest: preview.gatesDigest,
          },
          door,
        );
        // The key switch and the signature are two calls: make sure nothing in between changed who signed.
        if (last.approval.signature.email !== signer.email) {
          throw new AppError(
            "conflict",
            `The approval was signed by ${last.approval.signature.email}, not ${signer.email}: another window switched the key meanwhile. Check the change's approvals.`,
          );
        }
        signatures.push({ ...last.approval.signature, scope: s.scope, approvalId: last.approval.id });
      } catch (error) {
        if (signatures.length === 0) throw error;
        failure = error instanceof AppError ? error : new AppError("internal", String(error));
        break;
      }
    }
    return {
      signer: { email: signer.email, name: signer.name ?? signer.email },
      signatures,
      quorum: last?.quorum.summary ?? null,
      statusAfter: last?.status ?? null,
      failure,
    };
  } finally {
    // The chair's laptop goes back to the chair's key; a laptop that had none keeps the last signer's.
    if (previous?.keyFile && previous.keyFile !== req.keyFile) {
      await loose("identity.use", { keyFile: previous.keyFile }, door);
    }
  }
}
