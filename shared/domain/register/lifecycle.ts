import { AppError } from "../../errors/app-error";
import type { ProductionReadiness } from "./record-shapes";
import type { ChangeStatus, ChangeType, Environment } from "./vocabulary";

// The lifecycle of a normal change. Standard and emergency changes differ only where the tables below say.
const NORMAL: Readonly<Record<ChangeStatus, readonly ChangeStatus[]>> = {
  draft: ["submitted", "cancelled"],
  // Back to draft: the CAB returns it for rework without rejecting it.
  submitted: ["assessed", "draft", "rejected", "cancelled"],
  assessed: ["awaiting-approval", "draft", "rejected", "cancelled"],
  // Back to draft: withdrawn for rework (its signatures go stale with the edit); approval comes only from signatures.
  "awaiting-approval": ["approved", "rejected", "draft", "cancelled"],
  // Back to draft: withdrawn to re-schedule (a passed window, a new blackout); editing change.yaml's window changes
  // its digest, so the signatures go stale and the change is approved again only by new ones.
  approved: ["scheduled", "draft", "cancelled"],
  scheduled: ["implementing", "draft", "cancelled"],
  implementing: ["validating", "unauthorised", "failed", "rolled-back"],
  validating: ["closed", "unauthorised", "failed", "rolled-back"],
  // Never a success: a person may only undo the release or record it failed, each with a reason.
  unauthorised: ["rolled-back", "failed"],
  failed: ["rolled-back", "closed"],
  "rolled-back": ["closed"],
  // A rejected change may be reworked and submitted again; the rejection stays in its history.
  rejected: ["draft", "cancelled"],
  closed: [],
  cancelled: [],
};

// Standard changes come from a pre-approved template: once assessed they are approved without the CAB.
const STANDARD: Partial<Record<ChangeStatus, readonly ChangeStatus[]>> = {
  assessed: ["approved", "draft", "rejected", "cancelled"],
};

// Emergency changes may ask for the emergency quorum before the full assessment and go in without a slot.
const EMERGENCY: Partial<Record<ChangeStatus, readonly ChangeStatus[]>> = {
  submitted: ["assessed", "awaiting-approval", "draft", "rejected", "cancelled"],
  approved: ["implementing", "scheduled", "draft", "cancelled"],
};

/** Targets that must carry a reason: they end or undo work, and the audit must say why. */
export const REASON_REQUIRED: readonly ChangeStatus[] = ["draft", "rejected", "cancelled", "failed", "rolled-back"];

/** States in which the change's fields may still be edited (change.yaml is frozen once approved). */
export const EDITABLE: readonly ChangeStatus[] = ["draft", "submitted", "assessed", "rejected"];

/** States a change may be tombstoned in: nothing was approved or done yet. */
export const DELETABLE: readonly ChangeStatus[] = ["draft", "rejected", "cancelled"];

/** States that end the lifecycle. */
export const TERMINAL: readonly ChangeStatus[] = ["closed", "cancelled"];

/**
 * How a change reaches a state that no call may set by hand, or null for a move a person makes. "The CAB agreed" is
 * derived from signed decisions and the policy; "implementing" from a signed release commit; a successful close
 * from the post-release validation of that release.
 */
export function derivedBy(type: ChangeType, from: ChangeStatus, to: ChangeStatus): string | null {
  switch (to) {
    case "approved":
      return type === "standard"
        ? "its standard-change template's pre-approval"
        : "signed approvals that meet the policy's quorum (Approvals, or the CAB meeting)";
    case "rejected":
      return "a signed rejection that leaves the quorum impossible to meet (Approvals, the CAB meeting, or Sync)";
    case "implementing":
      return "a signed release commit (GitOps → Release)";
    case "validating":
      return "its release commit reaching the GitOps repository (followed automatically)";
    case "closed":
      return from === "validating" ? "the post-release validation of an authorised release (automatic)" : null;
    case "unauthorised":
      return "a followed release commit that `gitops verify` finds unapproved, or drift from what was approved (automatic)";
    default:
      return null;
  }
}

