import { z } from "zod";
import { RISK_CLASSES } from "../register/vocabulary";

// policy.yaml `risk:` and `rollback:` (docs/gitops-repo.md): the questionnaire's weights and thresholds, the minimum
// classes facts set, and what rollback readiness demands. Everything is optional: the built-in questionnaire
// (shared/domain/register/risk.ts) and no floors are the defaults, so a policy written before stays valid.

const points = z.number().int().min(0).max(100);
const riskClass = z.enum(RISK_CLASSES);

/** A question's weights: yes/no points, a count's bands, or a multi question's option weights. */
const riskWeightSchema = z.union([
  z.object({ yes: points, no: points }).strict(),
  z
    .array(z.object({ min: z.number().int().min(0), weight: points }).strict())
    .min(1)
    .max(20),
  z.record(z.string().min(1).max(64), points),
]);

/** The facts that may set a minimum risk class. */
const RISK_FLOOR_FACTS = [
  "protectedEnvironment",
  "dbMigration",
  "closePeriod",
  "productionHours",
  "multiplePlants",
] as const;
export type RiskFloorFact = (typeof RISK_FLOOR_FACTS)[number];

export const riskPolicySchema = z
  .object({
    thresholds: z.object({ medium: points, high: points }).strict().optional(),
    /** Per question id, its weights in the question's own shape (checked against the questionnaire when scored). */
    weights: z.record(z.string().min(1).max(64), riskWeightSchema).default({}),
    floors: z.partialRecord(z.enum(RISK_FLOOR_FACTS), riskClass).default({}),
  })
  .strict()
  .refine((r) => r.thresholds === undefined || r.thresholds.medium <= r.thresholds.high, {
    message: "risk.thresholds.medium must not be above risk.thresholds.high",
  });

const durationText = z.string().regex(/^\d+(m|h|d)$/, "a duration like 24h");

export const rollbackPolicySchema = z
  .object({
    /** The environments whose changes need a rollback plan before approval is requested. */
    planRequiredFor: z.array(z.string().min(1)).default(["production"]),
    /** How old a pre-deployment snapshot or backup may be when approval is requested or the release is made. */
    snapshotMaxAge: durationText.default("24h"),
  })
  .strict();

export type RiskPolicy = z.infer<typeof riskPolicySchema>;
export type RollbackPolicy = z.infer<typeof rollbackPolicySchema>;

/** The defaults a policy without `risk:` / `rollback:` stands for. */
export const DEFAULT_RISK_POLICY: RiskPolicy = { weights: {}, floors: {} };
export const DEFAULT_ROLLBACK_POLICY: RollbackPolicy = { planRequiredFor: ["production"], snapshotMaxAge: "24h" };
