import type {
  ChangeSummary,
  Person,
  ProductionReadiness,
  RiskAnswer,
  RiskBreakdownItem,
  RiskFloorApplied,
} from "../../domain/register/record-shapes";
import type { Area, ChangeStatus, GateName, GateResult, RiskClass, Stage } from "../../domain/register/vocabulary";

// The shapes the domain rules read are defined in the domain (it never imports the contract); the contract
// names them again for its callers.
export type {
  ChangeSummary,
  ChangeWindow,
  Person,
  ProductionReadiness,
  ReadinessBlocker,
  RiskAnswer,
  RiskBreakdownItem,
  RiskFloorApplied,
  RiskQuestion,
  RiskQuestionnaire,
} from "../../domain/register/record-shapes";

// The output types of the register methods (kept apart from the input schemas for size).

interface ChangeLinks {
  readonly incident: string | null;
  readonly ticket: string | null;
  readonly pullRequest: string | null;
}

export interface Comment {
  readonly id: string;
  readonly changeId: string;
  readonly author: string;
  readonly body: string;
  readonly createdAt: string;
}

export interface RiskAssessment {
  readonly changeId: string;
  readonly questionnaireVersion: number;
  readonly answers: Readonly<Record<string, RiskAnswer>>;
  readonly breakdown: readonly RiskBreakdownItem[];
  readonly score: number;
  /** The floors the facts set (empty on assessments made before floors existed). */
  readonly floors: readonly RiskFloorApplied[];
  readonly riskClass: RiskClass;
  readonly assessedBy: string;
  readonly assessedAt: string;
}

/** One template of the standard-change catalogue, as the change form offers it. */
export interface StandardTemplateView {
  readonly id: string;
  readonly title: string;
  readonly areas: readonly Area[];
  readonly plants: readonly string[];
  readonly environments: readonly Stage[];
  readonly maxRisk: RiskClass;
  readonly steps: readonly string[];
  /** The commit that last wrote the template (its pre-approval), or "demo" for the demo without a repository. */
  readonly commit: string;
}

export interface Evidence {
  readonly id: string;
  readonly changeId: string;
  readonly gateId: string | null;
  readonly filename: string;
  readonly mediaType: string;
  readonly size: number;
  readonly sha256: string;
  readonly attachedBy: string;
  readonly attachedAt: string;
}

export interface GateMeasurement {
  readonly name: string;
  readonly value: number | string;
  readonly unit: string | null;
  readonly target: { readonly op: "<=" | "<" | ">=" | ">" | "=="; readonly value: number | string } | null;
  readonly ok: boolean;
}

export interface GateEvidenceRef {
  readonly filename: string;
  readonly sha256: string;
  readonly size: number;
  readonly location: "repo" | "store" | "here" | "missing";
}

/** A gate record; the latest record per (stage, gate) is the gate's current result. */
export interface Gate {
  readonly id: string;
  readonly changeId: string;
  readonly stage: Stage;
  readonly gate: GateName;
  /** What the gate was run against, e.g. "MES" for interface health; null when not split. */
  readonly target: string | null;
  readonly result: GateResult;
  readonly reason: string | null;
  readonly waivedBy: string | null;
  readonly waivedByRole: string | null;
  readonly recordedBy: string;
  readonly recordedAt: string;
  readonly measurements: readonly GateMeasurement[];
  readonly evidence: readonly GateEvidenceRef[];
}

/** The image a change's approvals cover: change.yaml's artifact (tag for people, digest for the cluster). */
export interface ChangeArtifact {
  readonly image: string;
  readonly tag: string | null;
  readonly digest: string | null;
}

/** The change page: everything about one change except its audit timeline (audit.list). */
export interface ChangeDetail extends ChangeSummary {
  readonly description: string;
  readonly dbMigration: boolean;
  readonly rollbackPlan: string;
  readonly snapshotRef: string | null;
  readonly checkpointRef: string | null;
  readonly links: ChangeLinks;
  readonly validation: readonly GateName[];
  /** The standard-change template it is raised from (standard changes only), else null. */
  readonly template: string | null;
  readonly comments: readonly Comment[];
  readonly assessment: RiskAssessment | null;
  readonly gates: readonly Gate[];
  readonly evidence: readonly Evidence[];
  /** The person the change was raised for, when its creator (the requester) named someone else. */
  readonly onBehalfOf: Person | null;
  /** The image its approvals cover, once it is in the GitOps repository with one; else null. */
  readonly artifact: ChangeArtifact | null;
  /** The moves the caller (the proved key holder) may make by hand now (the core still judges who and when). */
  readonly allowedTransitions: readonly ChangeStatus[];
  /** The other hand moves from this state, with why the caller may not make them (the role needed). */
  readonly unavailableTransitions: readonly UnavailableTransition[];
  /** The next states that only evidence reaches, and through what: shown instead of a button. */
  readonly derivedTransitions: readonly DerivedTransition[];
  readonly productionReadiness: ProductionReadiness;
  readonly deleted: boolean;
}

export interface ListPage<T> {
  readonly items: readonly T[];
  readonly total: number;
  readonly page: number;
  readonly pageSize: number;
}

/** One audit row: who did what to which entity, chained by SHA-256 to the row before. */
export interface AuditEvent {
  readonly seq: number;
  readonly at: string;
  readonly actor: string;
  readonly door: string;
  readonly action: string;
  readonly entity: string;
  readonly entityId: string | null;
  readonly before: unknown;
  readonly after: unknown;
  readonly reason: string | null;
  readonly prevHash: string;
  readonly hash: string;
}

/** A move the caller may not make, and why (the role it needs). */
interface UnavailableTransition {
  readonly to: ChangeStatus;
  readonly reason: string;
}

/** A state no one sets by hand, and the evidence that reaches it. */
interface DerivedTransition {
  readonly to: ChangeStatus;
  readonly by: string;
}

export interface AuditVerifyResult {
  readonly ok: boolean;
  readonly events: number;
  readonly firstBadSeq: number | null;
}

export interface RegisterExport {
  readonly format: "json" | "csv";
  readonly mediaType: string;
  readonly content: string;
}

export interface EvidenceContent {
  readonly evidence: Evidence;
  readonly contentBase64: string;
}
