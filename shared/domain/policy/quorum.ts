import {
  conflictingPairsHeld,
  defaultPlantName,
  findPerson,
  holdsRole,
  isProtectedEnvironment,
  joinAnd,
  rulesFor,
  sameEmail,
} from "./people";
import type { ApprovalDoc, ChangeDoc, Policy, PolicyPerson, Scope } from "./schemas";
import { SCOPES } from "./schemas";

/** An approval file as the evaluator sees it; `discarded` says why it cannot count whatever it says (e.g. unsigned). */
export interface ApprovalEntry {
  readonly approval: ApprovalDoc;
  readonly discarded?: string | null;
  readonly commit?: string | null;
}

type ApprovalIssueKind = "discarded" | "stale" | "not-in-policy" | "role-not-held" | "self-approval" | "sod-conflict";

/** Why one approval does not count. */
interface ApprovalIssue {
  readonly kind: ApprovalIssueKind;
  readonly email: string;
  readonly scope: Scope;
  readonly commit: string | null;
  readonly message: string;
}

/** A rule (per plant for perPlant rules) that still lacks approvers. */
interface MissingNeed {
  readonly scope: Scope;
  readonly role: string;
  readonly plant: string | null;
  readonly needed: number;
  readonly have: number;
}

/** One approval counted toward a rule. */
interface CountedApproval {
  readonly email: string;
  readonly scope: Scope;
  readonly role: string;
  readonly plant: string | null;
}

/** A rejection that stands: current content, current digest. */
interface StandingRejection {
  readonly email: string;
  readonly name: string;
  readonly scope: Scope;
  readonly meaning: string;
  readonly commit: string | null;
}

export interface QuorumResult {
  /** False when the change's environment is not protected: no approvals are needed. */
  readonly required: boolean;
  /** True when every rule is met by counted approvals (a standing rejection is a signer's "no", not a veto). */
  readonly met: boolean;
  /**
   * True when a standing rejection leaves the quorum impossible: the people of the policy who could still approve
   * (every eligible person but those whose rejection stands) can no longer fill every rule. The change is rejected.
   */
  readonly defeated: boolean;
  readonly counted: readonly CountedApproval[];
  readonly missing: readonly MissingNeed[];
  readonly rejections: readonly StandingRejection[];
  readonly issues: readonly ApprovalIssue[];
  /** One line for people: "approved", "needs 1 more cab-member and the Chicago plant-ops-leader", "rejected by …". */
  readonly summary: string;
}

interface QuorumInput {
  readonly policy: Policy;
  readonly change: ChangeDoc;
  /** sha256:<hex> of the current change.yaml bytes. */
  readonly digest: string;
  readonly approvals: readonly ApprovalEntry[];
  readonly plantName?: (id: string) => string;
  /** sha256:<hex> of the change's current gate records, where the caller knows them (see `gatesCurrent`). */
  readonly gatesDigest?: string;
}

/**
 * Whether an approval was made over the gate records the change has now. An approval that names no gate digest
 * (written before approvals covered gates) and a caller that does not know the records are not judged on them.
 */
export function gatesCurrent(approval: ApprovalDoc, gatesDigest: string | undefined): boolean {
  return gatesDigest === undefined || approval.gates === undefined || approval.gates === gatesDigest;
}

interface Approver {
  readonly person: PolicyPerson;
  readonly claimed: string;
}

interface Slot {
  readonly scope: Scope;
  readonly role: string;
  readonly plant: string | null;
  readonly ruleKey: string;
}

