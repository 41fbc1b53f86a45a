import type { GitopsOutboxItem } from "../../../shared/contract/methods/gitops";
import { useMethodQuery } from "../../api/queries";
import { Badge } from "../../components/badge";
import { ErrorBox } from "../../components/error-box";
import { ConnectForm } from "./connect-form";
import { DriftPanel } from "./drift-panel";
import { PublishCalendarsButton } from "./publish-calendars-button";
import { SyncStatusPanel } from "./sync-status";
import { useGitopsAction } from "./use-gitops-action";
import "./gitops.css";

const TONE = { pending: "waiting", committed: "waiting", pushed: "good", abandoned: "bad" } as const;

function OutboxRows({ items, testId }: { readonly items: readonly GitopsOutboxItem[]; readonly testId: string }) {
  return (
    <table className="gitops-table" data-testid={testId}>
      <thead>
        <tr>
          <th>Commit</th>
          <th>Change</th>
          <th>Signer</th>
          <th>State</th>
          <th>Attempts</th>
          <th>Last error</th>
        </tr>
      </thead>
      <tbody>
        {items.map((i) => (
          <tr key={i.id} data-testid="outbox-row" data-state={i.state}>
            <td>
              <div>{i.subject}</div>
              <div className="gitops-sha muted">{i.sha ? i.sha.slice(0, 12) : "not committed yet"}</div>
            </td>
            <td>{i.changeId ? <a href={`#/register/${i.changeId}`}>{i.change}</a> : (i.change ?? "—")}</td>
            <td>{i.signer}</td>
            <td>
              <Badge tone={TONE[i.state]}>{i.state}</Badge>
            </td>
            <td data-testid="outbox-attempts">{i.attempts}</td>
            <td className="gitops-error">{i.lastError ?? ""}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The GitOps page: the outbox (pending and recently pushed commits), Push now, Sync, and repository drift. */
export function OutboxPage() {
  const outbox = useMethodQuery("gitops.outbox", {});
  const push = useGitopsAction("gitops.push");
  const sync = useGitopsAction("gitops.sync");
  const busy = push.isPending || sync.isPending;
  return (
    <section className="page" aria-labelledby="gitops-title">
      <h1 id="gitops-title">GitOps</h1>
      <div className="gitops-actions">
        <button type="button" className="btn" disabled={busy} onClick={() => push.mutate({})} data-testid="outbox-push">
          Push now
        </button>
        <button type="button" className="btn" disabled={busy} onClick={() => sync.mutate({})} data-testid="outbox-sync">
          Sync
        </button>
        {push.data && (
          <span role="status" data-testid="outbox-push-result">
            {push.data.error ? push.data.error.message : `Pushed ${push.data.pushed}.`}
          </span>
        )}
        {sync.data && (
          <span role="status" data-testid="outbox-sync-result">
            Pulled {sync.data.pulled} commit(s), {sync.data.unverified} unverified; imported {sync.data.imported.length}{" "}
            change(s).
          </span>
        )}
      </div>
      {push.error && <ErrorBox error={push.error} />}
      {sync.error && <ErrorBox error={sync.error} />}
      {outbox.isPending && <p className="muted">Reading the outbox…</p>}
      {outbox.error && <ErrorBox error={outbox.error} />}
      {outbox.data && !outbox.data.configured && (
        <p className="muted">No GitOps repository is set up on this laptop.</p>
      )}
      {outbox.data?.configured && (
        <>
          <SyncStatusPanel />
          <h2>Not yet on the remote</h2>
          {outbox.data.items.length === 0 ? (
            <p className="muted" data-testid="outbox-empty">
              Everything this laptop committed is pushed.
            </p>
          ) : (
            <OutboxRows items={outbox.data.items} testId="outbox-pending" />
          )}
          <h2>Recently pushed</h2>
          {outbox.data.recent.length === 0 ? (
            <p className="muted">Nothing pushed from this laptop yet.</p>
          ) : (
            <OutboxRows items={outbox.data.recent} testId="outbox-recent" />
          )}
          <PublishCalendarsButton />
          <DriftPanel />
        </>
      )}
      <ConnectForm />
    </section>
  );
}
