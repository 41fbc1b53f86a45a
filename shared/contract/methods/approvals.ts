import { z } from "zod";
import type { SignatureManifest } from "../../domain/register/record-shapes";
import type { ChangeStatus } from "../../domain/register/vocabulary";
import { AREAS, STAGES } from "../../domain/register/vocabulary";
import { BOUNDS, boundedInstant, boundedText, filePath, multilineText, passphraseText, rangeCheck } from "../bounds";
import { method } from "../define";
import type { ChangeArtifact, ChangeSummary, Gate, GateEvidenceRef, ProductionReadiness } from "./register";

// ---------- output types ----------

export type { SignatureManifest } from "../../domain/register/record-shapes";

export type ApprovalScope = "deploy" | "db-migration";
export type ApprovalDecision = "approved" | "rejected";
export type ReviewOutcome = "accepted" | "follow-up-required";

/** Who this laptop's signing key says the user is, and what policy lets them do. */
export interface Identity {
  /** True when a key is selected, maps to a person in policy.yaml and has signed in this run of the core. */
  readonly known: boolean;
  /** The SSH key file, or `openpgp:<fingerprint>`. */
  readonly keyFile: string | null;
  readonly format: "ssh" | "openpgp" | null;
  /** "SHA256:…" of the key, as ssh-keygen prints it. */
  readonly fingerprint: string | null;
  readonly email: string | null;
  readonly name: string | null;
  readonly roles: readonly string[];
  readonly plants: readonly string[];
  /** Where policy and signers come from: the configured GitOps repository or the built-in demo. */
  readonly source: "gitops" | "demo";
  /** Why the key does not map to a person (not in allowed_signers, not in policy.yaml...); null when known. */
  readonly problem: string | null;
  /** What this person may do, in words ("approve medium changes as plant-ops-leader for berlin"). */
  readonly abilities: readonly string[];
  readonly mayLogExceptions: boolean;
  readonly mayReviewExceptions: boolean;
}

/** A person as the policy in force lists them (policy.yaml, or the demo policy when no repository is configured). */
interface PolicyPersonView {
  readonly email: string;
  readonly name: string;
  readonly roles: readonly string[];
  readonly plants: readonly string[];
}

/** One demo person's signing key (demo only: unencrypted keys in the data folder). */
export interface DemoKey {
  readonly email: string;
  readonly name: string;
  readonly roles: readonly string[];
  readonly plants: readonly string[];
  readonly keyFile: string;
  readonly fingerprint: string;
}

/** One approval or rejection, as recorded. */
export interface ApprovalRecord {
  readonly id: string;
  readonly changeId: string;
  readonly scope: ApprovalScope;
  readonly decision: ApprovalDecision;
  readonly signature: SignatureManifest;
  /** sha256:<hex> of change.yaml as it was approved (11.70). */
  readonly changeDigest: string;
  /** False when the change was revised after this decision: it was for other content. */
  readonly current: boolean;
  /** Why it does not count toward the quorum (stale, SoD...), or null. */
  readonly issue: string | null;
  readonly keyFingerprint: string;
  /** The signed GitOps commit, when a repository is configured. */
  readonly commit: string | null;
}

/** What a scope of a change still needs, in words ("the Chicago plant-ops-leader"). */
interface QuorumNeed {
  readonly scope: ApprovalScope;
  readonly role: string;
  readonly plant: string | null;
  readonly needed: number;
  readonly have: number;
  readonly text: string;
}

export interface QuorumView {
  readonly required: boolean;
  readonly met: boolean;
  /** "approved", "needs 1 more cab-member and the Chicago plant-ops-leader", "rejected by …". */
  readonly summary: string;
  readonly missing: readonly QuorumNeed[];
  readonly rejectedBy: readonly string[];
  readonly issues: readonly string[];
}

/** May I decide this scope of this change; why not. */
export interface ScopePreview {
  readonly scope: ApprovalScope;
  /** False when this change needs no approval of this scope (e.g. no db migration). */
  readonly needed: boolean;
  readonly allowed: boolean;
  /** "You cannot approve: you are the requester"; empty when allowed. */
  readonly message: string;
  readonly roles: readonly string[];
  readonly myDecision: ApprovalDecision | null;
}

/** Everything the approval dialog shows (calendar conflicts come from the calendar capability's `calendar.check`). */
/** One reason behind the risk score: a question, the answer the register holds, and the points it added. */
export interface RiskReason {
  readonly question: string;
  readonly answer: string;
  readonly points: number;
}

/** An evidence file a gate or the change rests on, and whether this laptop holds its content. */
export interface DecisionEvidence {
  readonly filename: string;
  readonly sha256: string;
  readonly size: number;
  /** The gate record it belongs to, or null for evidence of the change as a whole. */
  readonly gateId: string | null;
  readonly location: GateEvidenceRef["location"];
}

