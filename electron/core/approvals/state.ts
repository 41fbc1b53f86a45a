import type { ApprovalRecord, QuorumView } from "../../../shared/contract/methods/approvals";
import { DEMO_PLANTS } from "../../../shared/domain/demo/roster";
import {
  type ApprovalEntry,
  describeNeed,
  evaluateQuorum,
  type QuorumResult,
  sameEmail,
} from "../../../shared/domain/policy/index";
import type { Db } from "../register/db";
import { liveChange } from "../register/queries";
import { approvalDocOf, currentApprovals, type StoredApproval } from "./approval-store";
import { type ChangeView, changeView } from "./change-doc";
import type { ApprovalPublisher } from "./publisher";
import type { Trust } from "./trust";

/** One change with its current decisions, judged against the policy in force. */
export interface ChangeState {
  readonly view: ChangeView;
  readonly stored: readonly StoredApproval[];
  readonly entries: readonly ApprovalEntry[];
  readonly quorum: QuorumResult;
}

/** Plant names people read ("Chicago"); the demo's plants by their short names, others capitalised. */
export function plantName(id: string): string {
  const plant = DEMO_PLANTS.find((p) => p.id === id);
  return plant ? (plant.name.split(" ")[0] ?? id) : id.length ? `${id[0]?.toUpperCase()}${id.slice(1)}` : id;
}

/** Reads a change and evaluates its quorum. */
export function loadChangeState(db: Db, changeId: string, trust: Trust, publisher: ApprovalPublisher): ChangeState {
  const view = changeView(liveChange(db, changeId), (n) => publisher.changeDigest(n));
  return judge(view, currentApprovals(db, changeId), trust);
}

/** Evaluates a change's quorum with a given set of current decisions (also used before a new one is stored). */
export function judge(view: ChangeView, stored: readonly StoredApproval[], trust: Trust): ChangeState {
  const entries = stored.map((a) => ({ approval: approvalDocOf(a, view.doc.id), commit: a.commit }));
  const quorum = evaluateQuorum({
    policy: trust.policy,
    change: view.doc,
    digest: view.digest,
    approvals: entries,
    plantName,
  });
  return { view, stored, entries, quorum };
}

/** The quorum as the contract shows it. */
export function quorumView(q: QuorumResult): QuorumView {
  return {
    required: q.required,
    met: q.met,
    summary: q.summary,
    missing: q.missing.map((m) => ({ ...m, text: describeNeed(m, plantName) })),
    rejectedBy: q.rejections.map((r) => r.name),
    issues: q.issues.map((i) => i.message),
  };
}

/** Stored decisions as the contract shows them, with whether each is for the current revision and counts. */
export function approvalRecords(state: ChangeState): ApprovalRecord[] {
  return state.stored.map((a) => {
    const issue = state.quorum.issues.find((i) => i.scope === a.scope && sameEmail(i.email, a.signature.email));
    return {
      id: a.id,
      changeId: a.changeId,
      scope: a.scope,
      decision: a.decision,
      signature: a.signature,
      changeDigest: a.changeDigest,
      current: a.changeDigest === state.view.digest,
      issue: issue?.message ?? null,
      keyFingerprint: a.keyFingerprint,
      commit: a.commit,
    };
  });
}
