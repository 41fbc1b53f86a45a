import { z } from "zod";
import { GATE_NAMES, type GateName, RISK_CLASSES, type RiskClass, STAGES, type Stage } from "../register/vocabulary";

// Which gates a change must pass before promotion out of each stage (policy.yaml `gates:`, docs/gitops-repo.md):
// the policy's, never the change's. A change's own `validation` list only adds gates.

export const MEASUREMENT_OPS = ["<=", "<", ">=", ">", "=="] as const;
type MeasurementOp = (typeof MEASUREMENT_OPS)[number];

const measurementRule = z
  .object({
    name: z.string().regex(/^[a-z][a-z0-9-]{0,63}$/, "a measurement name like duration-s"),
    unit: z.string().min(1).max(20).optional(),
    op: z.enum(MEASUREMENT_OPS),
    value: z.union([z.number(), z.string().min(1).max(100)]),
    // false: the target is checked when the value is given, but a pass may come without it.
    required: z.boolean().default(true),
  })
  .strict();

const gateRuleSchema = z
  .object({
    gate: z.enum(GATE_NAMES),
    // Only for changes of these risk classes (absent: every class).
    risks: z.array(z.enum(RISK_CLASSES)).min(1).optional(),
    // Roles that may record it; absent: whoever policy `actions: gate.record` allows.
    recorders: z.array(z.string().min(1)).min(1).optional(),
    // Roles whose signed waiver lets a change past it.
    waivers: z.array(z.string().min(1)).min(1).default(["change-manager"]),
    evidence: z
      .object({
        // Each measurement a pass must carry, with the target it must meet (an automated check is one: op "==" pass).
        measurements: z.array(measurementRule).default([]),
        // A pass needs at least one evidence file (its hash is in the signed record).
        file: z.boolean().default(false),
      })
      .strict()
      .default({ measurements: [], file: false }),
  })
  .strict();

export const gatePolicySchema = z.partialRecord(z.enum(STAGES), z.array(gateRuleSchema));

export type GateRule = z.infer<typeof gateRuleSchema>;
/** Per stage, the gates required before promotion out of it. */
export type GatePolicy = z.infer<typeof gatePolicySchema>;

/** The gates every change passes when the policy names none: the five manufacturing checks before the protected stages. */
export const DEFAULT_GATE_NAMES: readonly GateName[] = [
  "mrp-run",
  "inventory-reservation",
  "procurement-rules",
  "accounting-posting",
  "interface-health",
];

const defaultRule = (gate: GateName): GateRule => ({
  gate,
  waivers: ["change-manager"],
  evidence: { measurements: [], file: false },
});

/** The built-in gates (a policy without `gates:`): the manufacturing checks in qa and in pre-production. */
export const DEFAULT_GATE_POLICY: GatePolicy = {
  qa: DEFAULT_GATE_NAMES.map(defaultRule),
  preproduction: DEFAULT_GATE_NAMES.map(defaultRule),
};

/** What deciding a change's gates needs of the change. */
export interface GatedChange {
  readonly risk: RiskClass | null;
  /** Gates the change adds of its own (change.yaml `validation`): extra, never fewer. */
  readonly validation: readonly GateName[];
}

/** The gates required before promotion out of `stage`: the policy's for the change's risk, plus the change's extras. */
export function requiredGates(policy: GatePolicy, stage: Stage, change: GatedChange): readonly GateRule[] {
  const rules = (policy[stage] ?? []).filter((r) => !r.risks || change.risk === null || r.risks.includes(change.risk));
  const named = new Set(rules.map((r) => r.gate));
  return [...rules, ...change.validation.filter((g) => !named.has(g)).map(defaultRule)];
}

/** The rule for one gate at one stage (a gate policy does not name is held to the default waivers). */
export function ruleFor(policy: GatePolicy, stage: Stage, gate: GateName, change: GatedChange): GateRule {
  return requiredGates(policy, stage, change).find((r) => r.gate === gate) ?? defaultRule(gate);
}

/** True when `value` meets `op target`; numbers compare as numbers, anything else only by "==". */
export function meetsTarget(value: number | string, op: MeasurementOp, target: number | string): boolean {
  if (op === "==") return String(value) === String(target);
  const v = typeof value === "number" ? value : Number(value);
  const t = typeof target === "number" ? target : Number(target);
  if (!Number.isFinite(v) || !Number.isFinite(t)) return false;
  switch (op) {
    case "<=":
      return v <= t;
    case "<":
      return v < t;
    case ">=":
      return v >= t;
    case ">":
      return v > t;
  }
}

/** True when a gate recorded at `stage` is evidence for entering a protected stage (the stage itself, or the next). */
export function boundForProtected(stage: Stage, protectedEnvironments: readonly string[]): boolean {
  const next = STAGES[STAGES.indexOf(stage) + 1];
  return protectedEnvironments.includes(stage) || (next !== undefined && protectedEnvironments.includes(next));
}