/** A plant of the change with the zone its window is read in there. */
export interface PlantZone {
  readonly plant: string;
  readonly name: string;
  readonly timeZone: string;
}

/** What a signer must see before signing, beside the quorum: the change itself, in one answer. */
export interface DecisionView {
  /** The number people use: the CHG number once assigned, else the provisional draft number. */
  readonly number: string;
  readonly description: string;
  readonly rollbackPlan: string;
  /** The pre-deployment snapshot or backup reference, and the release's rollback checkpoint, when recorded. */
  readonly snapshotRef: string | null;
  readonly checkpointRef: string | null;
  /** The image the approvals cover (change.yaml's artifact), when the change names one. */
  readonly artifact: ChangeArtifact | null;
  readonly risk: {
    readonly score: number;
    readonly assessedBy: string;
    readonly assessedAt: string;
    readonly reasons: readonly RiskReason[];
  } | null;
  readonly evidence: readonly DecisionEvidence[];
  readonly plantZones: readonly PlantZone[];
}

export interface ApprovalPreview {
  readonly change: ChangeSummary;
  readonly digest: string;
  /** sha256:<hex> of the gate records on screen: the signature covers them (a later record leaves it stale). */
  readonly gatesDigest: string;
  readonly dbMigration: boolean;
  /** Null when the change can be decided now; else why not (wrong state, no identity). */
  readonly blocked: string | null;
  readonly scopes: readonly ScopePreview[];
  readonly quorum: QuorumView;
  readonly approvals: readonly ApprovalRecord[];
  readonly gates: readonly Gate[];
  readonly productionReadiness: ProductionReadiness;
  readonly exception: ExceptionRecord | null;
  /** The quorum is met (e.g. by decisions pulled from the repository) but the change still awaits approval. */
  readonly settleable: boolean;
  readonly decision: DecisionView;
}

export interface InboxItem {
  readonly change: ChangeSummary;
  /** Scopes I may still decide for the current revision. */
  readonly scopes: readonly ApprovalScope[];
  readonly quorumSummary: string;
}

export interface DecideResult {
  readonly approval: ApprovalRecord;
  readonly quorum: QuorumView;
  readonly status: ChangeStatus;
}

/** A change moved to approved on decisions already made. */
export interface SettleResult extends QuorumView {
  readonly status: ChangeStatus;
}

interface ReviewRecord {
  readonly outcome: ReviewOutcome;
  readonly notes: string;
  readonly signature: SignatureManifest;
  readonly commit: string | null;
}

/** An emergency exception with its retrospective review. */
export interface ExceptionRecord {
  readonly id: string;
  readonly change: ChangeSummary;
  readonly justification: string;
  readonly incident: string;
  readonly plants: readonly string[];
  readonly breakGlass: { readonly start: string; readonly end: string };
  readonly actions: string;
  readonly loggedBy: SignatureManifest;
  /** When the retrospective review is due: break-glass end + policy emergency.reviewWithin. */
  readonly reviewDueAt: string;
  /** No review yet and the due time has passed (by the core's clock). */
  readonly overdue: boolean;
  readonly review: ReviewRecord | null;
  readonly commit: string | null;
}

/** An exception as the exceptions register lists it for the selected key holder. */
export interface ExceptionListItem extends ExceptionRecord {
  /** Why the selected key holder may not sign its retrospective review (null when they may, or it is reviewed). */
  readonly reviewRefusal: string | null;
}

/** An overdue retrospective review, for the home screen and the desktop notification. */
export interface OverdueReview {
  readonly changeId: string;
  readonly title: string;
  readonly incident: string;
  readonly reviewDueAt: string;
  readonly hoursOverdue: number;
}

/** One month and plant of the emergency figures. */
export interface ExceptionMonth {
  readonly month: string;
  readonly plant: string;
  readonly changes: number;
  readonly emergencies: number;
  /** emergencies / changes, 0 when there were none. */
  readonly ratio: number;
  /** Median hours from a change's creation to its approval (quorum met), null without approvals. */
  readonly medianLeadHours: number | null;
  /** Median hours from break-glass end to the retrospective review, null without reviews. */
  readonly medianReviewHours: number | null;
}

export interface ExceptionStats {
  readonly months: readonly ExceptionMonth[];
}

/** Whether one person may sign a decision on a change now, and if not why: the CAB meeting's signer list. */
export interface SignerOption {
  readonly email: string;
  readonly allowed: boolean;
  /** Why they may not sign, in the words the core refuses with; null when they may. */
  readonly reason: string | null;
}

// ---------- input schemas ----------

const ulid = z.string().regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, "expected a ULID");
const text = boundedText;
/** A justification, account or note: may span lines. */
const note = (max: number) => multilineText(max, { required: true });
const plantId = z.string().regex(/^[a-z][a-z0-9-]{0,31}$/, "expected a plant id like berlin");
const rfc3339 = boundedInstant;
const person = z.object({ name: text(120), email: z.email().max(200) }).strict();
// Re-authentication at each signing (11.200): never stored, never audited.
const passphrase = z.string().max(1_000).default("");

