import { z } from "zod";
import { GATE_NAMES, STAGES } from "../register/vocabulary";
import { MEASUREMENT_OPS } from "./gate-rules";
import { ODOO_PRESETS } from "./odoo-presets";

// Gate checks as data (policy.yaml `odoo:`, docs/gitops-repo.md): each check is one query on the environment's own
// Odoo, measured against a threshold, feeding one gate. The five manufacturing gates have built-in presets
// (odoo-presets.ts); a plant overrides a preset by naming its id (only the fields it changes), switches one off with
// `enabled: false`, and adds its own with a new id.

const ODOO_MEASURES = ["count", "sum", "abs-sum", "max", "min", "age-hours"] as const;

const DOMAIN_OPS = ["=", "!=", "<", "<=", ">", ">=", "in", "not in", "like", "ilike", "not ilike"] as const;

/**
 * A value in a domain may be a placeholder the run fills in: `$now`, `$now-24h`, `$now-7d` (Odoo datetimes, UTC),
 * `$today`, `$today-30d`, `$month-start` (dates), `$lock-date` (the companies' fiscal-year lock date) and
 * `$ref:<module>.<xml id>` (the id of a record by its XML id).
 */
const PLACEHOLDER = /^\$(now(-\d{1,4}[hd])?|today(-\d{1,4}d)?|month-start|lock-date|ref:[a-z0-9_]+\.[a-z0-9_]+)$/;

const scalar = z.union([
  z.number(),
  z.boolean(),
  z
    .string()
    .max(200)
    .refine((s) => !s.startsWith("$") || PLACEHOLDER.test(s), "a placeholder like $now-24h, $today or $ref:stock.x"),
]);
const fieldPath = z.string().regex(/^[a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*){0,3}$/, "a field name or dotted path");
const leaf = z.tuple([fieldPath, z.enum(DOMAIN_OPS), z.union([scalar, z.array(scalar).max(50)])]);
const odooDomainSchema = z.array(z.union([z.enum(["&", "|", "!"]), leaf])).max(40);
export type OdooDomain = z.infer<typeof odooDomainSchema>;

const checkId = z.string().regex(/^[a-z][a-z0-9-]{0,63}$/, "a check id like negative-quants");

const odooCheckSchema = z
  .object({
    id: checkId,
    title: z.string().min(1).max(200),
    gate: z.enum(GATE_NAMES),
    model: z.string().regex(/^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$/, "an Odoo model like stock.move"),
    domain: odooDomainSchema.default([]),
    measure: z.enum(ODOO_MEASURES).default("count"),
    // The field a sum/max/min/age is taken of.
    field: z
      .string()
      .regex(/^[a-z_][a-z0-9_]*$/)
      .optional(),
    // Only the record with this XML id (e.g. stock.ir_cron_scheduler_action).
    ref: z
      .string()
      .regex(/^[a-z0-9_]+\.[a-z0-9_]+$/, "an XML id like stock.ir_cron_scheduler_action")
      .optional(),
    // The module the model comes from: when it is not installed, the check reports "not installed", not a failure.
    module: z
      .string()
      .regex(/^[a-z0-9_]+$/)
      .optional(),
    // The first Odoo major version with the fields the check reads; older servers report "not applicable".
    sinceVersion: z.number().int().min(10).max(99).optional(),
    threshold: z.object({ op: z.enum(MEASUREMENT_OPS), value: z.number() }).strict(),
    unit: z.string().min(1).max(20).optional(),
    // The environments it runs in (absent: all).
    environments: z.array(z.enum(STAGES)).min(1).optional(),
    enabled: z.boolean().default(true),
  })
  .strict()
  .refine((c) => c.measure === "count" || c.field !== undefined, {
    message: "a sum, max, min or age measure names its field",
    path: ["field"],
  });

export type OdooCheck = z.infer<typeof odooCheckSchema>;
export type OdooCheckInput = z.input<typeof odooCheckSchema>;

// An entry of the policy's list: a new check in full, or an override of a preset naming only what it changes.
const checkEntry = z.object({ id: checkId }).catchall(z.unknown());

export const odooPolicySchema = z
  .object({
    // false: only the policy's own checks (the presets are not run).
    presets: z.boolean().default(true),
    checks: z
      .array(checkEntry)
      .max(200)
      .default([])
      .refine((cs) => new Set(cs.map((c) => c.id)).size === cs.length, "check ids must not repeat"),
    // Scheduled checks (runs as system:odoo on a timer in the running app); absent: none, checks run when asked.
    schedule: z
      .object({
        // At least every 5 minutes apart: a plant's Odoo is production, and these are its API user's requests.
        every: z
          .string()
          .regex(/^([5-9]|[1-9]\d+)m$|^[1-9]\d*[hd]$/, "an interval of at least 5 minutes, like 30m, 4h or 1d"),
        environments: z.array(z.enum(STAGES)).min(1).max(STAGES.length),
      })
      .strict()
      .optional(),
  })
  .strict()
  .superRefine((policy, ctx) => {
    const presets = new Map(ODOO_PRESETS.map((p) => [p.id, p]));
    policy.checks.forEach((entry, i) => {
      const base = policy.presets ? presets.get(entry.id) : undefined;
      const parsed = odooCheckSchema.safeParse(base ? { ...base, ...entry } : entry);
      if (!parsed.success) {
        for (const issue of parsed.error.issues) {
          ctx.addIssue({ code: "custom", message: issue.message, path: ["checks", i, ...issue.path] });
        }
      }
    });
  });

export type OdooPolicy = z.infer<typeof odooPolicySchema>;

/** The checks in force: the presets (unless switched off), each overridden by the policy's entry of its id, then the policy's own. */
export function effectiveOdooChecks(policy: OdooPolicy | undefined): OdooCheck[] {
  const presets = policy?.presets === false ? [] : ODOO_PRESETS;
  const entries = policy?.checks ?? [];
  const byId = new Map(entries.map((e) => [e.id, e]));
  const merged = presets.map((p) => odooCheckSchema.parse({ ...p, ...(byId.get(p.id) ?? {}) }));
  const presetIds = new Set(presets.map((p) => p.id));
  const own = entries.filter((e) => !presetIds.has(e.id)).map((e) => odooCheckSchema.parse(e));
  return [...merged, ...own].filter((c) => c.enabled);
}

/** The checks that run in an environment, for one gate or all. */
export function checksFor(checks: readonly OdooCheck[], environment: string, gate?: string): OdooCheck[] {
  return checks.filter(
    (c) =>
      (gate === undefined || c.gate === gate) &&
      (c.environments === undefined || (c.environments as readonly string[]).includes(environment)),
  );
}
