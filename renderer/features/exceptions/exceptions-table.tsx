import type { ExceptionListItem, ExceptionRecord } from "../../../shared/contract/methods/approvals";
import { Badge } from "../../components/badge";
import { PlantWindow } from "../../components/plant-window";
import { SignatureLine } from "../approvals/signature-manifest";
import { formatDateTime } from "../register/format";

/** The exceptions register: overdue reviews first and highlighted, each signature with its manifestation. */
export function ExceptionsTable({
  records,
  highlight,
  onReview,
}: {
  readonly records: readonly ExceptionListItem[];
  readonly highlight: string | null;
  readonly onReview: (record: ExceptionRecord) => void;
}) {
  if (records.length === 0) return <p className="muted">No emergency exception is on record.</p>;
  return (
    <table className="exceptions-table" data-testid="exceptions">
      <thead>
        <tr>
          <th>Emergency change</th>
          <th>Break-glass</th>
          <th>Logged</th>
          <th>Review</th>
          <th />
        </tr>
      </thead>
      <tbody>
        {records.map((r) => (
          <tr
            key={r.id}
            className={`${r.overdue ? "exception-overdue" : ""}${highlight === r.change.id ? " exception-focus" : ""}`}
            data-testid="exception-row"
            data-change-id={r.change.id}
            data-overdue={r.overdue ? "true" : "false"}
          >
            <td>
              <strong>{r.change.title}</strong>
              <div className="muted">
                {r.incident} · {r.plants.join(", ")} · {r.change.status.replace("-", " ")}
              </div>
              <div className="exception-text">{r.justification}</div>
              <div className="exception-text muted">Done: {r.actions}</div>
            </td>
            <td className="appr-nowrap">
              <PlantWindow window={r.breakGlass} plants={r.plants} first />
            </td>
            <td>
              <SignatureLine signature={r.loggedBy} testId="exception-logged-by" />
            </td>
            <td>
              {r.review ? (
                <div data-testid="exception-review">
                  <Badge tone={r.review.outcome === "accepted" ? "good" : "waiting"}>
                    {r.review.outcome === "accepted" ? "accepted" : "follow-up required"}
                  </Badge>{" "}
                  <SignatureLine signature={r.review.signature} testId="exception-reviewed-by" />
                  {r.review.notes && <div className="exception-text muted">{r.review.notes}</div>}
                </div>
              ) : r.overdue ? (
                <span data-testid="exception-overdue">
                  <Badge tone="bad" solid>
                    Review overdue
                  </Badge>{" "}
                  <span className="muted">was due {formatDateTime(r.reviewDueAt)}</span>
                </span>
              ) : (
                <span className="muted" data-testid="exception-due">
                  due {formatDateTime(r.reviewDueAt)}
                </span>
              )}
            </td>
            <td>
              {!r.review && r.reviewRefusal === null && (
                <button type="button" className="btn" onClick={() => onReview(r)} data-testid="exception-review-button">
                  Review
                </button>
              )}
              {!r.review && r.reviewRefusal !== null && (
                <span className="muted" data-testid="exception-review-unavailable">
                  {r.reviewRefusal}
                </span>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
