import { useMethodQuery } from "../../api/queries";
import { ErrorBox } from "../../components/error-box";
import { auditSentence, doorText } from "./audit-sentence";
import { formatDateTime } from "./format";

const PAGE = 500;

/** The change's audit trail, newest first: every mutation with who, when, through which door and why. */
export function AuditTimeline({ changeId }: { readonly changeId: string }) {
  const audit = useMethodQuery("audit.list", { changeId, pageSize: PAGE });
  const people = useMethodQuery("identity.people", {});
  const nameOf = (email: string) => people.data?.find((p) => p.email === email)?.name;
  const items = audit.data ? [...audit.data.items].reverse() : [];
  return (
    <section className="panel" aria-labelledby="audit-title" data-testid="audit-timeline">
      <h2 id="audit-title">Audit timeline</h2>
      {audit.isPending && <p className="muted">Reading the audit trail…</p>}
      {audit.error && <ErrorBox error={audit.error} />}
      {audit.data && items.length === 0 && <p className="muted">No audit entries.</p>}
      <ol className="timeline">
        {items.map((e) => (
          <li
            key={e.seq}
            className={`timeline-entry action-${e.action.replace(".", "-")}`}
            data-testid="timeline-entry"
            data-action={e.action}
          >
            <div className="timeline-what">{auditSentence(e, nameOf)}</div>
            <div className="muted timeline-meta">
              <span title={e.actor}>{formatDateTime(e.at)}</span> · {doorText(e.door)} ·{" "}
              <span title={`SHA-256 ${e.hash}, chained to ${e.prevHash}`}>#{e.seq}</span>
            </div>
            {e.reason && <div className="timeline-reason">“{e.reason}”</div>}
          </li>
        ))}
      </ol>
      {audit.data && audit.data.total > audit.data.items.length && (
        <p className="muted">
          Showing the first {audit.data.items.length} of {audit.data.total} entries.
        </p>
      )}
    </section>
  );
}
