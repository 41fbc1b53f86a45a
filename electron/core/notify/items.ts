import {
  type ApprovalEntry,
  approvalRefusal,
  type ChangeDoc,
  evaluateQuorum,
  holdsRole,
  type Policy,
  type PolicyPerson,
  parseException,
  parseReview,
  type QuorumResult,
  sameEmail,
} from "../../../shared/domain/policy/index";
import type { JudgedLedger } from "../gitops/verify/verify";
import type { NotifyKind } from "./config";

/** Someone an item is for. */
export interface Recipient {
  readonly name: string;
  readonly email: string;
}

/** One thing that waits on people: the unit "once per item and reminder interval" counts. */
export interface NotifyItem {
  /** Stable key: kind and change (and the window start for windows, so a moved window is a new item). */
  readonly key: string;
  readonly kind: NotifyKind;
  readonly change: string;
  readonly title: string;
  /** One line for people: what is waiting and on whom. */
  readonly summary: string;
  readonly recipients: readonly Recipient[];
  /** The instant it is about: a review's deadline, a window's start. */
  readonly due: string | null;
}

/** Everything waiting in the judged ledger at `now` (docs/notify.md says what counts). */
export function waitingItems(ledger: JudgedLedger, now: Date, leadTimeMs: number): NotifyItem[] {
  const policy = ledger.inForce?.policy;
  if (!policy) return [];
  const items: NotifyItem[] = [];
  for (const id of [...ledger.files.changes.keys()].sort()) {
    const entry = ledger.files.changes.get(id)?.get("change.yaml");
    // A change whose commit verify discarded is not in the ledger: nobody is asked to act on it.
    if (!entry || entry.discarded) continue;
    const doc = ledger.docs.change(entry.blob);
    if (!doc) continue; // submitted without risk, implementer or window yet: nothing to decide or schedule
    const { change, digest } = doc;
    const quorum = evaluateQuorum({ policy, change, digest, approvals: approvalsOf(ledger, id) });
    const released = ledger.released.has(id);
    if (!released && change.type !== "standard" && quorum.required && !quorum.met && !quorum.defeated) {
      const waiting = waitingApprovers(policy, change, quorum);
      if (waiting.length > 0)
        items.push({
          key: `decision/${id}`,
          kind: "decision",
          change: id,
          title: change.title,
          summary: `${id} waits for approval: ${quorum.summary}.`,
          recipients: waiting,
          due: change.window?.start ?? null,
        });
    }
    const start = Date.parse(change.window.start);
    if (!released && !quorum.defeated && start > now.getTime() && start - now.getTime() <= leadTimeMs)
      items.push({
        key: `window/${id}/${new Date(start).toISOString()}`,
        kind: "window",
        change: id,
        title: change.title,
        summary: `${id}'s change window starts at ${change.window.start} (${quorum.met || !quorum.required ? "approved" : "not yet approved"}).`,
        recipients: unique([change.implementer, change.requester]),
        due: new Date(start).toISOString(),
      });
  }
  for (const e of ledger.emergencies) {
    if (hasReview(ledger, e.id)) continue;
    const doc = ledger.docs.change(ledger.files.changes.get(e.id)?.get("change.yaml")?.blob ?? "");
    if (!doc) continue;
    const overdue = now.getTime() >= e.deadline;
    const deadline = new Date(e.deadline).toISOString();
    items.push({
      key: `${overdue ? "review-overdue" : "review-due"}/${e.id}`,
      kind: overdue ? "review-overdue" : "review-due",
      change: e.id,
      title: doc.change.title,
      summary: overdue
        ? `Emergency ${e.id}'s retrospective review was due by ${deadline} and is missing.`
        : `Emergency ${e.id} was released at ${e.releasedAt}; its retrospective review is due by ${deadline}.`,
      recipients: reviewers(policy, doc.change, loggerOf(ledger, e.id)),
      due: deadline,
    });
  }
  return items;
}

function approvalsOf(ledger: JudgedLedger, id: string): ApprovalEntry[] {
  const out: ApprovalEntry[] = [];
  for (const [rest, entry] of ledger.files.changes.get(id) ?? []) {
    if (!rest.startsWith("approvals/")) continue;
    const approval = ledger.docs.approval(entry.blob);
    if (approval)
      out.push({
        approval,
        commit: entry.commit,
        discarded: entry.discarded ? `its commit has the finding ${entry.discarded}` : null,
      });
  }
  return out;
}

/**
 * The people who can still decide: they hold a role a rule still lacks (on one of the change's plants for a
 * per-plant rule), segregation lets them approve, and they have not already decided that scope (nor, where one
 * person may not approve both, approved the other scope).
 */
function waitingApprovers(policy: Policy, change: ChangeDoc, quorum: QuorumResult): Recipient[] {
  const out: PolicyPerson[] = [];
  const decided = [...quorum.counted, ...quorum.rejections];
  for (const need of quorum.missing) {
    for (const person of policy.people) {
      if (!holdsRole(person, need.role)) continue;
      if (need.plant !== null && !person.plants.includes(need.plant)) continue;
      if (approvalRefusal(policy, change, person, person.email, null)) continue;
      const done = decided.some(
        (d) =>
          sameEmail(d.email, person.email) &&
          (d.scope === need.scope || !policy.segregation.dbApproverMayApproveDeploy),
      );
      if (!done && !out.some((p) => sameEmail(p.email, person.email))) out.push(person);
    }
  }
  return out.map((p) => ({ name: p.name, email: p.email }));
}

function hasReview(ledger: JudgedLedger, id: string): boolean {
  const entry = ledger.files.changes.get(id)?.get("review.yaml");
  if (!entry || entry.discarded) return false;
  try {
    parseReview(ledger.docs.read(entry.blob)?.toString("utf8") ?? "");
    return true;
  } catch {
    return false;
  }
}

function loggerOf(ledger: JudgedLedger, id: string): string | null {
  const entry = ledger.files.changes.get(id)?.get("exception.yaml");
  if (!entry) return null;
  try {
    return parseException(ledger.docs.read(entry.blob)?.toString("utf8") ?? "").loggedBy.email;
  } catch {
    return null;
  }
}

// Who may review: the policy's reviewer roles, never the implementer, requester or logger (docs/gitops-repo.md).
function reviewers(policy: Policy, change: ChangeDoc, logger: string | null): Recipient[] {
  return policy.people
    .filter((p) => policy.emergency.reviewerRoles.some((r) => holdsRole(p, r)))
    .filter(
      (p) =>
        !sameEmail(p.email, change.implementer.email) &&
        !sameEmail(p.email, change.requester.email) &&
        !(logger && sameEmail(p.email, logger)),
    )
    .map((p) => ({ name: p.name, email: p.email }));
}

function unique(people: readonly Recipient[]): Recipient[] {
  return people.filter((p, i) => people.findIndex((q) => sameEmail(q.email, p.email)) === i);
}
