import { z } from "zod";
import { TEMPLATE_ID } from "../../domain/policy/standard-templates";
import {
  AREAS,
  CHANGE_STATUSES,
  CHANGE_TYPES,
  GATE_NAMES,
  GATE_RESULTS,
  RISK_CLASSES,
  STAGES,
} from "../../domain/register/vocabulary";
import { BOUNDS, boundedText, filePath, MAX_EVIDENCE_BASE64, multilineText, timeRange } from "../bounds";
import { method } from "../define";
import type {
  AuditEvent,
  AuditVerifyResult,
  ChangeDetail,
  ChangeSummary,
  Comment,
  Evidence,
  EvidenceContent,
  Gate,
  ListPage,
  RegisterExport,
  RiskAssessment,
  RiskQuestionnaire,
  StandardTemplateView,
} from "./register-types";

export type * from "./register-types";

// ---------- input schemas ----------

const ulid = z.string().regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, "expected a ULID");
const text = boundedText;
/** A reason, comment or note: may span lines. */
const note = (max: number) => multilineText(max, { required: true });
const plantId = z.string().regex(/^[a-z][a-z0-9-]{0,31}$/, "expected a plant id like berlin");
const rfc3339 = z.iso.datetime({ offset: true });
/** Who acts; optional until identity comes from signing keys (the core falls back to the OS user). */
const actor = z.email().max(200).optional();

const person = z.object({ name: text(120), email: z.email().max(200) }).strict();
const window = timeRange(BOUNDS.changeWindowDays, "the window");
const links = z
  .object({
    incident: text(200).nullable().optional(),
    ticket: text(200).nullable().optional(),
    pullRequest: text(500).nullable().optional(),
  })
  .strict();

const changeFields = {
  title: text(200),
  description: multilineText(20_000),
  type: z.enum(CHANGE_TYPES),
  area: z.enum(AREAS),
  plants: z
    .array(plantId)
    .min(1)
    .max(20)
    .refine((p) => new Set(p).size === p.length, { message: "plants must not repeat" }),
  environment: z.enum(STAGES),
  requester: person,
  implementer: person.nullable(),
  window: window.nullable(),
  dbMigration: z.boolean(),
  rollbackPlan: multilineText(5_000),
  snapshotRef: text(200).nullable(),
  checkpointRef: text(200).nullable(),
  links,
  validation: z
    .array(z.enum(GATE_NAMES))
    .max(GATE_NAMES.length)
    .refine((g) => new Set(g).size === g.length, { message: "gates must not repeat" }),
  /** The catalogue template a standard change is raised from (.shiftgate/standard-changes/<id>.yaml). */
  template: z.string().regex(TEMPLATE_ID, "expected a template id like odoo-security-patch").nullable(),
};

const newChange = z
  .object({
    ...changeFields,
    description: changeFields.description.default(""),
    implementer: changeFields.implementer.default(null),
    window: changeFields.window.default(null),
    dbMigration: changeFields.dbMigration.default(false),
    rollbackPlan: changeFields.rollbackPlan.default(""),
    snapshotRef: changeFields.snapshotRef.default(null),
    checkpointRef: changeFields.checkpointRef.default(null),
    links: links.default({}),
    validation: changeFields.validation.optional(),
    template: changeFields.template.default(null),
  })
  .strict();

export const CHANGE_SORT_FIELDS = [
  "updatedAt",
  "createdAt",
  "windowStart",
  "title",
  "status",
  "risk",
  "number",
] as const;
export type ChangeSortField = (typeof CHANGE_SORT_FIELDS)[number];

const filterList = <T extends z.ZodType>(item: T) => z.array(item).max(20).optional();

const gateMeasurement = z
  .object({
    name: z.string().regex(/^[a-z][a-z0-9-]{0,63}$/, "a measurement name like duration"),
    value: z.union([z.number().finite(), text(100)]),
    unit: text(20).nullable().optional(),
  })
  .strict();
