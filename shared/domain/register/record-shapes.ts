import type { Area, ChangeStatus, ChangeType, Environment, GateName, RiskClass, Stage } from "./vocabulary";

// Record shapes both the contract (as method results) and the domain rules use. They live here, not in the
// contract, so that shared/domain never imports shared/contract (the contract builds on the domain, not back).

/** A person as change.yaml names them. */
export interface Person {
  readonly name: string;
  readonly email: string;
}

/** A planned window; start and end keep the zone they were given in (RFC 3339). */
export interface ChangeWindow {
  readonly start: string;
  readonly end: string;
}

/** One row of the register list. */
export interface ChangeSummary {
  readonly id: string;
  /** CHG-<year>-<n>, taken at GitOps submission; null before. */
  readonly number: string | null;
  readonly title: string;
  readonly type: ChangeType;
  readonly status: ChangeStatus;
  readonly area: Area;
  readonly plants: readonly string[];
  readonly environment: Environment;
  /** The promotion stage the change has reached. */
  readonly stage: Stage;
  readonly risk: RiskClass | null;
  readonly riskScore: number | null;
  readonly requester: Person;
  readonly implementer: Person | null;
  readonly window: ChangeWindow | null;
  /** The window ended before now (the core's clock) and the work has not started: it needs re-scheduling. */
  readonly windowPassed: boolean;
  readonly createdAt: string;
  readonly updatedAt: string;
  /** Increases on every mutation; pass it back as expectedVersion to refuse lost updates. */
  readonly version: number;
}

export type RiskAnswer = boolean | number | readonly string[];

/** One answer's contribution to the score: what was answered, whether a fact the app knows or a person gave it. */
export interface RiskBreakdownItem {
  readonly questionId: string;
  readonly points: number;
  /** Absent on assessments made before facts were shown. */
  readonly answer?: RiskAnswer;
  readonly source?: "fact" | "declared";
  /** The fact behind a "fact" answer, in words (e.g. "the change names 3 plants"). */
  readonly fact?: string;
}

/** A minimum class a fact set (policy.yaml `risk.floors`), and whether it raised the scored class. */
export interface RiskFloorApplied {
  readonly riskClass: RiskClass;
  readonly because: string;
  readonly raised: boolean;
}

/** A questionnaire option (choice and multi questions). */
interface RiskOption {
  readonly value: string;
  readonly label: string;
  readonly weight: number;
}

/** One weighted question; `kind` says which answer shape it takes. */
export type RiskQuestion =
  | { readonly id: string; readonly text: string; readonly kind: "boolean"; readonly yes: number; readonly no: number }
  | {
      readonly id: string;
      readonly text: string;
      readonly kind: "multi";
      readonly options: readonly RiskOption[];
    }
  | {
      readonly id: string;
      readonly text: string;
      readonly kind: "count";
      /** Points for a count: the weight of the last band whose `min` the count reaches. */
      readonly bands: readonly { readonly min: number; readonly weight: number }[];
    };

/** The questionnaire with its thresholds: score ≥ medium → medium, score ≥ high → high. */
export interface RiskQuestionnaire {
  readonly version: number;
  readonly questions: readonly RiskQuestion[];
  readonly thresholds: { readonly medium: number; readonly high: number };
}

/** Why production approval may not be requested yet. */
export interface ReadinessBlocker {
  readonly gate: GateName;
  readonly state: "missing" | "failed" | "waived-without-authority";
}

export interface ProductionReadiness {
  readonly ready: boolean;
  readonly blockers: readonly ReadinessBlocker[];
}

/** The manifestation of an electronic signature (21 CFR 11.50): printed name, date and time with zone, meaning. */
export interface SignatureManifest {
  readonly name: string;
  readonly email: string;
  readonly role: string;
  /** RFC 3339 with the signer's UTC offset, e.g. 2026-12-01T09:12:44+01:00. */
  readonly signedAt: string;
  /** The IANA zone of the signer's laptop when they signed. */
  readonly timeZone: string;
  readonly meaning: string;
}

export type MeetingDecisionKind = "approved" | "rejected" | "deferred";

/** Someone present at the meeting; only present people may sign decisions in it. */
export interface MeetingAttendee {
  readonly email: string;
  readonly name: string;
  readonly roles: readonly string[];
  readonly joinedAt: string;
  readonly leftAt: string | null;
}

/** One signature behind a meeting decision: the approvals record's manifestation and the scope it covers. */
export interface MeetingSignature extends SignatureManifest {
  readonly scope: string;
  readonly approvalId: string;
}

/** What the meeting decided about one item, by whom. Deferrals carry a reason and no e-signature. */
export interface MeetingDecision {
  readonly id: string;
  readonly changeId: string;
  readonly kind: MeetingDecisionKind;
  readonly by: { readonly email: string; readonly name: string };
  readonly reason: string | null;
  readonly signatures: readonly MeetingSignature[];
  /** The approvals quorum after this decision ("needs 1 more cab-member"), null for deferrals. */
  readonly quorum: string | null;
  /** The change's status right after the decision, null for deferrals. */
  readonly statusAfter: ChangeStatus | null;
  readonly at: string;
}
