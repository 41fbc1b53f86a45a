/** Every finding kind of `shiftgate gitops verify` (docs/gitops-repo.md); all are errors today. */
const FINDING_KINDS = [
  "unsigned",
  "bad-signature",
  "unknown-signer",
  "signer-mismatch",
  "role-not-held",
  "self-approval",
  "no-change-reference",
  "unknown-change",
  "quorum-not-met",
  "rejected",
  "stale-approval",
  "sod-conflict",
  "outside-window",
  "blackout",
  "unknown-plant",
  "review-overdue",
  "artifact-mismatch",
  "history-rewritten",
  "clock-skew",
  "foreign-root",
  "trust-root-unpinned",
  "trust-root-missing",
  "standard-out-of-scope",
  "foreign-write",
  "flux-keys-drift",
  "unpromoted-digest",
  "sync-windows-stale",
  "gate-missing",
  "gate-not-allowed",
  "gate-check-overridden",
  "minutes-mismatch",
  "evidence-mismatch",
] as const;

export type FindingKind = (typeof FINDING_KINDS)[number];

/** One finding, exactly as the verify JSON prints it. */
export interface Finding {
  readonly commit: string;
  readonly change: string | null;
  readonly kind: FindingKind;
  readonly severity: "error" | "warning";
  readonly message: string;
}

/** The root of trust verify judged from: given (--trust-root or the app's settings), committed (.shiftgate/trust-root), or none. */
export interface TrustRootInfo {
  readonly commit: string | null;
  readonly source: "given" | "committed" | "none";
}

/** The verify result, exactly as `shiftgate gitops verify --json` prints it. */
export interface VerifyResult {
  readonly ok: boolean;
  /** How many commits were judged (those touching changes/, .shiftgate/ or a protected path after the root of trust). */
  readonly checked: number;
  readonly trustRoot: TrustRootInfo;
  readonly findings: readonly Finding[];
}

/** A blackout instance, half-open [start, end). */
export interface BlackoutInterval {
  readonly start: Date;
  readonly end: Date;
}

/** Expands a plant calendar's BLACKOUT instances overlapping [from, to); injected so the calendar engine stays theirs. */
export type BlackoutSource = (
  plant: string,
  icsText: string,
  from: Date,
  to: Date,
  /** The plant's zone from the policy in force, for a calendar that names none. */
  timeZone?: string,
) => readonly BlackoutInterval[];

/** Builds an error finding. */
export function finding(commit: string, change: string | null, kind: FindingKind, message: string): Finding {
  return { commit, change, kind, severity: "error", message };
}
