import { useId, useState } from "react";
import { type ChangeDetail, type ChangeStatus, STAGES, type Stage } from "../../../shared/contract/index";
import { DELETABLE, REASON_REQUIRED } from "../../../shared/domain/register/lifecycle";
import { ErrorBox } from "../../components/error-box";
import { humanise } from "./format";
import { useMethodMutation } from "./use-method-mutation";
import { goTo } from "./use-register-view";

const VERBS: Readonly<Record<ChangeStatus, string>> = {
  draft: "Return to draft",
  submitted: "Submit",
  assessed: "Mark assessed",
  "awaiting-approval": "Request approval",
  approved: "Approve",
  scheduled: "Schedule",
  implementing: "Start implementing",
  validating: "Start validation",
  closed: "Close",
  rejected: "Reject",
  cancelled: "Cancel change",
  failed: "Mark failed",
  "rolled-back": "Mark rolled back",
  unauthorised: "Mark unauthorised",
};

// Moves that end or undo work look different, so nobody cancels a change by habit.
const DESTRUCTIVE: readonly ChangeStatus[] = ["rejected", "cancelled", "failed", "rolled-back"];

type Pending =
  | { readonly kind: "transition"; readonly to: ChangeStatus }
  | { readonly kind: "promote"; readonly to: Stage }
  | { readonly kind: "delete" };

function title(change: ChangeDetail, pending: Pending): string {
  switch (pending.kind) {
    case "transition":
      return `${VERBS[pending.to]}: ${humanise(change.status)} → ${humanise(pending.to)}`;
    case "promote":
      return `Promote: ${humanise(change.stage)} → ${humanise(pending.to)}`;
    case "delete":
      return "Delete: the change leaves the lists; its history stays in the audit trail";
    default: {
      const never: never = pending;
      return never;
    }
  }
}

/** What the person should know before confirming a move; the core decides, this only warns early. */
function warning(change: ChangeDetail, pending: Pending): string | null {
  if (pending.kind !== "transition") return null;
  if (pending.to === "assessed" && !change.assessment)
    return "Record the risk assessment first: the core refuses this.";
  if (pending.to === "scheduled" && !change.window) return "Give the change a planned window first.";
  const asksProduction =
    change.environment === "production" &&
    ((change.type === "normal" && pending.to === "awaiting-approval") ||
      (change.type === "standard" && pending.to === "approved"));
  if (asksProduction && !change.productionReadiness.ready) {
    const list = change.productionReadiness.blockers.map((b) => `${humanise(b.gate)} (${b.state})`).join(", ");
    return `Pre-production gates are not all passed or waived by a change manager: ${list}.`;
  }
  return null;
}

/**
 * The lifecycle moves the core allows from the change's state, and promotion to its next stage. Each opens
 * a prompt for the reason (required where the lifecycle says so) before anything is sent.
 */
