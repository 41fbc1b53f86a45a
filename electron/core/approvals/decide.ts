import { AppError, type ErrorCode } from "../../../shared/contract/errors";
import type {
  ApprovalDecision,
  ApprovalScope,
  DecideResult,
  SettleResult,
} from "../../../shared/contract/methods/approvals";
import {
  type ApprovalDoc,
  canApprove,
  type QuorumResult,
  sameEmail,
  writeApproval,
} from "../../../shared/domain/policy/index";
import { approvalCurrent } from "../gitops/change-doc";
import type { Signatory } from "../identity/identity";
import { gitSigner } from "../identity/key-ref";
import type { Trust } from "../identity/trust";
import type { RegisterAuditInput } from "../register/audit";
import { transitionChange } from "../register/change-ops";
import { liveChange } from "../register/queries";
import { currentApprovals, insertApproval, recordQuorumMet, type StoredApproval } from "./approval-store";
import { sentence } from "./preview";
import { approvalRecords, type ChangeState, judge, loadChangeState, quorumView } from "./state";
import { manifest, opEnv, type Run, refuse, signatoryOf, signRecord } from "./workflow";

export interface DecideInput {
  readonly changeId: string;
  readonly scope: ApprovalScope;
  readonly decision: ApprovalDecision;
  readonly meaning: string;
  readonly passphrase: string;
  readonly expectedDigest?: string;
  readonly expectedGatesDigest?: string;
}

// Refusals that are about who signs (segregation of duties) versus about what may be signed at all.
const SOD_CODES = new Set(["requester", "implementer", "conflicting-roles", "other-scope"]);

/**
 * Approves or rejects one scope of a change as the signatory of this laptop's key. The rules are judged again
 * here whatever the renderer previewed; a refusal is audited. The signature is a real one over the canonical
 * approval record, made after unlocking the key (re-authentication), and the record carries the digest of the
 * change.yaml it approves, so a later revision leaves it stale.
 */
export async function decide(run: Run, input: DecideInput): Promise<DecideResult> {
  const { trust, me } = await signatoryOf(run, input.passphrase);
  return decideAs(run, { trust, me, passphrase: input.passphrase }, input);
}

/** A person signing for one call: their key proved with the passphrase that unlocks it, under the trust in force. */
export interface ProvedSigner {
  readonly trust: Trust;
  readonly me: Signatory;
  readonly passphrase: string;
}

/**
 * Decides one scope as the signer passed in, for this call only: the laptop's selected key is neither read nor
 * changed, so a CAB meeting signs as the attendee while every other window still acts as the laptop's own holder.
 */
