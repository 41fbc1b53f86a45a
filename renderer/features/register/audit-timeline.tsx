import type { AuditEvent } from "../../../shared/contract/index";
import { useMethodQuery } from "../../api/queries";
import { ErrorBox } from "../../components/error-box";
import { formatDateTime, humanise } from "./format";

const PAGE = 500;

/** A field of an audit row's before/after, when it is a plain value. */
function field(side: unknown, key: string): string | null {
  if (typeof side !== "object" || side === null || !(key in side)) return null;
  const value: unknown = (side as Record<string, unknown>)[key];
  return typeof value === "string" || typeof value === "number" || typeof value === "boolean" ? String(value) : null;
}

// Which keys of a change differ between before and after, for a one-line summary of an edit.
function changedKeys(before: unknown, after: unknown): string[] {
  if (typeof before !== "object" || before === null || typeof after !== "object" || after === null) return [];
  const a = before as Record<string, unknown>;
  const b = after as Record<string, unknown>;
  const skip = new Set(["version", "updatedAt"]);
  return Object.keys(b).filter((k) => !skip.has(k) && JSON.stringify(a[k]) !== JSON.stringify(b[k]));
}

/** One line that says what happened, in the CAB's words. */
export function describeEvent(e: AuditEvent): string {
  switch (e.action) {
    case "change.create":
      return `Created${field(e.after, "title") ? `: ${field(e.after, "title")}` : ""}`;
    case "change.update": {
      const keys = changedKeys(e.before, e.after);
      return keys.length > 0 ? `Edited ${keys.join(", ")}` : "Edited";
    }
    case "change.transition":
      return `Status ${humanise(field(e.before, "status") ?? "?")} → ${humanise(field(e.after, "status") ?? "?")}`;
    case "change.promote":
      return `Promoted ${humanise(field(e.before, "stage") ?? "?")} → ${humanise(field(e.after, "stage") ?? "?")}`;
    case "change.delete":
      return "Deleted";
    case "change.comment": {
      const body = field(e.after, "body") ?? "";
      return body === "" ? "Commented" : `Commented: ${body.length > 80 ? `${body.slice(0, 80)}…` : body}`;
    }
    case "change.number":
      return `Numbered ${field(e.after, "number") ?? ""}`.trim();
    case "risk.assess":
      return `Risk assessed: ${field(e.after, "riskClass") ?? "?"} (score ${field(e.after, "score") ?? "?"})`;
    case "gate.record": {
      const target = field(e.after, "target");
      return `Gate ${humanise(field(e.after, "stage") ?? "?")} · ${humanise(field(e.after, "gate") ?? "?")}${target ? ` (${target})` : ""}: ${field(e.after, "result") ?? "?"}`;
    }
    case "evidence.attach":
      return `Evidence attached: ${field(e.after, "filename") ?? "file"}`;
    default:
      return `${e.action} on ${e.entity}`;
  }
}

/** The change's audit trail, newest first: every mutation with who, when, through which door and why. */
export function AuditTimeline({ changeId }: { readonly changeId: string }) {
  const audit = useMethodQuery("audit.list", { changeId, pageSize: PAGE });
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
            <div className="timeline-what">{describeEvent(e)}</div>
            <div className="muted timeline-meta">
              {e.actor} · {formatDateTime(e.at)} · {e.door} ·{" "}
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