const gateEvidenceFile = z
  .object({
    filename: text(255).regex(/^[^/\\]+$/, "a file name without folders"),
    contentBase64: z.base64().max(MAX_EVIDENCE_BASE64),
  })
  .strict();
const riskAnswer = z.union([z.boolean(), z.number().int().min(0).max(10_000), z.array(text(64)).max(20)]);

export const registerMethods = {
  "change.create": method<ChangeDetail>()({
    input: newChange.extend({ actor }).strict(),
    mutates: true,
  }),
  /** Creates up to 5,000 changes in one transaction (imports, benchmarks); one audit row each. */
  "change.createMany": method<{ readonly ids: readonly string[] }>()({
    input: z.object({ changes: z.array(newChange).min(1).max(5_000), actor }).strict(),
    mutates: true,
  }),
  /** Edits fields of a change that is not yet approved; only the fields given change. */
  "change.update": method<ChangeDetail>()({
    input: z
      .object({
        id: ulid,
        expectedVersion: z.number().int().min(1).optional(),
        patch: z.object(changeFields).partial().strict(),
        reason: note(2_000).optional(),
        actor,
      })
      .strict(),
    mutates: true,
  }),
  "change.get": method<ChangeDetail>()({
    input: z.object({ id: ulid }).strict(),
    mutates: false,
  }),
  "change.list": method<ListPage<ChangeSummary>>()({
    input: z
      .object({
        status: filterList(z.enum(CHANGE_STATUSES)),
        type: filterList(z.enum(CHANGE_TYPES)),
        plant: filterList(plantId),
        area: filterList(z.enum(AREAS)),
        risk: filterList(z.enum(RISK_CLASSES)),
        environment: filterList(z.enum(STAGES)),
        /** Changes whose window overlaps [windowFrom, windowTo). */
        windowFrom: rfc3339.optional(),
        windowTo: rfc3339.optional(),
        /** Only changes without a window (the calendar's unscheduled tray). */
        unscheduled: z.boolean().optional(),
        /** Full-text search over title, description and comments (words; prefix match on the last). */
        q: text(200, { emptyOk: true }).optional(),
        sort: z
          .object({ field: z.enum(CHANGE_SORT_FIELDS), dir: z.enum(["asc", "desc"]).default("desc") })
          .strict()
          .default({ field: "updatedAt", dir: "desc" }),
        page: z.number().int().min(1).max(1_000_000).default(1),
        pageSize: z.number().int().min(1).max(500).default(50),
      })
      .strict()
      // An inverted range matches nothing: say so, rather than return an empty list that looks like "no changes".
      .refine((l) => !l.windowFrom || !l.windowTo || Date.parse(l.windowTo) > Date.parse(l.windowFrom), {
        path: ["windowTo"],
        message: "the window filter must end after it starts: swap the two days or clear one",
      }),
    mutates: false,
  }),
  /** Moves a change to another lifecycle state; refused with illegal-transition when not allowed. */
  "change.transition": method<ChangeDetail>()({
    input: z
      .object({
        id: ulid,
        to: z.enum(CHANGE_STATUSES),
        reason: note(2_000).optional(),
        expectedVersion: z.number().int().min(1).optional(),
        actor,
      })
      .strict(),
    mutates: true,
  }),
  /** Moves the change to the next promotion stage once the current stage's gates pass (or are waived). */
  "change.promote": method<ChangeDetail>()({
    input: z.object({ id: ulid, to: z.enum(STAGES), reason: note(2_000).optional(), actor }).strict(),
    mutates: true,
  }),
  /** Tombstones a draft, rejected or cancelled change: it leaves the lists, its history stays. */
  "change.delete": method<{ readonly id: string; readonly deleted: true }>()({
    input: z.object({ id: ulid, reason: note(2_000), actor }).strict(),
    mutates: true,
  }),
  "change.comment": method<Comment>()({
    input: z.object({ id: ulid, body: note(10_000), actor }).strict(),
    mutates: true,
  }),
  /** The standard-change catalogue a standard change is raised from (.shiftgate/standard-changes/ at HEAD). */
  "standard.templates": method<{ readonly templates: readonly StandardTemplateView[] }>()({
    input: z.object({}).strict(),
    mutates: false,
  }),
  "risk.questionnaire": method<RiskQuestionnaire>()({
    input: z.object({}).strict(),
    mutates: false,
  }),
  /** Scores the answers against the questionnaire and keeps them with the change. */
  "risk.assess": method<RiskAssessment>()({
    input: z.object({ changeId: ulid, answers: z.record(text(64), riskAnswer), actor }).strict(),
    mutates: true,
  }),
  /**
   * Records a gate result, signed by the caller (the proved key holder): a pass carries the measurements and
   * evidence files the policy asks for; a waiver is the caller's own, with a reason.
   */
  "gate.record": method<Gate>()({
    input: z
      .object({
        changeId: ulid,
        stage: z.enum(STAGES),
        gate: z.enum(GATE_NAMES),
        target: text(100).nullable().optional(),
        result: z.enum(GATE_RESULTS),
        reason: note(2_000).optional(),
        measurements: z.array(gateMeasurement).max(BOUNDS.gateMeasurements).optional(),
        evidence: z
          .array(gateEvidenceFile)
          .max(BOUNDS.gateEvidenceFiles)
          .refine((files) => files.reduce((n, f) => n + f.contentBase64.length, 0) <= MAX_EVIDENCE_BASE64, {
            message: `the evidence files together must be at most ${BOUNDS.evidenceBytes / 1_000_000} MB`,
          })
          .optional(),
        actor,
      })
      .strict()
      .refine((g) => g.result !== "waived" || g.reason !== undefined, {
        message: "a waiver needs a reason",
        path: ["reason"],
      })
      .refine((g) => g.result !== "fail" || g.reason !== undefined, {
        message: "a failed gate needs a reason",
        path: ["reason"],
      }),
    mutates: true,
  }),
  /**
   * Attaches a file to a change (or one of its gates). Content is stored once by SHA-256; the same
   * content attached again to the same place returns the existing evidence. `path` is read only for
   * the CLI and direct callers, never for the window or browser doors.
   */
  "evidence.attach": method<Evidence & { readonly deduplicated: boolean }>()({
    input: z
      .object({
        changeId: ulid,
        gateId: ulid.optional(),
        filename: text(255).regex(/^[^/\\]+$/, "a file name without folders"),
        mediaType: z
          .string()
          .max(100)
          .regex(/^[\w.+-]+\/[\w.+-]+$/)
          .optional(),
        contentBase64: z
          .base64()
          .max(
            MAX_EVIDENCE_BASE64,
            `the file is larger than ${BOUNDS.evidenceBytes / 1_000_000} MB; attach a smaller file or link the document from the change`,
          )
          .optional(),
        path: filePath.optional(),
        actor,
      })
      .strict()
      .refine((e) => (e.contentBase64 === undefined) !== (e.path === undefined), {
        message: "give exactly one of contentBase64 or path",
        path: ["contentBase64"],
      }),
    mutates: true,
  }),
  "evidence.read": method<EvidenceContent>()({
    input: z.object({ id: ulid }).strict(),
    mutates: false,
  }),
  /** The audit timeline, oldest first: of one entity, of one change (with its comments, gates...), or all. */
  "audit.list": method<ListPage<AuditEvent>>()({
    input: z
      .object({
        entity: text(50).optional(),
        entityId: ulid.optional(),
        changeId: ulid.optional(),
        page: z.number().int().min(1).max(1_000_000).default(1),
        pageSize: z.number().int().min(1).max(500).default(100),
      })
      .strict(),
    mutates: false,
  }),
  "audit.verify": method<AuditVerifyResult>()({
    input: z.object({}).strict(),
    mutates: false,
  }),
  "register.export": method<RegisterExport>()({
    input: z.object({ format: z.enum(["json", "csv"]) }).strict(),
    mutates: false,
  }),
} as const;

export type RegisterMethodName = keyof typeof registerMethods;
