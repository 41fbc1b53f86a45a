import type { Policy } from "../../../shared/domain/policy/index";
import { sameEmail } from "../../../shared/domain/policy/index";
import type { EmergencyRules } from "../approvals/workflow";
import { findChange, rowFields } from "../register/change-rows";
import type { Db } from "../register/db";
import { findException, findReview, type StoredException } from "./exception-store";
import { exceptionRecord } from "./exception-view";

/**
 * One person cannot log, approve and review the same emergency (issue #13): the logger signs exception.yaml, so
 * unless policy `segregation.emergencyLoggerMayApprove` says otherwise the logger's approval would be a second
 * signature by the same hand. Returns why this person may not decide this change, or null.
 */
function loggerDecisionRefusal(db: Db, policy: Policy, changeId: string, email: string): string | null {
  if (policy.segregation.emergencyLoggerMayApprove) return null;
  const exception = findException(db, changeId);
  if (!exception || !sameEmail(exception.loggedBy.email, email)) return null;
  return "You cannot approve or reject this emergency change: you logged its exception. Another holder of the role must decide it.";
}

/**
 * Why this person may not sign the retrospective review, or null: the review is a second look, so it is never the
 * implementer's, the requester's (who raised the fix), nor (unless policy `emergencyLoggerMayReview`) the logger's.
 */
export function reviewerRefusal(
  policy: Policy,
  exception: StoredException,
  change: { readonly implementer: { readonly email: string } | null; readonly requester: { readonly email: string } },
  email: string,
): string | null {
  if (change.implementer && sameEmail(change.implementer.email, email))
    return "You cannot review this emergency change: you are its implementer.";
  if (sameEmail(change.requester.email, email))
    return "You cannot review this emergency change: you raised the fix (its requester).";
  if (!policy.segregation.emergencyLoggerMayReview && sameEmail(exception.loggedBy.email, email))
    return "You cannot review this emergency change: you logged its exception. Ask another cab-member or change-manager.";
  return null;
}

/**
 * Why the key holder may not sign this emergency's retrospective review, as exception.review would refuse it (the
 * exceptions register shows it instead of a Review button), or null when they may or it needs none.
 */
export function reviewRefusalFor(db: Db, policy: Policy, changeId: string, email: string | null): string | null {
  const exception = findException(db, changeId);
  const row = findChange(db, changeId);
  if (!exception || !row || findReview(db, changeId)) return null;
  if (email === null) return "Select your signing key to review this emergency change.";
  const sod = reviewerRefusal(policy, exception, rowFields(row), email);
  if (sod) return sod;
  const person = policy.people.find((p) => sameEmail(p.email, email));
  const roles = policy.emergency.reviewerRoles;
  if (!person?.roles.some((r) => roles.includes(r)))
    return `Reviewing an emergency change needs a ${roles.join(" or ")}; you hold ${person?.roles.join(", ") || "no role"}.`;
  return null;
}

/** The emergency rules the approvals capability applies to decisions and shows in the decision view. */
export const emergencyRules: EmergencyRules = {
  loggerRefusal: loggerDecisionRefusal,
  exceptionOf: (db, changeId, now) => {
    const exception = findException(db, changeId);
    return exception ? exceptionRecord(db, exception, now) : null;
  },
};
