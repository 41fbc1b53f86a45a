import type { ChangeStatus } from "../register/vocabulary";

// Who may do what (docs/gitops-repo.md, policy.yaml `actions:`): each action names the roles allowed to take it.
// Besides the policy's roles, a list may name the change's own parties: `requester` (the signer who created it, or
// the person it was raised on behalf of), `implementer`, and `anyone` (every person the policy lists).

/** The actions policy.yaml's `actions:` may name. */
export const ACTIONS = [
  "change.create",
  "change.edit",
  "change.delete",
  "change.submit",
  "change.withdraw",
  "change.cancel",
  "change.assess",
  "change.request-approval",
  "change.schedule",
  "change.fail",
  "change.roll-back",
  "change.close",
  "gate.record",
  "change.promote",
  "change.comment",
  "odoo.connect",
  "odoo.check",
] as const;
export type Action = (typeof ACTIONS)[number];

/** The change's own parties a rule may name beside roles. */
const PARTIES = ["requester", "implementer", "anyone"] as const;

/** The roles allowed per action, as policy.yaml may give them (missing actions take the defaults). */
export type ActionRules = Partial<Readonly<Record<Action, readonly string[]>>>;

/** What applies when policy.yaml's `actions:` does not name an action. */
export const DEFAULT_ACTIONS: Readonly<Record<Action, readonly string[]>> = {
  "change.create": ["anyone"],
  "change.edit": ["requester", "change-manager"],
  "change.delete": ["requester", "change-manager"],
  "change.submit": ["requester", "change-manager"],
  "change.withdraw": ["requester", "change-manager"],
  "change.cancel": ["requester", "change-manager"],
  "change.assess": ["change-manager", "cab-member"],
  "change.request-approval": ["requester", "change-manager"],
  "change.schedule": ["implementer", "release-manager", "change-manager"],
  "change.fail": ["implementer", "release-manager"],
  "change.roll-back": ["implementer", "release-manager"],
  "change.close": ["implementer", "release-manager", "change-manager"],
  // Gates are evidence of testing: the people who run the tests and release. For a protected environment never the
  // change's requester or implementer, unless the policy names `requester` or `implementer` here itself.
  "gate.record": ["release-manager", "plant-ops-leader", "dba", "tester", "qa"],
  "change.promote": ["release-manager", "implementer"],
  "change.comment": ["anyone"],
  // Where an environment's Odoo is: pointing checks at another server would fake their evidence.
  "odoo.connect": ["release-manager", "it-manager", "policy-admin"],
  // Running checks measures, and its latest result decides whether a gate may be passed by hand.
  "odoo.check": ["release-manager", "plant-ops-leader", "dba", "tester", "qa"],
};

/** The action a person's lifecycle move is, or null for a move no person makes (derived states). */
export function transitionAction(from: ChangeStatus, to: ChangeStatus): Action | null {
  switch (to) {
    case "submitted":
      return "change.submit";
    case "draft":
      return "change.withdraw";
    case "cancelled":
      return "change.cancel";
    case "assessed":
      return "change.assess";
    case "awaiting-approval":
      return "change.request-approval";
    case "scheduled":
      return "change.schedule";
    case "failed":
      return "change.fail";
    case "rolled-back":
      return "change.roll-back";
    case "closed":
      return from === "validating" ? null : "change.close";
    default:
      return null;
  }
}

/** The person acting, with the roles the policy gives them. */
interface Holder {
  readonly email: string;
  readonly roles: readonly string[];
}

/** The change an action is taken on, as far as who may act on it goes. */
export interface ChangeParties {
  readonly requester: string;
  readonly onBehalfOf: string | null;
  readonly implementer: string | null;
  /** True when the environment the action touches is protected in policy.yaml. */
  readonly protectedEnvironment: boolean;
}

/** The roles and parties allowed to take an action under these rules. */
export function whoMay(rules: ActionRules, action: Action): readonly string[] {
  return rules[action] ?? DEFAULT_ACTIONS[action];
}

function isRequester(holder: Holder, change: ChangeParties | null): boolean {
  const email = holder.email.toLowerCase();
  return change !== null && (change.requester === email || change.onBehalfOf === email);
}

/** True when the holder may take the action on the change (null for an action on no change yet). */
export function mayAct(rules: ActionRules, action: Action, holder: Holder, change: ChangeParties | null): boolean {
  const allowed = whoMay(rules, action);
  const email = holder.email.toLowerCase();
  // Segregation of duties for evidence: for a protected environment neither the requester nor the implementer
  // records a gate of their own change unless the policy says so in so many words.
  if (action === "gate.record" && change?.protectedEnvironment) {
    if (isRequester(holder, change)) return allowed.includes("requester");
    if (change.implementer === email) return allowed.includes("implementer");
  }
  return allowed.some((who) => {
    if (who === "anyone") return true;
    if (who === "requester") return isRequester(holder, change);
    if (who === "implementer") return change !== null && change.implementer === email;
    return holder.roles.includes(who);
  });
}

/** "the requester, the implementer or a release-manager": the allowed list in words. */
export function describeWho(allowed: readonly string[]): string {
  const words = allowed.map((who) =>
    who === "anyone" ? "anyone in the policy" : PARTIES.includes(who as never) ? `the ${who}` : `a ${who}`,
  );
  if (words.length <= 1) return words[0] ?? "no one";
  return `${words.slice(0, -1).join(", ")} or ${words[words.length - 1]}`;
}