export async function decideAs(
  run: Run,
  signer: ProvedSigner,
  input: Omit<DecideInput, "passphrase">,
): Promise<DecideResult> {
  const { trust, me, passphrase } = signer;
  const publisher = run.deps.publisher(trust);
  const state = await loadChangeState(run.db, input.changeId, trust, publisher);
  const { row, doc, digest } = state.view;
  const attempt = { scope: input.scope, decision: input.decision, changeDigest: digest };
  if (row.status !== "awaiting-approval") {
    refuse(
      run,
      me,
      {
        action: "approval.refused",
        changeId: row.id,
        code: "illegal-transition",
        message: `This change is ${row.status}; only changes awaiting approval can be approved or rejected.`,
      },
      attempt,
    );
  }
  if (input.expectedDigest !== undefined && input.expectedDigest !== digest) {
    throw new AppError(
      "conflict",
      "The change was revised after you opened it; review the new content before you sign.",
      { digest },
    );
  }
  if (input.expectedGatesDigest !== undefined && input.expectedGatesDigest !== state.view.gatesDigest) {
    throw new AppError(
      "conflict",
      "A gate result was recorded after you opened this change; review the gates again before you sign.",
      { gatesDigest: state.view.gatesDigest },
    );
  }
  const current = state.entries
    .filter((e) => !e.discarded && approvalCurrent(e.approval, state.view))
    .map((e) => e.approval);
  if (current.some((a) => sameDecision(a, me.email, input.scope, input.decision))) throw repeated(input);
  const verdict = canApprove(trust.policy, doc, me.email, input.scope, current);
  if (!verdict.allowed) {
    const code: ErrorCode = verdict.reasons.some((r) => SOD_CODES.has(r.code)) ? "sod-violation" : "forbidden";
    refuse(
      run,
      me,
      { action: "approval.refused", changeId: row.id, code, message: sentence(verdict.message) },
      {
        ...attempt,
        reasons: verdict.reasons.map((r) => r.code),
      },
    );
  }
  const logged = run.deps.emergency.loggerRefusal(run.db, trust.policy, row.id, me.email);
  if (logged) {
    refuse(run, me, { action: "approval.refused", changeId: row.id, code: "sod-violation", message: logged }, attempt);
  }
  const role = pickRole(state, input.scope, verdict.roles);
  const signature = manifest(run, me, role, input.meaning);
  const approvalDoc: ApprovalDoc = {
    change: doc.id,
    scope: input.scope,
    decision: input.decision,
    meaning: input.meaning,
    signer: { name: signature.name, email: signature.email, role },
    signedAt: signature.signedAt,
    changeDigest: digest,
    // The signature covers the gate records on screen: a record added or changed later leaves it stale.
    ...(state.view.gatesDigest !== undefined ? { gates: state.view.gatesDigest } : {}),
  };
  const id = run.deps.newId(run.ctx.clock.now());
  // The outbox intent, the approval, its audit row and a move to approved commit together; the signed git commit
  // is made only after that, with the passphrase still in hand (a crash in between: the outbox's recovery makes it).
  const publication = publisher.decision(gitSigner(me, passphrase), approvalDoc, id);
  // The working copy is read for that commit while the record is being signed, not after.
  publication?.prepare();
  const signatureText = await signRecord(run, me, row.id, passphrase, writeApproval(approvalDoc));
  const stored: StoredApproval = {
    id,
    changeId: row.id,
    scope: input.scope,
    decision: input.decision,
    signature,
    changeDigest: digest,
    gatesDigest: approvalDoc.gates ?? null,
    keyFingerprint: me.fingerprint,
    signatureText,
    // Made after the transaction: the row finds its commit through its outbox intent, which carries its id.
    commit: null,
  };
  if (!publication) return run.ctx.transact(() => record(run, me, trust, state, stored, null));
  const { value, commit } = await publication.within((writeIntent) =>
    run.ctx.transact(() => record(run, me, trust, state, stored, writeIntent())),
  );
  return commit ? { ...value, approval: { ...value.approval, commit } } : value;
}

function record(
  run: Run,
  me: Signatory,
  trust: Trust,
  before: ChangeState,
  stored: StoredApproval,
  intent: string | null,
): DecideResult {
  // Between the signature and this transaction another decision may have landed: judge the stored set again. The
  // same decision may have landed too (a second window, a double click): it stays one row, one file, one commit.
  const mine = currentApprovals(run.db, stored.changeId).find(
    (a) =>
      sameEmail(a.signature.email, me.email) &&
      a.scope === stored.scope &&
      a.changeDigest === stored.changeDigest &&
      a.gatesDigest === stored.gatesDigest,
  );
  if (mine?.decision === stored.decision) throw repeated(stored);
  insertApproval(run.db, stored);
  const after = judge(before.view, currentApprovals(run.db, stored.changeId), before.repo, trust);
  const entry: RegisterAuditInput = {
    action: stored.decision === "approved" ? "approval.approve" : "approval.reject",
    entity: "change",
    entityId: stored.changeId,
    after: {
      approvalId: stored.id,
      scope: stored.scope,
      decision: stored.decision,
      signature: stored.signature,
      changeDigest: stored.changeDigest,
      gatesDigest: stored.gatesDigest,
      keyFingerprint: stored.keyFingerprint,
      // The commit is made after this transaction; the intent id is its Shiftgate-Intent trailer.
      intent,
      quorum: after.quorum.summary,
    },
    reason: stored.signature.meaning,
    actor: me.email,
  };
  run.ctx.audit(entry);
  // Read the status afresh: a concurrent call may have moved the change while this one was signing.
  let status = liveChange(run.db, stored.changeId).status;
  if (after.quorum.defeated && status === "awaiting-approval") {
    // The rejection rule: a standing rejection that leaves the quorum impossible to meet rejects the change.
    status = transitionChange(
      opEnv(run, me, trust),
      { id: stored.changeId, to: "rejected", reason: rejectionReason(after.quorum) },
      "evidence",
    ).status;
  } else if (after.quorum.met && status === "awaiting-approval") {
    recordQuorumMet(run.db, stored.changeId, stored.changeDigest, run.ctx.clock.now());
    // The register's own transition: its lifecycle rules and audit row apply as to any other move.
    status = transitionChange(
      opEnv(run, me, trust),
      {
        id: stored.changeId,
        to: "approved",
        reason: `Quorum met: ${after.quorum.counted.map((c) => `${c.email} (${c.role}${c.plant ? `, ${c.plant}` : ""})`).join(", ")}`,
      },
      "evidence",
    ).status;
  }
  run.ctx.emit("register.changed", { entity: "change", id: stored.changeId });
  const record = approvalRecords(after).find((a) => a.id === stored.id);
  if (!record) throw new AppError("internal", "The approval vanished inside its own transaction.");
  return { approval: record, quorum: quorumView(after.quorum), status };
}

