import { type Policy, sameEmail } from "../../../shared/domain/policy/index";
import type { ChangeRow } from "../register/change-rows";

/**
 * Why the signer may not decide a change raised on their behalf, or null. The requester is whoever created the
 * change (change.yaml names them, and canApprove holds them); the person they named is held to the same rule, so
 * naming someone else as requester lets neither of them approve the change (issue #13).
 */
export function onBehalfOfRefusal(policy: Policy, row: ChangeRow, email: string): string | null {
  if (policy.segregation.requesterMayApprove || row.on_behalf_of_email === null) return null;
  if (!sameEmail(row.on_behalf_of_email, email)) return null;
  return (
    `You cannot approve or reject this change: it was raised on your behalf (by ${row.requester_email}), and the ` +
    "policy keeps requesters from deciding their own changes. Ask another approver."
  );
}
