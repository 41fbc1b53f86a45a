import { z } from "zod";
import { STAGES } from "../register/vocabulary";

/**
 * policy.yaml `smoke:` (docs/gitops-repo.md): where Odoo smoke transactions may write, and what they write with.
 * Absent, every environment gets the read-only set: writing into a business system is a decision the plant makes in
 * its policy, never a default, and production is written only if the policy names it.
 */
export const smokePolicySchema = z
  .object({
    /** Environments whose Odoo the smoke transactions may write to (a dedicated test company there). */
    writes: z.array(z.enum(STAGES)).default([]),
    /** The test customer's name (res.partner) the sale order is made out to. */
    customer: z.string().min(1).max(200).default("Shiftgate Smoke Customer"),
    /** The internal reference (product.product default_code) of a product manufactured to order. */
    product: z.string().min(1).max(200).default("SHIFTGATE-SMOKE"),
    /** Read-only set: at least one sale order must have been dated within this many hours... */
    recentOrdersHours: z
      .number()
      .int()
      .min(1)
      .max(24 * 31)
      .default(24),
    /** ...in these environments, where real orders flow (a quiet test system has none). */
    ordersFlowIn: z.array(z.enum(STAGES)).default(["production"]),
  })
  .strict();

export type SmokePolicy = z.output<typeof smokePolicySchema>;

/** The smoke policy a repository without `smoke:` has: read-only everywhere. */
export const DEFAULT_SMOKE_POLICY: SmokePolicy = smokePolicySchema.parse({});
