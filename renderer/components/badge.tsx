import type { ChangeStatus, GateResult, RiskClass } from "../../shared/contract/index";
import "./badge.css";

/** The colour families a badge can take; risk tones follow the calendar's palette. */
type BadgeTone = "low" | "medium" | "high" | "emergency" | "neutral" | "progress" | "good" | "bad" | "waiting";

/** A small coloured label; `solid` fills it (risk), otherwise it is outlined (status). */
export function Badge({
  tone,
  solid = false,
  children,
  testId,
  title,
}: {
  readonly tone: BadgeTone;
  readonly solid?: boolean;
  readonly children: string;
  readonly testId?: string;
  readonly title?: string;
}) {
  return (
    <span className={`badge badge-${tone}${solid ? " badge-solid" : ""}`} data-testid={testId} title={title}>
      {children}
    </span>
  );
}

// Grouped by what a CAB member must do about them: waiting on someone, moving, done well, done badly.
const STATUS_TONES: Readonly<Record<ChangeStatus, BadgeTone>> = {
  draft: "neutral",
  submitted: "waiting",
  assessed: "waiting",
  "awaiting-approval": "waiting",
  approved: "progress",
  scheduled: "progress",
  implementing: "progress",
  validating: "progress",
  closed: "good",
  rejected: "bad",
  cancelled: "neutral",
  failed: "bad",
  "rolled-back": "bad",
  // Filled red: a release that went out without its approvals must not read like one more failed change.
  unauthorised: "high",
};

/** The lifecycle state of a change as a badge. */
export function StatusBadge({ status, testId }: { readonly status: ChangeStatus; readonly testId?: string }) {
  return (
    <Badge tone={STATUS_TONES[status]} testId={testId} solid={status === "unauthorised"}>
      {status.replace("-", " ")}
    </Badge>
  );
}

/**
 * The risk class as a solid badge; emergency changes show in the emergency colour whatever their score,
 * because the CAB treats them apart.
 */
export function RiskBadge({
  risk,
  emergency = false,
  score,
  testId,
}: {
  readonly risk: RiskClass | null;
  readonly emergency?: boolean;
  readonly score?: number | null;
  readonly testId?: string;
}) {
  const label = risk === null ? "unassessed" : score === undefined || score === null ? risk : `${risk} · ${score}`;
  if (emergency) {
    return (
      <Badge tone="emergency" solid testId={testId} title="Emergency change">
        {risk === null ? "emergency" : `emergency · ${label}`}
      </Badge>
    );
  }
  if (risk === null) {
    // Quiet on purpose: in a long list the assessed changes should stand out, not the unassessed ones.
    return (
      <span className="badge badge-quiet" data-testid={testId}>
        {label}
      </span>
    );
  }
  return (
    <Badge tone={risk} solid testId={testId}>
      {label}
    </Badge>
  );
}

const GATE_TONES: Readonly<Record<GateResult, BadgeTone>> = { pass: "good", fail: "bad", waived: "medium" };

/** A gate result as a badge. */
export function GateBadge({ result, testId }: { readonly result: GateResult; readonly testId?: string }) {
  return (
    <Badge tone={GATE_TONES[result]} testId={testId}>
      {result}
    </Badge>
  );
}

/**
 * Marks a change whose window ended before its work started (judged by the core's clock): it must be given a new
 * window before it can be released.
 */
export function WindowPassedBadge({ passed }: { readonly passed: boolean }) {
  if (!passed) return null;
  return (
    <Badge tone="bad" testId="window-passed" title="The window has passed: re-schedule this change before release">
      window passed
    </Badge>
  );
}