/** Evaluates the approvals of one change against its policy: quorum, perPlant, SoD, stale and rejected. */
export function evaluateQuorum(input: QuorumInput): QuorumResult {
  const { policy, change, digest } = input;
  const plantName = input.plantName ?? defaultPlantName;
  const issues: ApprovalIssue[] = [];
  const rejections: StandingRejection[] = [];
  const eligible = new Map<Scope, Approver[]>(SCOPES.map((s) => [s, []]));
  const issue = (kind: ApprovalIssueKind, e: ApprovalEntry, message: string) =>
    issues.push({ kind, email: e.approval.signer.email, scope: e.approval.scope, commit: e.commit ?? null, message });

  for (const entry of input.approvals) {
    const a = entry.approval;
    if (a.change !== change.id) continue;
    const who = a.signer.name;
    if (entry.discarded) {
      issue(
        "discarded",
        entry,
        `${who}'s ${a.decision === "approved" ? "approval" : "rejection"} does not count: ${entry.discarded}`,
      );
      continue;
    }
    if (a.changeDigest !== digest) {
      issue(
        "stale",
        entry,
        `${who}'s ${a.scope} ${a.decision === "approved" ? "approval" : "rejection"} is for an earlier revision of ${change.id}`,
      );
      continue;
    }
    if (!gatesCurrent(a, input.gatesDigest)) {
      issue(
        "stale",
        entry,
        `${who}'s ${a.scope} ${a.decision === "approved" ? "approval" : "rejection"} was signed over gate records that have changed since; it must be signed again`,
      );
      continue;
    }
    if (a.decision === "rejected") {
      // The rejection rule: only a rejection by someone whose approval of that scope would have counted stands;
      // anyone else's is shown as an issue and changes nothing.
      const refusal = rejectionRefusal(policy, change, a.signer.email, a.signer.role, a.scope);
      if (refusal) {
        issue(refusal.kind, entry, `${who}'s rejection does not count: ${refusal.reason}`);
        continue;
      }
      rejections.push({
        email: a.signer.email,
        name: who,
        scope: a.scope,
        meaning: a.meaning,
        commit: entry.commit ?? null,
      });
      continue;
    }
    const person = findPerson(policy, a.signer.email);
    const refusal = approvalRefusal(policy, change, person, a.signer.email, a.signer.role);
    if (refusal) {
      issue(refusal.kind, entry, `${who}'s approval does not count: ${refusal.reason}`);
      continue;
    }
    eligible.get(a.scope)?.push({ person: person as PolicyPerson, claimed: a.signer.role });
  }

  if (!policy.segregation.dbApproverMayApproveDeploy) {
    const db = eligible.get("db-migration") ?? [];
    const deploy = eligible.get("deploy") ?? [];
    for (const { person: p } of db.filter((d) => deploy.some((x) => sameEmail(x.person.email, d.person.email)))) {
      issues.push({
        kind: "sod-conflict",
        email: p.email,
        scope: "deploy",
        commit:
          input.approvals.find((e) => sameEmail(e.approval.signer.email, p.email) && e.approval.scope === "deploy")
            ?.commit ?? null,
        message: `${p.name} approved both the deploy and the db migration; their deploy approval does not count`,
      });
      eligible.set(
        "deploy",
        (eligible.get("deploy") ?? []).filter((x) => !sameEmail(x.person.email, p.email)),
      );
    }
  }

  const required = isProtectedEnvironment(policy, change.environment);
  const counted: CountedApproval[] = [];
  const missing: MissingNeed[] = [];
  if (required) {
    for (const scope of SCOPES) {
      const slots = slotsFor(policy, change, scope);
      const people = eligible.get(scope) ?? [];
      const assignment = matchPeopleToSlots(people, slots);
      const byRule = new Map<string, { slot: Slot; needed: number; have: number }>();
      slots.forEach((slot, i) => {
        const entry = byRule.get(slot.ruleKey) ?? { slot, needed: 0, have: 0 };
        entry.needed++;
        const person = assignment[i];
        if (person) {
          entry.have++;
          counted.push({ email: person.email, scope, role: slot.role, plant: slot.plant });
        }
        byRule.set(slot.ruleKey, entry);
      });
      for (const { slot, needed, have } of byRule.values()) {
        if (have < needed) missing.push({ scope, role: slot.role, plant: slot.plant, needed, have });
      }
    }
  }
  const defeated = required && rejections.length > 0 && !stillPossible(policy, change, rejections, eligible);
  const met = missing.length === 0;
  return {
    required,
    met,
    defeated,
    counted,
    missing,
    rejections,
    issues,
    summary: summarise(met, required, missing, defeated ? rejections : [], plantName),
  };
}

/** Why a person's approval cannot count (self-approval, role not held, conflicting roles), or null. */
export function approvalRefusal(
  policy: Policy,
  change: ChangeDoc,
  person: PolicyPerson | null,
  email: string,
  claimedRole: string | null,
): { readonly kind: ApprovalIssueKind; readonly reason: string } | null {
  if (!person) return { kind: "not-in-policy", reason: `${email} is not a person in policy.yaml` };
  if (!policy.segregation.requesterMayApprove && sameEmail(change.requester.email, email))
    return { kind: "self-approval", reason: "they are the requester" };
  if (!policy.segregation.requesterMayApprove && change.onBehalfOf && sameEmail(change.onBehalfOf.email, email))
    return {
      kind: "self-approval",
      reason: "the change was raised on their behalf (they are its requester's principal)",
    };
  if (!policy.segregation.implementerMayApprove && sameEmail(change.implementer.email, email))
    return { kind: "self-approval", reason: "they are the implementer" };
  if (claimedRole !== null && !holdsRole(person, claimedRole))
    return { kind: "role-not-held", reason: `${person.name} does not hold the role ${claimedRole}` };
  const pair = conflictingPairsHeld(policy, person)[0];
  if (pair)
    return { kind: "sod-conflict", reason: `${person.name} holds the conflicting roles ${pair[0]} and ${pair[1]}` };
  return null;
}

/**
 * Why a signed rejection of `scope` does not stand, or null when it does: its signer must be someone whose approval
 * of that scope would count (in policy, not barred by segregation, holding the claimed role, and holding a role a rule
 * of that scope needs, on one of the change's plants for a per-plant rule). Whether a standing rejection defeats the
 * quorum is then a question of who is left (stillPossible).
 */
