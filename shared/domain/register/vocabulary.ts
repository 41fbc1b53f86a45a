// The closed vocabularies of the register. They mirror change.yaml (docs/gitops-repo.md) so a change
// can be submitted to the GitOps repository without translation.

export const CHANGE_STATUSES = [
  "draft",
  "submitted",
  "assessed",
  "awaiting-approval",
  "approved",
  "scheduled",
  "implementing",
  "validating",
  "closed",
  "rejected",
  "cancelled",
  "failed",
  "rolled-back",
  // Released without the approvals its policy needs, or running something other than what was approved.
  "unauthorised",
] as const;
export type ChangeStatus = (typeof CHANGE_STATUSES)[number];

export const CHANGE_TYPES = ["standard", "normal", "emergency"] as const;
export type ChangeType = (typeof CHANGE_TYPES)[number];

export const AREAS = [
  "mrp",
  "bom",
  "warehouse",
  "quality",
  "barcode",
  "procurement",
  "accounting",
  "integration",
  "reporting",
  "platform",
] as const;
export type Area = (typeof AREAS)[number];

/** Promotion stages, in order; also the target environments of change.yaml. */
export const STAGES = ["development", "integration", "qa", "preproduction", "production"] as const;
export type Stage = (typeof STAGES)[number];
export type Environment = Stage;

export const RISK_CLASSES = ["low", "medium", "high"] as const;
export type RiskClass = (typeof RISK_CLASSES)[number];

/** Validation gates; the first five are change.yaml's `validation` names. */
export const GATE_NAMES = [
  "mrp-run",
  "inventory-reservation",
  "procurement-rules",
  "accounting-posting",
  "interface-health",
  "smoke-tests",
] as const;
export type GateName = (typeof GATE_NAMES)[number];

/** Gates a new change must pass before production unless the requester chooses others. */
export const DEFAULT_VALIDATION: readonly GateName[] = [
  "mrp-run",
  "inventory-reservation",
  "procurement-rules",
  "accounting-posting",
  "interface-health",
];

export const GATE_RESULTS = ["pass", "fail", "waived"] as const;
export type GateResult = (typeof GATE_RESULTS)[number];