export const approvalsMethods = {
  "identity.current": method<Identity>()({ input: z.object({}).strict(), mutates: false }),
  /**
   * Selects the signing key this laptop signs with; the person is whoever that key belongs to, once the key has
   * signed a fresh challenge that verifies against the policy's entry for them. `passphrase` unlocks a protected
   * key for that one signature (never stored, never audited); without it such a key is refused with details
   * `{ reason: "passphrase-needed" }`.
   */
  "identity.use": method<Identity>()({
    input: z.union([
      z.object({ keyFile: filePath, passphrase: passphraseText.optional() }).strict(),
      z
        .object({
          /** A key id, fingerprint or e-mail naming a secret key in the GnuPG home. */
          openpgpKey: text(200),
          gnupgHome: filePath.optional(),
          passphrase: passphraseText.optional(),
        })
        .strict(),
    ]),
    mutates: true,
  }),
  "identity.demoKeys": method<readonly DemoKey[]>()({ input: z.object({}).strict(), mutates: false }),
  /** The people of the policy in force, with their roles and plants (who may sit in a CAB meeting). */
  "identity.people": method<readonly PolicyPersonView[]>()({ input: z.object({}).strict(), mutates: false }),
  "approval.inbox": method<readonly InboxItem[]>()({ input: z.object({}).strict(), mutates: false }),
  "approval.preview": method<ApprovalPreview>()({ input: z.object({ changeId: ulid }).strict(), mutates: false }),
  /** Which of these people may decide the change now, and why not the others (a meeting offers only the former). */
  "approval.signers": method<readonly SignerOption[]>()({
    input: z.object({ changeId: ulid, emails: z.array(z.email().max(200)).max(50) }).strict(),
    mutates: false,
  }),
  /** Approves or rejects one scope of a change, signed with the configured key after re-authentication. */
  "approval.decide": method<DecideResult>()({
    input: z
      .object({
        changeId: ulid,
        scope: z.enum(["deploy", "db-migration"]),
        decision: z.enum(["approved", "rejected"]),
        meaning: text(500),
        passphrase,
        /** The digest the signer saw; refused when the change was revised meanwhile. */
        expectedDigest: z
          .string()
          .regex(/^sha256:[0-9a-f]{64}$/)
          .optional(),
        /** The gate records' digest the signer saw; refused when a gate was recorded meanwhile. */
        expectedGatesDigest: z
          .string()
          .regex(/^sha256:[0-9a-f]{64}$/)
          .optional(),
      })
      .strict(),
    mutates: true,
  }),
  /** Records that a change's quorum is met when the decisions came from other laptops (nothing new is signed). */
  "approval.settle": method<SettleResult>()({
    input: z.object({ changeId: ulid }).strict(),
    mutates: true,
  }),
  /** Logs an emergency change and its exception (IT manager), signed like an approval. */
  "exception.log": method<ExceptionRecord>()({
    input: z
      .object({
        title: text(200),
        area: z.enum(AREAS),
        environment: z.enum(STAGES).default("production"),
        plants: z
          .array(plantId)
          .min(1)
          .max(20)
          .refine((p) => new Set(p).size === p.length, { message: "plants must not repeat" }),
        /** Who raised the fix: a person in the policy (the logger only when they raised it themselves). */
        requester: person,
        implementer: person.nullable().default(null),
        justification: note(5_000),
        incident: text(200),
        breakGlass: z
          .object({ start: rfc3339, end: rfc3339 })
          .strict()
          .superRefine(rangeCheck("start", "end", BOUNDS.changeWindowDays, "the break-glass window")),
        actions: note(10_000),
        meaning: text(500).default("Emergency change logged under break-glass"),
        passphrase,
      })
      .strict(),
    mutates: true,
  }),
  "exception.review": method<ExceptionRecord>()({
    input: z
      .object({
        changeId: ulid,
        outcome: z.enum(["accepted", "follow-up-required"]),
        notes: multilineText(10_000).default(""),
        meaning: text(500).default("Retrospective review of an emergency change"),
        passphrase,
      })
      .strict(),
    mutates: true,
  }),
  "exception.list": method<readonly ExceptionListItem[]>()({
    input: z.object({ overdueOnly: z.boolean().default(false) }).strict(),
    mutates: false,
  }),
  /** Overdue retrospective reviews: the home screen and the desktop notification read this. */
  "exception.overdue": method<readonly OverdueReview[]>()({ input: z.object({}).strict(), mutates: false }),
  "exception.stats": method<ExceptionStats>()({
    input: z.object({ months: z.number().int().min(1).max(36).default(12) }).strict(),
    mutates: false,
  }),
} as const;

export type ApprovalsMethodName = keyof typeof approvalsMethods;