/** The audit reason of a move to rejected: who defeated the quorum, for which scope and why. */
export function rejectionReason(quorum: QuorumResult): string {
  const who = quorum.rejections.map((r) => `${r.email} (${r.scope}: ${r.meaning})`).join(", ");
  return `Quorum defeated by a signed rejection: ${who}`;
}

// A person's decision stands until they change it ("an approval file's current content is the decision"):
// recording it again would add nothing but a second row and a second commit.
function sameDecision(a: ApprovalDoc, email: string, scope: ApprovalScope, decision: ApprovalDecision): boolean {
  return sameEmail(a.signer.email, email) && a.scope === scope && a.decision === decision;
}

function repeated(what: { readonly scope: ApprovalScope; readonly decision: ApprovalDecision }): AppError {
  const scope = what.scope === "deploy" ? "deployment" : "database migration";
  return new AppError(
    "conflict",
    `You have already ${what.decision} the ${scope} of this revision; your decision stands and is not recorded twice.`,
    { reason: "already-decided", scope: what.scope, decision: what.decision },
  );
}

// Sign as the role that fills a gap when the signer holds several, so the record says what it counted as.
function pickRole(state: ChangeState, scope: ApprovalScope, roles: readonly string[]): string {
  const gaps = state.quorum.missing.filter((m) => m.scope === scope).map((m) => m.role);
  return roles.find((r) => gaps.includes(r)) ?? roles[0] ?? "none";
}

/**
 * Moves a change whose quorum is already met to approved: the case where the deciding signatures were made on
 * other laptops and arrived through the GitOps repository, so no local decision triggered the transition.
 */
export async function settle(run: Run, changeId: string): Promise<SettleResult> {
  const { trust, me } = await signatoryOf(run);
  const state = await loadChangeState(run.db, changeId, trust, run.deps.publisher(trust));
  const { row, digest } = state.view;
  if (row.status !== "awaiting-approval")
    throw new AppError(
      "illegal-transition",
      `This change is ${row.status}; only a change awaiting approval can be settled.`,
    );
  if (!state.quorum.met || !state.quorum.required)
    throw new AppError("conflict", `The quorum is not met: ${state.quorum.summary}.`);
  return run.ctx.transact(() => {
    recordQuorumMet(run.db, row.id, digest, run.ctx.clock.now());
    const status = transitionChange(
      opEnv(run, me, trust),
      {
        id: row.id,
        to: "approved",
        reason: `Quorum met by the repository's approvals: ${state.quorum.counted.map((c) => `${c.email} (${c.role})`).join(", ")}`,
      },
      "evidence",
    ).status;
    run.ctx.emit("register.changed", { entity: "change", id: row.id });
    return { ...quorumView(state.quorum), status };
  });
}