/** The moves a person may make by hand from `from`: the lifecycle's moves less the derived ones. */
export function manualTransitions(type: ChangeType, from: ChangeStatus): readonly ChangeStatus[] {
  return allowedTransitions(type, from).filter((to) => derivedBy(type, from, to) === null);
}

/** The states a change of this type may move to from `from`. */
export function allowedTransitions(type: ChangeType, from: ChangeStatus): readonly ChangeStatus[] {
  const table = type === "standard" ? STANDARD : type === "emergency" ? EMERGENCY : {};
  return table[from] ?? NORMAL[from];
}

/** What the lifecycle needs to know about a change to judge a transition. */
export interface LifecycleView {
  readonly type: ChangeType;
  readonly status: ChangeStatus;
  readonly environment: Environment;
  readonly hasRiskAssessment: boolean;
  readonly hasWindow: boolean;
  /** Pre-production readiness (see gates.ts); judged when production approval is requested. */
  readonly productionReadiness: ProductionReadiness;
}

/** Who asks for a move: a person (any door), or a capability acting on the evidence that derives the state. */
export type TransitionSource = "person" | "evidence";

/**
 * Throws the AppError that refuses moving `change` to `to`, or returns when the move is allowed.
 * The message names the current state and what is allowed from it.
 */
export function assertTransition(
  change: LifecycleView,
  to: ChangeStatus,
  reason: string | undefined,
  source: TransitionSource = "person",
): void {
  const allowed = allowedTransitions(change.type, change.status);
  const derived = allowed.includes(to) ? derivedBy(change.type, change.status, to) : null;
  if (derived !== null && source === "person") {
    const manual = manualTransitions(change.type, change.status);
    throw new AppError(
      "forbidden",
      `No one can make a change ${to} by hand: it becomes ${to} only through ${derived}.`,
      { reason: "derived-state", from: change.status, to, allowed: [...manual] },
    );
  }
  if (!allowed.includes(to)) {
    const targets = allowed.length > 0 ? allowed.join(", ") : "nothing (it is final)";
    throw new AppError(
      "illegal-transition",
      `A ${change.type} change that is ${change.status} cannot become ${to}; from ${change.status} it can become: ${targets}.`,
      { from: change.status, to, allowed: [...allowed] },
    );
  }
  if (REASON_REQUIRED.includes(to) && !reason) {
    throw new AppError("invalid-input", `Moving a change to ${to} needs a reason.`, {
      issues: [{ path: "reason", message: "required" }],
    });
  }
  if (to === "assessed" && !change.hasRiskAssessment) {
    throw new AppError(
      "illegal-transition",
      `The change cannot become assessed before its risk assessment is recorded (it is ${change.status}).`,
      { from: change.status, to, allowed: [...allowed], missing: "risk-assessment" },
    );
  }
  if (to === "scheduled" && !change.hasWindow) {
    throw new AppError("illegal-transition", "The change cannot be scheduled without a planned window.", {
      from: change.status,
      to,
      allowed: [...allowed],
      missing: "window",
    });
  }
  if (requestsProductionApproval(change, to, source) && !change.productionReadiness.ready) {
    const list = change.productionReadiness.blockers.map((b) => `${b.gate} (${b.state})`).join(", ");
    throw new AppError(
      "gate-failed",
      `Production approval cannot be requested while pre-production gates are not passed or waived by a change manager: ${list}.`,
      { blockers: change.productionReadiness.blockers.map((b) => ({ ...b })) },
    );
  }
}

// Emergency changes are exempt: their approval is the emergency quorum and the retrospective review.
// A normal change moved to awaiting approval on evidence is exempt too (issue #17): that is sync taking a change the
// repository's approvers already approved through the step its own laptop missed. Nobody is asking; the approvers
// decided over the gate records they saw, and `gitops verify` (gate-missing) still judges any release of it.
function requestsProductionApproval(change: LifecycleView, to: ChangeStatus, source: TransitionSource): boolean {
  if (change.environment !== "production" || change.type === "emergency") return false;
  if (change.type === "standard") return to === "approved";
  return to === "awaiting-approval" && source === "person";
}
