import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect } from "react";
import type { GitopsConflictCommit, GitopsSyncStatus } from "../../../shared/contract/methods/gitops";
import { relativeAge, syncPhaseText } from "../../../shared/domain/app/sync-summary";
import { useClient } from "../../api/client-context";
import "./gitops.css";

// Often while a sync runs (its phase moves), rarely otherwise: the core syncs by itself, the page only shows it.
const RUNNING_POLL_MS = 1_000;
const IDLE_POLL_MS = 15_000;

/** The core's sync status, kept fresh. */
function useSyncStatus() {
  const client = useClient();
  return useQuery<GitopsSyncStatus, Error>({
    queryKey: ["gitops.syncStatus", {}],
    queryFn: () => client.call("gitops.syncStatus", {}),
    refetchInterval: (query) => (query.state.data?.running ? RUNNING_POLL_MS : IDLE_POLL_MS),
  });
}

/** Tells the core when this window gains focus or becomes visible; the core decides whether a sync is due. */
function useFocusSync(): void {
  const client = useClient();
  const queryClient = useQueryClient();
  useEffect(() => {
    const focused = () => {
      if (document.visibilityState !== "visible") return;
      void client
        .call("gitops.syncFocus", {})
        .then(() => queryClient.invalidateQueries({ queryKey: ["gitops.syncStatus"] }))
        .catch(() => undefined);
    };
    window.addEventListener("focus", focused);
    document.addEventListener("visibilitychange", focused);
    return () => {
      window.removeEventListener("focus", focused);
      document.removeEventListener("visibilitychange", focused);
    };
  }, [client, queryClient]);
}

/** The status bar: when the remote was last heard, what waits to go out, a sync in progress or the last error. */
export function SyncStatusBar() {
  useFocusSync();
  const status = useSyncStatus();
  const s = status.data;
  if (!s?.configured) return null;
  const now = new Date();
  return (
    <a
      className="sync-bar"
      href="#/gitops"
      data-testid="sync-status-bar"
      aria-label="Remote sync: last heard and waiting to go out"
    >
      <span data-testid="sync-last-heard" title={s.lastHeardAt ?? undefined}>
        {s.running
          ? `Syncing: ${syncPhaseText(s.running.phase)}…`
          : s.lastHeardAt
            ? `Remote heard ${relativeAge(s.lastHeardAt, now)}`
            : "Remote not heard yet"}
      </span>
      <span data-testid="sync-waiting" data-count={s.waiting.count}>
        {s.waiting.count === 0 ? "Nothing waiting to go out" : `${s.waiting.count} waiting to go out`}
      </span>
      {s.lastError && (
        <span className="sync-bar-error" data-testid="sync-error" title={s.lastError.message}>
          {s.lastError.reason === "sync-conflict" ? "Sync stopped: conflict" : "Last sync failed"}
        </span>
      )}
    </a>
  );
}

function people(commits: readonly GitopsConflictCommit[]): string {
  const seen = new Map(commits.map((c) => [c.email, c]));
  return [...seen.values()]
    .map((c) => `${c.name} <${c.email}>${c.laptop ? ` (laptop ${c.laptop.slice(0, 8)})` : ""}`)
    .join(", ");
}

/** The Sync screen's panel: the same facts in full, with the conflict's files and who changed each side. */
export function SyncStatusPanel() {
  const status = useSyncStatus();
  const s = status.data;
  if (!s?.configured) return null;
  const now = new Date();
  return (
    <section className="sync-panel" aria-labelledby="sync-status-title" data-testid="sync-status-panel">
      <h2 id="sync-status-title">Sync</h2>
      <dl className="sync-facts">
        <dt>Last heard from the remote</dt>
        <dd data-testid="sync-panel-heard">
          {s.lastHeardAt ? `${new Date(s.lastHeardAt).toLocaleString()} (${relativeAge(s.lastHeardAt, now)})` : "never"}
        </dd>
        <dt>Now</dt>
        <dd data-testid="sync-panel-running">
          {s.running ? `Syncing: ${syncPhaseText(s.running.phase)}…` : "Idle"}
          {s.auto.enabled && s.auto.everyMs
            ? ` · syncs by itself every ${Math.round(s.auto.everyMs / 60_000)} min, on focus and after every push`
            : ""}
        </dd>
        <dt>Waiting to go out</dt>
        <dd data-testid="sync-panel-waiting">{s.waiting.count === 0 ? "nothing" : `${s.waiting.count} commit(s)`}</dd>
        {s.lastResult && !s.lastError && (
          <>
            <dt>Last sync</dt>
            <dd>
              {relativeAge(s.lastResult.at, now)}: pulled {s.lastResult.pulled}, imported {s.lastResult.imported},
              pushed {s.lastResult.pushed}
            </dd>
          </>
        )}
      </dl>
      {s.lastError && (
        <div className="sync-error" role="alert" data-testid="sync-panel-error">
          <p>
            Last sync failed {relativeAge(s.lastError.at, now)}: {s.lastError.message}
          </p>
          {s.lastError.conflicts.length > 0 && (
            <ul>
              {s.lastError.conflicts.map((c) => (
                <li key={c.path}>
                  <code>{c.path}</code>: on the remote by {people(c.remote) || "—"}; here by {people(c.local) || "—"}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </section>
  );
}
