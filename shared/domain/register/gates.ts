import { AppError } from "../../errors/app-error";
import { type GatedChange, type GatePolicy, type GateRule, requiredGates } from "../policy/gate-rules";
import type { ProductionReadiness, ReadinessBlocker } from "./record-shapes";
import { type GateName, type GateResult, STAGES, type Stage } from "./vocabulary";

/** What the gate rules need of one gate record, oldest first in the lists below. */
export interface GateView {
  readonly stage: Stage;
  readonly gate: GateName;
  readonly target: string | null;
  readonly result: GateResult;
  readonly waivedByRole: string | null;
}

/**
 * Judges the required gates of one stage: each must have, for every target it was run against, a latest record
 * that passed or was waived by someone holding one of the gate's waiver roles.
 */
export function stageReadiness(
  stage: Stage,
  required: readonly GateRule[],
  records: readonly GateView[],
): ProductionReadiness {
  const blockers: ReadinessBlocker[] = [];
  for (const rule of required) {
    const latest = new Map<string, GateView>();
    for (const r of records) if (r.stage === stage && r.gate === rule.gate) latest.set(r.target ?? "", r);
    const state = gateState([...latest.values()], rule);
    if (state) blockers.push({ gate: rule.gate, state });
  }
  return { ready: blockers.length === 0, blockers };
}

/** The pre-production readiness that production approval depends on: the policy's gates, never fewer. */
export function productionReadiness(
  policy: GatePolicy,
  change: GatedChange,
  records: readonly GateView[],
): ProductionReadiness {
  return stageReadiness("preproduction", requiredGates(policy, "preproduction", change), records);
}

function gateState(latest: readonly GateView[], rule: GateRule): ReadinessBlocker["state"] | null {
  if (latest.length === 0) return "missing";
  if (latest.some((r) => r.result === "fail")) return "failed";
  if (latest.some((r) => r.result === "waived" && !rule.waivers.includes(r.waivedByRole ?? ""))) {
    return "waived-without-authority";
  }
  return null;
}

/** What promotion needs to know about a change. */
interface PromotionView {
  readonly stage: Stage;
  readonly environment: Stage;
  readonly status: string;
  readonly risk: GatedChange["risk"];
  readonly validation: readonly GateName[];
  readonly gates: readonly GateView[];
}

/**
 * Throws unless `to` is the next stage, not beyond the change's target environment, and every gate the policy
 * requires of the current stage (plus the change's own extras) passed or was validly waived. Production is entered only while implementing.
 */
export function assertPromotion(policy: GatePolicy, change: PromotionView, to: Stage): void {
  const from = STAGES.indexOf(change.stage);
  const target = STAGES.indexOf(to);
  const next = STAGES[from + 1];
  if (target !== from + 1 || next === undefined) {
    throw new AppError(
      "illegal-transition",
      `The change is at ${change.stage}; it can only be promoted to ${next ?? "nothing (it is in production)"}, not ${to}.`,
      { from: change.stage, to, allowed: next ? [next] : [] },
    );
  }
  if (target > STAGES.indexOf(change.environment)) {
    throw new AppError(
      "illegal-transition",
      `The change targets ${change.environment}; it cannot be promoted to ${to}.`,
      { from: change.stage, to, allowed: [] },
    );
  }
  if (["closed", "cancelled", "rejected", "failed", "rolled-back"].includes(change.status)) {
    throw new AppError("illegal-transition", `A ${change.status} change is not promoted any more.`, {
      from: change.stage,
      to,
      allowed: [],
    });
  }
  if (to === "production" && change.status !== "implementing") {
    throw new AppError(
      "illegal-transition",
      `A change reaches production only while implementing; it is ${change.status}.`,
      { from: change.stage, to, allowed: [] },
    );
  }
  const readiness = stageReadiness(change.stage, requiredGates(policy, change.stage, change), change.gates);
  if (!readiness.ready) {
    const list = readiness.blockers.map((b) => `${b.gate} (${b.state})`).join(", ");
    throw new AppError("gate-failed", `The ${change.stage} gates are not all passed or waived: ${list}.`, {
      blockers: readiness.blockers.map((b) => ({ ...b })),
    });
  }
}