export function LifecycleActions({ change }: { readonly change: ChangeDetail }) {
  const [pending, setPending] = useState<Pending | null>(null);
  const [reason, setReason] = useState("");
  const [missing, setMissing] = useState(false);
  const reasonId = useId();
  const done = () => {
    setPending(null);
    setReason("");
    setMissing(false);
  };
  const transition = useMethodMutation("change.transition", done);
  const promote = useMethodMutation("change.promote", done);
  const remove = useMethodMutation("change.delete", () => {
    done();
    goTo({ kind: "list" });
  });
  const busy = transition.isPending || promote.isPending || remove.isPending;
  const error = transition.error ?? promote.error ?? remove.error;

  const stageIndex = STAGES.indexOf(change.stage);
  const next = STAGES[stageIndex + 1];
  const canPromote =
    next !== undefined &&
    stageIndex < STAGES.indexOf(change.environment) &&
    !["closed", "cancelled", "rejected", "failed", "rolled-back"].includes(change.status);
  const required =
    pending?.kind === "delete" || (pending?.kind === "transition" && REASON_REQUIRED.includes(pending.to));

  const open = (p: Pending) => {
    transition.reset();
    promote.reset();
    remove.reset();
    setMissing(false);
    setPending(p);
  };
  const confirm = () => {
    if (!pending) return;
    const why = reason.trim();
    if (required && why === "") {
      setMissing(true);
      return;
    }
    if (pending.kind === "transition") {
      transition.mutate({ id: change.id, to: pending.to, reason: why || undefined, expectedVersion: change.version });
    } else if (pending.kind === "promote") {
      promote.mutate({ id: change.id, to: pending.to, reason: why || undefined });
    } else {
      remove.mutate({ id: change.id, reason: why });
    }
  };
  const note = pending ? warning(change, pending) : null;

  return (
    <section className="panel lifecycle" aria-label="Lifecycle actions" data-testid="lifecycle-actions">
      <div className="action-row">
        {change.allowedTransitions.length === 0 &&
          change.derivedTransitions.length === 0 &&
          change.unavailableTransitions.length === 0 &&
          !canPromote && <span className="muted">No further moves: this change is {humanise(change.status)}.</span>}
        {change.allowedTransitions.map((to) => (
          <button
            key={to}
            type="button"
            className={`btn${DESTRUCTIVE.includes(to) ? " danger" : ""}`}
            aria-pressed={pending?.kind === "transition" && pending.to === to}
            data-testid={`transition-${to}`}
            onClick={() => open({ kind: "transition", to })}
          >
            {VERBS[to]}
          </button>
        ))}
        {canPromote && next && (
          <button
            type="button"
            className="btn"
            data-testid="promote"
            onClick={() => open({ kind: "promote", to: next })}
          >
            Promote to {humanise(next)}
          </button>
        )}
        {DELETABLE.includes(change.status) && !change.deleted && (
          <button
            type="button"
            className="btn danger"
            aria-pressed={pending?.kind === "delete"}
            data-testid="change-delete"
            onClick={() => open({ kind: "delete" })}
          >
            Delete
          </button>
        )}
      </div>
      {change.unavailableTransitions.length > 0 && (
        <ul className="muted unavailable-moves" data-testid="unavailable-transitions">
          {change.unavailableTransitions.map((u) => (
            <li key={u.to} data-testid={`unavailable-${u.to}`}>
              {VERBS[u.to]}: {u.reason}
            </li>
          ))}
        </ul>
      )}
      {change.derivedTransitions.length > 0 && (
        <ul className="muted derived-moves" data-testid="derived-transitions">
          {change.derivedTransitions.map((d) => (
            <li key={d.to} data-testid={`derived-${d.to}`}>
              {humanise(d.to)}: only through {d.by}.
            </li>
          ))}
        </ul>
      )}
      {pending && (
        <fieldset className="prompt" data-testid="transition-prompt">
          <legend>{title(change, pending)}</legend>
          {note && (
            <p className="warn" data-testid="transition-warning">
              {note}
            </p>
          )}
          <label htmlFor={reasonId}>Reason{required ? " (required)" : " (optional)"}</label>
          <textarea
            id={reasonId}
            className="input"
            value={reason}
            aria-invalid={missing}
            // biome-ignore lint/a11y/noAutofocus: the prompt opened on request; the reason is what comes next
            autoFocus
            data-testid="transition-reason"
            onChange={(e) => {
              setReason(e.target.value);
              setMissing(false);
            }}
          />
          {missing && (
            <span className="field-error" role="alert" data-testid="transition-reason-error">
              This move needs a reason: it is kept in the audit trail.
            </span>
          )}
          {error && <ErrorBox error={error} />}
          <div className="action-row">
            <button
              type="button"
              className="btn primary"
              disabled={busy}
              onClick={confirm}
              data-testid="transition-confirm"
            >
              {busy ? "Working…" : "Confirm"}
            </button>
            <button type="button" className="btn" onClick={done} data-testid="transition-cancel">
              Back
            </button>
          </div>
        </fieldset>
      )}
    </section>
  );
}
