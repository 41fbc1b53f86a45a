import { findPerson, isProtectedEnvironment, rulesFor, sameEmail } from "./people";
import { approvalRefusal } from "./quorum";
import type { ApprovalDoc, ChangeDoc, Policy, Scope } from "./schemas";

type ApproveRefusalCode =
  | "not-in-policy"
  | "requester"
  | "implementer"
  | "conflicting-roles"
  | "other-scope"
  | "no-needed-role"
  | "not-protected";

interface ApproveDecision {
  readonly allowed: boolean;
  readonly reasons: readonly { readonly code: ApproveRefusalCode; readonly message: string }[];
  /** "you cannot approve: you are the implementer"; empty when allowed. */
  readonly message: string;
  /** The roles this person may sign with for this change and scope. */
  readonly roles: readonly string[];
}

/**
 * May this person approve (or reject) this change for this scope? The renderer previews it, the core decides.
 * `others` are the change's current approval files (for deploy/db-migration separation).
 */
export function canApprove(
  policy: Policy,
  change: ChangeDoc,
  email: string,
  scope: Scope,
  others: readonly ApprovalDoc[] = [],
): ApproveDecision {
  const reasons: { code: ApproveRefusalCode; message: string }[] = [];
  const person = findPerson(policy, email);
  const rules = rulesFor(policy, change, scope);
  const neededRoles = new Set(rules.map((r) => r.role));
  // A perPlant rule only takes holders from one of the change's plants.
  const roles = person
    ? person.roles.filter((role) =>
        rules.some((r) => r.role === role && (!r.perPlant || change.plants.some((p) => person.plants.includes(p)))),
      )
    : [];
  const refusal = approvalRefusal(policy, change, person, email, null);
  if (refusal) {
    const code: ApproveRefusalCode =
      refusal.kind === "not-in-policy"
        ? "not-in-policy"
        : refusal.kind === "sod-conflict"
          ? "conflicting-roles"
          : refusal.reason.includes("requester")
            ? "requester"
            : "implementer";
    const message =
      code === "requester"
        ? refusal.reason.includes("on their behalf")
          ? "the change was raised on your behalf, so you count as its requester"
          : "you are the requester"
        : code === "implementer"
          ? "you are the implementer"
          : code === "not-in-policy"
            ? "you are not in the repository's policy"
            : `you hold conflicting roles (${refusal.reason.replace(/^.* roles /, "")})`;
    reasons.push({ code, message });
  }
  if (person && !policy.segregation.dbApproverMayApproveDeploy) {
    const other: Scope = scope === "deploy" ? "db-migration" : "deploy";
    const did = others.some(
      (a) =>
        a.change === change.id && a.scope === other && a.decision === "approved" && sameEmail(a.signer.email, email),
    );
    if (did)
      reasons.push({
        code: "other-scope",
        message: `you already approved the ${other === "deploy" ? "deploy" : "db migration"}`,
      });
  }
  if (!isProtectedEnvironment(policy, change.environment))
    reasons.push({ code: "not-protected", message: `${change.environment} is not a protected environment` });
  else if (person && roles.length === 0 && !refusal) {
    const list = [...neededRoles];
    reasons.push({
      code: "no-needed-role",
      message: list.length
        ? `you hold none of the roles it needs (${list.join(", ")})`
        : "no approval of this scope is needed",
    });
  }
  const first = reasons[0];
  return {
    allowed: reasons.length === 0,
    reasons,
    message: first ? `you cannot approve: ${reasons.map((r) => r.message).join("; ")}` : "",
    roles,
  };
}
