import { AppError } from "../../../shared/contract/errors";
import { DEFAULT_RISK_POLICY, DEFAULT_ROLLBACK_POLICY } from "../../../shared/domain/policy/index";
import type { PolicyPermissions } from "./policy-roles";

/** The risk and rollback rules and protected environments a risk assessment or approval request is judged under. */
type RiskPolicyView = Pick<PolicyPermissions, "risk" | "rollback" | "protectedEnvironments">;

// A working copy not yet holding policy.yaml (a repository being set up) still has the built-in questionnaire and
// the facts; only an invalid policy is refused, since its floors cannot be vouched for.
export const BUILT_IN_RISK_RULES: RiskPolicyView = {
  risk: DEFAULT_RISK_POLICY,
  rollback: DEFAULT_ROLLBACK_POLICY,
  protectedEnvironments: ["production", "preproduction"],
};

/** The policy's risk and rollback rules, or the built-in ones while the working copy has no policy.yaml. */
export function riskRules(permissions: () => PolicyPermissions): RiskPolicyView {
  try {
    return permissions();
  } catch (error) {
    if (error instanceof AppError && error.details?.reason === "policy-missing") {
      return BUILT_IN_RISK_RULES;
    }
    throw error;
  }
}
