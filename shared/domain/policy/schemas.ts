import { z } from "zod";
import { AREAS, CHANGE_TYPES, RISK_CLASSES, STAGES } from "../register/vocabulary";
import { gatePolicySchema } from "./gate-rules";
import { odooPolicySchema } from "./odoo-checks";
import { ACTIONS } from "./permissions";
import { riskPolicySchema, rollbackPolicySchema } from "./risk-policy";
import { smokePolicySchema } from "./smoke-policy";

// The GitOps repository's file formats (docs/gitops-repo.md), validated at the edge so the rules below
// can trust their input. Timestamps stay strings with their offsets: the zone is part of the record (11.50).

// No slashes: e-mails name files (approvals/<email>--<scope>.yaml, keys/<email>.asc).
const email = z.string().regex(/^[^\s@<>/\\]+@[^\s@<>/\\]+$/, "an e-mail address");
const instant = z.iso.datetime({ offset: true });
const changeId = z.string().regex(/^CHG-\d{4}-\d{4,}$/, "a change id like CHG-2026-0042");

// The change vocabulary is the register's: one list of types, areas, environments and risk classes.
export { AREAS, CHANGE_TYPES } from "../register/vocabulary";
export const RISKS = RISK_CLASSES;
const ENVIRONMENTS = STAGES;
export const SCOPES = ["deploy", "db-migration"] as const;
const DECISIONS = ["approved", "rejected"] as const;

/** The roles Shiftgate knows; a policy may declare more under `roles:`. */
export const KNOWN_ROLES = [
  "developer",
  "release-manager",
  "plant-ops-leader",
  "it-manager",
  "cab-member",
  "change-manager",
  "dba",
  "policy-admin",
  "auditor",
] as const;

const approvalRuleSchema = z
  .object({ role: z.string().min(1), count: z.number().int().min(1), perPlant: z.boolean().default(false) })
  .strict();

const personSchema = z
  .object({
    email,
    name: z.string().min(1),
    roles: z.array(z.string().min(1)).default([]),
    plants: z.array(z.string().min(1)).default([]),
  })
  .strict();

// A plant id is a slug: it names the calendar file (.shiftgate/calendars/<id>.ics) and change.yaml's `plants`.
const plantId = z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, "a plant id: lowercase letters, digits and dashes");

const argoPattern = z.string().min(1).max(253);
const argoScopeSchema = z
  .object({
    applications: z.array(argoPattern).max(100).optional(),
    namespaces: z.array(argoPattern).max(100).optional(),
    clusters: z.array(argoPattern).max(100).optional(),
    // enforced: maintenance is written as allow windows (Argo then syncs only inside one, and the register refuses a
    // window outside maintenance); advisory: only blackouts are written and outside-maintenance stays a warning.
    maintenance: z.enum(["enforced", "advisory"]).default("enforced"),
  })
  .strict()
  .refine(
    (s) => (s.applications?.length ?? 0) + (s.namespaces?.length ?? 0) + (s.clusters?.length ?? 0) > 0,
    "name at least one Argo CD application, namespace or cluster",
  );

/** A plant the policy names: changes, calendars and people refer to it by id; screens show its name. */
const plantSchema = z
  .object({
    id: plantId,
    name: z.string().min(1).max(100),
    // Only needed where the plant's calendar does not carry a zone (an .ics without X-WR-TIMEZONE/VTIMEZONE).
    timeZone: z.string().min(1).max(64).optional(),
    // The Argo CD applications, namespaces and clusters serving the plant: its sync windows carry these selectors
    // (docs/gitops-repo.md); without them the plant's calendar is not written as sync windows.
    argocd: argoScopeSchema.optional(),
  })
  .strict();

const durationText = z.string().regex(/^\d+(ms|s|m|h|d)$/, "a duration like 48h");