function rejectionRefusal(
  policy: Policy,
  change: ChangeDoc,
  email: string,
  claimedRole: string | null,
  scope: Scope,
): { readonly kind: ApprovalIssueKind; readonly reason: string } | null {
  const person = findPerson(policy, email);
  const refusal = approvalRefusal(policy, change, person, email, claimedRole);
  if (refusal || !person) return refusal;
  const needed = rulesFor(policy, change, scope).some(
    (r) =>
      person.roles.includes(r.role) && (!r.perPlant || change.plants.some((plant) => person.plants.includes(plant))),
  );
  return needed
    ? null
    : { kind: "role-not-held", reason: `${person.name} holds none of the roles the ${scope} approval needs` };
}

/**
 * Could the rules of every scope still be filled, by anyone of the policy who may approve it, once the standing
 * rejecters of that scope are taken out (and, for deploy, the counted db-migration approvers when one person may
 * not approve both)?
 */
function stillPossible(
  policy: Policy,
  change: ChangeDoc,
  rejections: readonly StandingRejection[],
  eligible: ReadonlyMap<Scope, readonly Approver[]>,
): boolean {
  return SCOPES.every((scope) => {
    const slots = slotsFor(policy, change, scope);
    const out = (email: string) =>
      rejections.some((r) => r.scope === scope && sameEmail(r.email, email)) ||
      (scope === "deploy" &&
        !policy.segregation.dbApproverMayApproveDeploy &&
        (eligible.get("db-migration") ?? []).some((a) => sameEmail(a.person.email, email)));
    const people = policy.people
      .filter((p) => !out(p.email) && approvalRefusal(policy, change, p, p.email, null) === null)
      .map((person) => ({ person, claimed: "" }));
    return matchPeopleToSlots(people, slots).every((p) => p !== null);
  });
}

function slotsFor(policy: Policy, change: ChangeDoc, scope: Scope): Slot[] {
  const slots: Slot[] = [];
  rulesFor(policy, change, scope).forEach((rule, r) => {
    const plants: (string | null)[] = rule.perPlant ? change.plants : [null];
    for (const plant of plants) {
      for (let k = 0; k < rule.count; k++)
        slots.push({ scope, role: rule.role, plant, ruleKey: `${r}:${plant ?? ""}` });
    }
  });
  return slots;
}

function fits(approver: Approver, slot: Slot, claimedOnly: boolean): boolean {
  const { person } = approver;
  if (claimedOnly && approver.claimed !== slot.role) return false;
  return person.roles.includes(slot.role) && (slot.plant === null || person.plants.includes(slot.plant));
}

/**
 * Maximum bipartite matching (Kuhn): each person fills at most one slot, so one person counts once whatever
 * roles they hold. A first pass uses only the role each signer claimed, so the assignment (and the message
 * about what is missing) follows what people signed as; the second pass lets other held roles fill the rest.
 */
function matchPeopleToSlots(people: readonly Approver[], slots: readonly Slot[]): (PolicyPerson | null)[] {
  const owner: (number | null)[] = slots.map(() => null);
  const matched = people.map(() => false);
  const tryAssign = (p: number, seen: boolean[], claimedOnly: boolean): boolean => {
    for (let s = 0; s < slots.length; s++) {
      if (seen[s] || !fits(people[p] as Approver, slots[s] as Slot, claimedOnly)) continue;
      seen[s] = true;
      const current = owner[s];
      if (current === null || current === undefined || tryAssign(current, seen, claimedOnly)) {
        owner[s] = p;
        return true;
      }
    }
    return false;
  };
  for (const claimedOnly of [true, false]) {
    people.forEach((_, p) => {
      if (!matched[p])
        matched[p] = tryAssign(
          p,
          slots.map(() => false),
          claimedOnly,
        );
    });
  }
  return owner.map((p) => (p === null || p === undefined ? null : (people[p]?.person ?? null)));
}

/** "1 more cab-member", "the Chicago plant-ops-leader", "1 dba for the db migration". */
export function describeNeed(need: MissingNeed, plantName: (id: string) => string = defaultPlantName): string {
  const n = need.needed - need.have;
  const role = need.plant === null ? need.role : `${plantName(need.plant)} ${need.role}`;
  const text =
    need.plant !== null && n === 1 && need.have === 0
      ? `the ${role}`
      : `${n}${need.have > 0 ? " more" : ""} ${role}${n > 1 ? "s" : ""}`;
  return need.scope === "db-migration" ? `${text} for the db migration` : text;
}

function summarise(
  met: boolean,
  required: boolean,
  missing: readonly MissingNeed[],
  rejections: readonly StandingRejection[],
  plantName: (id: string) => string,
): string {
  if (rejections.length > 0) return `rejected by ${joinAnd(rejections.map((r) => r.name))}`;
  if (!required) return "no approvals needed (environment not protected)";
  if (met) return "approved";
  return `needs ${joinAnd(missing.map((m) => describeNeed(m, plantName)))}`;
}
