import type {
  ApprovalPreview,
  ApprovalScope,
  InboxItem,
  ScopePreview,
  SignerOption,
} from "../../../shared/contract/methods/approvals";
import {
  canApprove,
  DEFAULT_GATE_POLICY,
  isProtectedEnvironment,
  rulesFor,
  SCOPES,
  sameEmail,
} from "../../../shared/domain/policy/index";
import { productionReadiness } from "../../../shared/domain/register/gates";
import { isWindowPassed } from "../../../shared/domain/register/window-passed";
import { approvalCurrent } from "../gitops/change-doc";
import { gatesDigest } from "../gitops/gates-digest";
import type { Signatory } from "../identity/identity";
import type { Trust } from "../identity/trust";
import { rowFields, toSummary } from "../register/change-rows";
import type { Db } from "../register/db";
import { listChanges } from "../register/list";
import { gatesOf } from "../register/queries";
import { decisionView } from "./decision-view";
import { type InboxMemo, inboxKey, inboxMemo, type JudgedItem } from "./inbox-memo";
import type { ApprovalPublisher } from "./publisher";
import { approvalRecords, type ChangeState, loadChangeState, quorumView } from "./state";
import type { EmergencyRules } from "./workflow";

/** "you cannot approve: …" as a sentence. */
export function sentence(message: string): string {
  return message ? `${message[0]?.toUpperCase()}${message.slice(1)}.` : "";
}

/** Whether the signatory may decide each scope of a change now, and their current decision. */
function scopePreviews(
  state: ChangeState,
  trust: Trust,
  me: Pick<Signatory, "email"> | null,
  db: Db,
  emergency: EmergencyRules,
): ScopePreview[] {
  const { doc } = state.view;
  const current = state.entries
    .filter((e) => !e.discarded && approvalCurrent(e.approval, state.view))
    .map((e) => e.approval);
  return SCOPES.map((scope) => {
    const needed =
      isProtectedEnvironment(trust.policy, doc.environment) && rulesFor(trust.policy, doc, scope).length > 0;
    if (!me)
      return { scope, needed, allowed: false, message: "Select your signing key first.", roles: [], myDecision: null };
    const decision = canApprove(trust.policy, doc, me.email, scope, current);
    const mine = current.find((a) => a.scope === scope && sameEmail(a.signer.email, me.email));
    // The core refuses the logger of an emergency (decide.ts); the dialog and inbox say so before they ask.
    const logged = decision.allowed ? emergency.loggerRefusal(db, trust.policy, state.view.row.id, me.email) : null;
    return {
      scope,
      needed,
      allowed: decision.allowed && !logged,
      message: logged ?? sentence(decision.message),
      roles: decision.roles,
      myDecision: mine?.decision ?? null,
    };
  });
}

/** Why a change cannot be decided now, or null. */
function blockedReason(state: ChangeState, me: Pick<Signatory, "email"> | null, problem: string | null): string | null {
  if (!me) return problem ?? "Select your signing key first.";
  const { row } = state.view;
  if (row.status !== "awaiting-approval")
    return `This change is ${row.status}; only changes awaiting approval can be approved or rejected.`;
  return null;
}

/** Everything the approval dialog shows for one change and the current signatory. */
export async function previewChange(
  db: Db,
  changeId: string,
  trust: Trust,
  publisher: ApprovalPublisher,
  me: Signatory | null,
  problem: string | null,
  now: Date,
  emergency: EmergencyRules,
): Promise<ApprovalPreview> {
  const state = await loadChangeState(db, changeId, trust, publisher);
  const { row } = state.view;
  const gates = gatesOf(db, row.id);
  return {
    change: toSummary(row, now.getTime()),
    digest: state.view.digest,
    gatesDigest: gatesDigest(gates, row.environment),
    dbMigration: state.view.doc.dbMigration,
    blocked: blockedReason(state, me, problem),
    scopes: scopePreviews(state, trust, me, db, emergency),
    quorum: quorumView(state.quorum),
    approvals: approvalRecords(state),
    gates,
    productionReadiness: productionReadiness(
      trust.policy.gates ?? DEFAULT_GATE_POLICY,
      { risk: row.risk, validation: rowFields(row).validation },
      gates,
    ),
    exception: emergency.exceptionOf(db, row.id, now),
    settleable: state.quorum.met && state.quorum.required && row.status === "awaiting-approval",
    decision: decisionView(db, row, gates),
  };
}

/**
 * Whether each of these people may decide the change now, judged as `approval.decide` would judge them with their
 * own key (state, roles, segregation, the emergency's logger, a decision already given), without switching keys.
 */
export async function signerOptions(
  db: Db,
  changeId: string,
  trust: Trust,
  publisher: ApprovalPublisher,
  emails: readonly string[],
  emergency: EmergencyRules,
): Promise<SignerOption[]> {
  const state = await loadChangeState(db, changeId, trust, publisher);
  return emails.map((email) => {
    const person = trust.policy.people.find((p) => sameEmail(p.email, email));
    if (!person) return { email, allowed: false, reason: `${email} is not a person in policy.yaml.` };
    const blocked = blockedReason(state, person, null);
    if (blocked) return { email, allowed: false, reason: blocked };
    const needed = scopePreviews(state, trust, person, db, emergency).filter((s) => s.needed);
    if (needed.some((s) => s.allowed && s.myDecision === null)) return { email, allowed: true, reason: null };
    const why = needed.map((s) => (s.myDecision ? `Already ${s.myDecision} (${s.scope}).` : s.message));
    return { email, allowed: false, reason: why.filter((m) => m !== "").join(" ") || "This change needs no approval." };
  });
}

/** Changes awaiting a decision this signatory may still give for the current revision, the earliest window first. */
export async function inbox(
  db: Db,
  trust: Trust,
  publisher: ApprovalPublisher,
  me: Signatory,
  now: Date,
  emergency: EmergencyRules,
  memo: InboxMemo = inboxMemo(),
): Promise<InboxItem[]> {
  // The repository is read once for the whole inbox, not once per change.
  const pinned = await publisher.pinned();
  const key = inboxKey(db, trust, pinned.reading, me.email);
  if (memo.key !== key) {
    const items: JudgedItem[] = [];
    for (let page = 1; ; page++) {
      const list = listChanges(
        db,
        {
          status: ["awaiting-approval"],
          sort: { field: "windowStart", dir: "asc" },
          page,
          pageSize: 500,
        },
        now,
      );
      for (const change of list.items) {
        const state = await loadChangeState(db, change.id, trust, pinned);
        const scopes: ApprovalScope[] = scopePreviews(state, trust, me, db, emergency)
          .filter((s) => s.needed && s.allowed && s.myDecision === null)
          .map((s) => s.scope);
        if (scopes.length > 0) items.push({ change, scopes, quorumSummary: state.quorum.summary });
      }
      if (page * list.pageSize >= list.total) break;
    }
    // Judged against the state the key names: a write while judging moved the key, so the next load judges again.
    memo.key = key;
    memo.items = items;
  }
  return memo.items.map((i) => ({
    change: { ...i.change, windowPassed: isWindowPassed(i.change.status, i.change.window, now.getTime()) },
    scopes: [...i.scopes],
    quorumSummary: i.quorumSummary,
  }));
}
