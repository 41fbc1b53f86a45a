import type { ApprovalRecord, QuorumView } from "../../../shared/contract/methods/approvals";
import { DEMO_PLANTS } from "../../../shared/domain/demo/roster";
import {
  type ApprovalEntry,
  describeNeed,
  evaluateQuorum,
  type QuorumResult,
  sameEmail,
} from "../../../shared/domain/policy/index";
import { approvalCurrent, type ChangeView, changeView } from "../gitops/change-doc";
import type { RepoApproval } from "../gitops/repo-approvals";
import type { Trust } from "../identity/trust";
import type { Db } from "../register/db";
import { gatesOf, liveChange } from "../register/queries";
import { approvalDocOf, currentApprovals, type StoredApproval } from "./approval-store";
import type { ApprovalPublisher } from "./publisher";

/** A current decision: recorded on this laptop, or read from the GitOps repository (another laptop's). */
type Decision =
  | { readonly source: "local"; readonly stored: StoredApproval }
  | { readonly source: "repo"; readonly file: RepoApproval };

/** One change with its current decisions, judged against the policy in force. */
export interface ChangeState {
  readonly view: ChangeView;
  readonly decisions: readonly Decision[];
  /** The repository's approval files, kept to judge again after a new local decision. */
  readonly repo: readonly RepoApproval[];
  readonly entries: readonly ApprovalEntry[];
  readonly quorum: QuorumResult;
}

/** Plant names people read ("Chicago"); the demo's plants by their short names, others capitalised. */
export function plantName(id: string): string {
  const plant = DEMO_PLANTS.find((p) => p.id === id);
  return plant ? (plant.name.split(" ")[0] ?? id) : id.length ? `${id[0]?.toUpperCase()}${id.slice(1)}` : id;
}

/** Reads a change, the decisions on it (local and, once submitted, the repository's) and evaluates its quorum. */
export async function loadChangeState(
  db: Db,
  changeId: string,
  trust: Trust,
  publisher: ApprovalPublisher,
): Promise<ChangeState> {
  const row = liveChange(db, changeId);
  const repo = row.number !== null ? await publisher.approvals(row.number) : [];
  const view = changeView(row, (n) => publisher.changeDigest(n), gatesOf(db, row.id));
  return judge(view, currentApprovals(db, changeId), repo, trust);
}

const keyOf = (email: string, scope: string) => `${email.toLowerCase()}|${scope}`;

// A person's current decision per scope is their latest, wherever it was recorded; the same decision recorded
// here and published to the repository is one decision (the local record wins a tie).
function latestDecisions(stored: readonly StoredApproval[], repo: readonly RepoApproval[]): Decision[] {
  const chosen = new Map<string, { at: number; decision: Decision }>();
  const offer = (key: string, at: number, decision: Decision) => {
    const current = chosen.get(key);
    if (!current || at > current.at) chosen.set(key, { at, decision });
  };
  for (const a of stored)
    offer(keyOf(a.signature.email, a.scope), Date.parse(a.signature.signedAt), { source: "local", stored: a });
  for (const f of repo)
    offer(keyOf(f.approval.signer.email, f.approval.scope), Date.parse(f.approval.signedAt), {
      source: "repo",
      file: f,
    });
  return [...chosen.values()].map((c) => c.decision);
}

/** Evaluates a change's quorum with a given set of decisions (also right after a new one is stored). */
export function judge(
  view: ChangeView,
  stored: readonly StoredApproval[],
  repo: readonly RepoApproval[],
  trust: Trust,
): ChangeState {
  const decisions = latestDecisions(stored, repo);
  const entries: ApprovalEntry[] = decisions.map((d) =>
    d.source === "local"
      ? { approval: approvalDocOf(d.stored, view.doc.id), commit: d.stored.commit }
      : { approval: d.file.approval, commit: d.file.commit, discarded: d.file.discarded },
  );
  const quorum = evaluateQuorum({
    policy: trust.policy,
    change: view.doc,
    digest: view.digest,
    ...(view.gatesDigest !== undefined ? { gatesDigest: view.gatesDigest } : {}),
    approvals: entries,
    plantName,
  });
  return { view, decisions, repo, entries, quorum };
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

// A repository file records the signer's offset, not their zone name: the offset is what can be shown.
function offsetOf(rfc3339: string): string {
  const m = /(Z|[+-]\d{2}:\d{2})$/.exec(rfc3339);
  return m?.[1] === "Z" || !m ? "UTC" : `UTC${m[1]}`;
}

/** Current decisions as the contract shows them, with whether each is for the current revision and counts. */
export function approvalRecords(state: ChangeState): ApprovalRecord[] {
  return state.decisions.map((d) => {
    const doc = d.source === "local" ? approvalDocOf(d.stored, state.view.doc.id) : d.file.approval;
    const issue = state.quorum.issues.find((i) => i.scope === doc.scope && sameEmail(i.email, doc.signer.email));
    const base = {
      changeId: state.view.row.id,
      scope: doc.scope,
      decision: doc.decision,
      changeDigest: doc.changeDigest,
      current: approvalCurrent(doc, state.view),
      issue: issue?.message ?? null,
    };
    if (d.source === "local")
      return {
        ...base,
        id: d.stored.id,
        signature: d.stored.signature,
        keyFingerprint: d.stored.keyFingerprint,
        commit: d.stored.commit,
      };
    return {
      ...base,
      id: `git:${d.file.commit ?? "uncommitted"}:${doc.scope}`,
      signature: {
        name: doc.signer.name,
        email: doc.signer.email,
        role: doc.signer.role,
        signedAt: doc.signedAt,
        timeZone: offsetOf(doc.signedAt),
        meaning: doc.meaning,
      },
      keyFingerprint: d.file.fingerprint ?? "",
      commit: d.file.commit,
    };
  });
}
