import { useMethodQuery } from "../../api/queries";
import { RiskBadge, StatusBadge, WindowPassedBadge } from "../../components/badge";
import { ErrorBox } from "../../components/error-box";
import { PlantWindow } from "../../components/plant-window";
import { DecisionSummary } from "../decision/decision-summary";
import { humanise } from "../register/format";
import { ApprovalForm } from "./approval-form";
import { SettleButton } from "./settle-button";
import { SignatureLine } from "./signature-manifest";

/**
 * The approval dialog: what is being signed (the change digest, risk, window, conflicts, gates), where the
 * quorum stands, every decision so far with its signature manifestation, and the signing form.
 */
export function ApprovalDialog({ changeId, onClose }: { readonly changeId: string; readonly onClose: () => void }) {
  const preview = useMethodQuery("approval.preview", { changeId });
  const identity = useMethodQuery("identity.current", {});
  const p = preview.data;
  return (
    <section
      className="panel approval-dialog"
      role="dialog"
      aria-labelledby="approval-title"
      data-testid="approval-dialog"
    >
      <div className="appr-dialog-head">
        <h2 id="approval-title">{p ? p.change.title : "Change"}</h2>
        <button type="button" className="btn" onClick={onClose} aria-label="Close" data-testid="approval-close">
          Close
        </button>
      </div>
      {preview.error && <ErrorBox error={preview.error} />}
      {p && (
        <>
          <div className="change-badges">
            <StatusBadge status={p.change.status} testId="approval-status" />
            <RiskBadge risk={p.change.risk} emergency={p.change.type === "emergency"} testId="approval-risk" />
            <span className="muted">
              {p.change.plants.join(", ")} · {humanise(p.change.environment)} ·{" "}
              <PlantWindow window={p.change.window} plants={p.change.plants} />{" "}
              <WindowPassedBadge passed={p.change.windowPassed} />
            </span>
          </div>
          <dl className="facts approval-facts">
            <dt>Change digest</dt>
            <dd>
              <code data-testid="approval-digest">{p.digest}</code>
            </dd>
            <dt>Requester</dt>
            <dd>{p.change.requester.name}</dd>
            <dt>Implementer</dt>
            <dd>{p.change.implementer?.name ?? "—"}</dd>
            <dt>Quorum</dt>
            <dd data-testid="quorum-summary" className={p.quorum.met ? "appr-quorum-met" : "appr-quorum-open"}>
              {p.quorum.summary}
            </dd>
            <dt>Pre-production gates</dt>
            <dd data-testid="approval-gates">
              {p.productionReadiness.ready
                ? `Ready (${p.gates.filter((g) => g.stage === "preproduction").length} gate records)`
                : `Blocked: ${p.productionReadiness.blockers.map((b) => `${humanise(b.gate)} ${b.state}`).join(", ")}`}
            </dd>
          </dl>
          <DecisionSummary preview={p} signers={false} />
          {p.exception && (
            <p className="exception-note" data-testid="approval-exception">
              Emergency exception {p.exception.incident}: {p.exception.justification}
            </p>
          )}
          {p.quorum.issues.length > 0 && (
            <ul className="appr-quorum-issues" data-testid="quorum-issues">
              {p.quorum.issues.map((i) => (
                <li key={i}>{i}</li>
              ))}
            </ul>
          )}
          <h3>Signatures</h3>
          {p.approvals.length === 0 ? (
            <p className="muted">No one has signed yet.</p>
          ) : (
            <ul className="approval-records" data-testid="approval-records">
              {p.approvals.map((a) => (
                <li
                  key={a.id}
                  className={a.current ? `appr-record-${a.decision}` : "appr-record-stale"}
                  data-testid="approval-record"
                >
                  <span className={`appr-decision appr-decision-${a.decision}`}>
                    {a.decision === "approved" ? "Approved" : "Rejected"} ({a.scope})
                  </span>{" "}
                  <SignatureLine signature={a.signature} />
                  {!a.current && <span className="muted"> · for an earlier revision</span>}
                  {a.issue && a.current && <span className="muted"> · {a.issue}</span>}
                </li>
              ))}
            </ul>
          )}
          {p.settleable && <SettleButton changeId={p.change.id} />}
          {p.change.status === "awaiting-approval" ? (
            <ApprovalForm key={`${p.change.id}:${identity.data?.fingerprint ?? ""}`} preview={p} />
          ) : (
            <p className="muted" role="status" data-testid="approval-closed">
              {p.blocked}
            </p>
          )}
        </>
      )}
    </section>
  );
}