export const policySchema = z
  .object({
    version: z.literal(1),
    signing: z.object({ format: z.enum(["ssh", "openpgp"]).default("ssh") }).default({ format: "ssh" }),
    roles: z.array(z.string().min(1)).default([]),
    // Optional so a policy written before plants were listed still parses; the register then knows the plants
    // its calendar holds (docs/gitops-repo.md), and `policy check` asks for the list.
    plants: z
      .array(plantSchema)
      .refine((ps) => new Set(ps.map((p) => p.id)).size === ps.length, "plant ids must not repeat")
      .optional(),
    people: z.array(personSchema).default([]),
    environments: z
      .record(
        z.string(),
        z
          .object({
            paths: z.array(z.string().min(1)).default([]),
            protected: z.boolean().default(false),
            // A Helm-based environment: the values file a release pins image.tag and image.digest in.
            helmValues: z.string().min(1).optional(),
          })
          .strict(),
      )
      .default({}),
    approvals: z
      .object({
        low: z.array(approvalRuleSchema).default([]),
        medium: z.array(approvalRuleSchema).default([]),
        high: z.array(approvalRuleSchema).default([]),
        emergency: z.array(approvalRuleSchema).default([]),
        dbMigration: z.array(approvalRuleSchema).default([]),
      })
      .strict(),
    // The gates required before promotion out of each stage (gate-rules.ts); absent: the built-in default.
    gates: gatePolicySchema.optional(),
    // Who may take each action (permissions.ts); an action not named here takes its default.
    actions: z.partialRecord(z.enum(ACTIONS), z.array(z.string().min(1)).min(1)).default({}),
    segregation: z
      .object({
        requesterMayApprove: z.boolean().default(false),
        implementerMayApprove: z.boolean().default(false),
        dbApproverMayApproveDeploy: z.boolean().default(false),
        // One person cannot log, approve and review the same emergency (the logger signs exception.yaml).
        emergencyLoggerMayApprove: z.boolean().default(false),
        emergencyLoggerMayReview: z.boolean().default(false),
        conflictingRoles: z.array(z.tuple([z.string().min(1), z.string().min(1)])).default([]),
      })
      .strict()
      .default({
        requesterMayApprove: false,
        implementerMayApprove: false,
        dbApproverMayApproveDeploy: false,
        emergencyLoggerMayApprove: false,
        emergencyLoggerMayReview: false,
        conflictingRoles: [],
      }),
    emergency: z
      .object({
        reviewWithin: durationText.default("48h"),
        reviewerRoles: z.array(z.string().min(1)).default(["cab-member", "change-manager"]),
        // Not in the spec's example: who may log an exception ("an it-manager, or the role policy names").
        exceptionRoles: z.array(z.string().min(1)).default(["it-manager"]),
      })
      .strict()
      .default({
        reviewWithin: "48h",
        reviewerRoles: ["cab-member", "change-manager"],
        exceptionRoles: ["it-manager"],
      }),
    // Risk weights, thresholds and the floors facts set; rollback readiness (risk-policy.ts).
    risk: riskPolicySchema.optional(),
    rollback: rollbackPolicySchema.optional(),
    // Where Odoo smoke transactions may write (smoke-policy.ts); absent: read-only everywhere.
    smoke: smokePolicySchema.optional(),
    // Gate checks measured on each environment's Odoo (odoo-checks.ts); absent: the built-in presets.
    odoo: odooPolicySchema.optional(),
  })
  .strict();

const personRef = z.object({ name: z.string().min(1), email }).strict();
const signerRef = z.object({ name: z.string().min(1), email, role: z.string().min(1) }).strict();
const interval = z.object({ start: instant, end: instant }).strict();
const sha256 = z.string().regex(/^sha256:[0-9a-f]{64}$/, "sha256:<64 hex digits>");
// The image the approvals cover (docs/gitops-repo.md): a release of another image is artifact-mismatch.
const artifact = z
  .object({
    image: z.string().min(1).max(300),
    tag: z
      .string()
      .regex(/^\w[\w.-]{0,127}$/, "an image tag")
      .optional(),
    digest: sha256.optional(),
  })
  .strict()
  .refine((a) => a.tag !== undefined || a.digest !== undefined, "name a tag or a digest");

export const changeSchema = z
  .object({
    id: changeId,
    title: z.string().min(1),
    type: z.enum(CHANGE_TYPES),
    risk: z.enum(RISKS),
    area: z.enum(AREAS),
    environment: z.enum(ENVIRONMENTS),
    plants: z.array(z.string().min(1)).default([]),
    requester: personRef,
    // The person the change was raised for, when its creator (the requester) named someone else: held to the
    // requester's segregation rule too.
    onBehalfOf: personRef.optional(),
    implementer: personRef,
    window: interval,
    dbMigration: z.boolean().default(false),
    rollback: z.string().default(""),
    validation: z.array(z.string()).default([]),
    artifact: artifact.optional(),
    /** The standard-change template a standard change is raised from (.shiftgate/standard-changes/<id>.yaml). */
    template: z
      .string()
      .regex(/^[a-z][a-z0-9-]{0,63}$/, "a template id")
      .optional(),
  })
  .strict();

/**
 * A change.yaml as its requester submits it from the register: risk, implementer and window may still be open
 * (assessment and planning come after submission). Approval and release still need the full change.
 */
export const submittedChangeSchema = changeSchema.extend({
  risk: z.enum(RISKS).optional(),
  implementer: personRef.optional(),
  window: interval.optional(),
});

export const approvalSchema = z
  .object({
    change: changeId,
    scope: z.enum(SCOPES),
    decision: z.enum(DECISIONS),
    meaning: z.string().min(1),
    signer: signerRef,
    signedAt: instant,
    changeDigest: sha256,
    /** SHA-256 of the gate records the signer saw (canonical form): a record added or changed later leaves it stale. */
    gates: sha256.optional(),
  })
  .strict();

export const exceptionSchema = z
  .object({
    change: changeId,
    justification: z.string().min(1),
    incident: z.string().default(""),
    breakGlass: interval,
    loggedBy: signerRef,
    loggedAt: instant,
  })
  .strict();

export const reviewSchema = z
  .object({
    change: changeId,
    outcome: z.enum(["accepted", "follow-up-required"]),
    notes: z.string().default(""),
    reviewer: signerRef,
    reviewedAt: instant,
  })
  .strict();

export type Policy = z.infer<typeof policySchema>;
export type PolicyPerson = Policy["people"][number];
export type ChangeDoc = z.infer<typeof changeSchema>;
export type SubmittedChangeDoc = z.infer<typeof submittedChangeSchema>;
export type ApprovalDoc = z.infer<typeof approvalSchema>;
export type ExceptionDoc = z.infer<typeof exceptionSchema>;
export type ReviewDoc = z.infer<typeof reviewSchema>;
export type Risk = (typeof RISKS)[number];
export type Scope = (typeof SCOPES)[number];
