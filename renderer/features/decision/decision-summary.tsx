import type { ApprovalPreview } from "../../../shared/contract/methods/approvals";
import { useMethodQuery } from "../../api/queries";
import { RiskBadge } from "../../components/badge";
import { ErrorBox } from "../../components/error-box";
import { ConflictsRow } from "../approvals/conflicts-row";
import { registerHref } from "../register/register-route";
import { GateRecords } from "./gate-records";
import { PlantWindows } from "./plant-windows";
import "./decision.css";

/**
 * What a signer must see at the point of signing (the approval panel, the CAB item): what changes and why, the
 * risk with the reasons behind its score, every gate record with its values and evidence, the rollback, the window
 * in each plant's time with its conflicts, and who has signed and who is still needed; the whole change one click
 * away.
 */
export function DecisionSummary({
  preview,
  signers = true,
}: {
  readonly preview: ApprovalPreview;
  /** The approval panel lists every signature itself; the CAB item shows them here. */
  readonly signers?: boolean;
}) {
  const { change, decision: d } = preview;
  const signed = preview.approvals.filter((a) => a.current);
  return (
    <div className="decision-view" data-testid="decision-view">
      <div className="decision-head">
        <span className="decision-number" data-testid="decision-number">
          {d.number}
        </span>
        <a href={registerHref({ kind: "change", id: change.id })} data-testid="decision-open-change">
          Open the whole change
        </a>
      </div>
      <section>
        <h3>What changes and why</h3>
        <p className="decision-description" data-testid="decision-description">
          {d.description || <span className="muted">No description given.</span>}
        </p>
      </section>
      <section data-testid="decision-risk">
        <h3>
          Risk <RiskBadge risk={change.risk} emergency={change.type === "emergency"} score={change.riskScore} />
        </h3>
        {d.risk ? (
          <ul className="decision-reasons">
            {d.risk.reasons
              .filter((r) => r.points !== 0)
              .map((r) => (
                <li key={r.question}>
                  {r.question} <strong>{r.answer}</strong> <span className="muted">+{r.points}</span>
                </li>
              ))}
            <li className="muted">
              Score {d.risk.score}, assessed by {d.risk.assessedBy}
            </li>
          </ul>
        ) : (
          <p className="muted">Not assessed yet.</p>
        )}
      </section>
      <section>
        <h3>Gates</h3>
        <GateRecords gates={preview.gates} evidence={d.evidence} />
      </section>
      <section data-testid="decision-rollback">
        <h3>Rollback</h3>
        <p>{d.rollbackPlan || <span className="muted">No rollback plan written.</span>}</p>
        <p className="muted">
          Snapshot: {d.snapshotRef ?? "none recorded"} · Checkpoint: {d.checkpointRef ?? "none yet"}
        </p>
      </section>
      <section data-testid="decision-artifact">
        <h3>What is approved to run</h3>
        <p>{d.artifact ? artifactText(d.artifact) : <span className="muted">No image named yet.</span>}</p>
      </section>
      <section>
        <h3>Window in each plant's time</h3>
        <PlantWindows window={change.window} zones={d.plantZones} />
        <ConflictsRow preview={preview} />
      </section>
      {signers && (
        <section data-testid="decision-signers">
          <h3>Signatures</h3>
          <p>
            {signed.length === 0
              ? "No one has signed this revision yet."
              : `Signed: ${signed.map((a) => `${a.signature.name} (${a.decision === "approved" ? "approved" : "rejected"} ${a.scope})`).join(", ")}.`}{" "}
            <span className={preview.quorum.met ? "appr-quorum-met" : "appr-quorum-open"} data-testid="decision-needed">
              {needed(preview)}
            </span>
          </p>
        </section>
      )}
    </div>
  );
}

// Who is still needed, as a sentence; an environment that needs no quorum says so rather than "met".
function needed(preview: ApprovalPreview): string {
  const q = preview.quorum;
  if (!q.required) return `${q.summary.charAt(0).toUpperCase()}${q.summary.slice(1)}.`;
  return q.met ? "Quorum met." : `Still needed: ${q.summary.replace(/^needs /, "")}.`;
}

/** The decision view of a change by id (the CAB item reads it beside the meeting's own record). */
export function DecisionSummaryFor({ changeId }: { readonly changeId: string }) {
  const preview = useMethodQuery("approval.preview", { changeId });
  if (preview.error) return <ErrorBox error={preview.error} />;
  if (!preview.data)
    return (
      <p className="muted" role="status">
        Loading the change…
      </p>
    );
  return <DecisionSummary preview={preview.data} />;
}

/** name:tag@sha256:… as registries and kustomize write it. */
export function artifactText(a: { image: string; tag: string | null; digest: string | null }): string {
  return `${a.image}${a.tag ? `:${a.tag}` : ""}${a.digest ? `@${a.digest}` : ""}`;
}
