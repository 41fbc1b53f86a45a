import type { EnvironmentView } from "../../../shared/contract/methods/cluster";
import { age, ENVIRONMENT_LABELS, errorHeadline, shortRevision, splitImage, tone } from "./cluster-format";

/** One environment: its state, what runs, Argo CD's view, sync permission, pending releases and drift. */
export function EnvironmentColumn({ env, nowMs }: { readonly env: EnvironmentView; readonly nowMs: number }) {
  const label = ENVIRONMENT_LABELS[env.name];
  return (
    <section
      className={`cluster-env cluster-env--${env.state}`}
      data-testid={`cluster-env-${env.name}`}
      data-state={env.state}
      aria-labelledby={`cluster-env-${env.name}-title`}
    >
      <header className="cluster-env-head">
        <h2 id={`cluster-env-${env.name}-title`}>{label}</h2>
        <span className="muted cluster-env-where" title={`Argo CD in ${env.argocdNamespace}`}>
          {env.context} · {env.namespaces.join(", ")}
        </span>
      </header>

      {env.errors.length > 0 && (
        <div className="cluster-env-errors" role="status" data-testid="cluster-errors">
          {env.errors.map((e) => (
            <div key={`${e.source}-${e.message}`} className="cluster-error">
              <strong>{errorHeadline(e, env.retryAt, nowMs)}</strong>
              <span className="cluster-error-detail">{e.message}</span>
            </div>
          ))}
        </div>
      )}

      <h3>Running</h3>
      {env.deployments.length === 0 ? (
        <p className="muted">
          {env.errors.some((e) => e.source === "deployments")
            ? "Unknown while the deployments cannot be read."
            : "No deployments."}
        </p>
      ) : (
        <ul className="cluster-list">
          {env.deployments.map((d) => (
            <li
              key={`${d.namespace}/${d.name}`}
              className="cluster-deployment"
              data-testid={`cluster-deployment-${d.namespace}-${d.name}`}
              data-available={d.available}
            >
              <div className="cluster-row">
                <span className="cluster-name">{d.name}</span>
                <span
                  className={`cluster-pill cluster-pill--${d.available && d.rollout === "complete" ? "good" : d.rollout === "stalled" ? "bad" : "warn"}`}
                >
                  {d.ready}/{d.desired} ready
                </span>
              </div>
              {d.images.map((image) => {
                const { repository, tag } = splitImage(image);
                return (
                  <div key={image} className="cluster-image" title={image}>
                    <span className="muted">{repository.split("/").pop()}:</span>
                    <span className="cluster-tag">{tag}</span>
                  </div>
                );
              })}
              <div className="muted cluster-small">
                {d.role} · {d.rollout === "complete" ? "rolled out" : d.rollout} · changed {age(d.lastChange, nowMs)}
              </div>
              {d.conditions.length > 0 && (
                <details className="cluster-details">
                  <summary className="cluster-small">Rollout conditions</summary>
                  <ul className="cluster-small">
                    {d.conditions.map((c) => (
                      <li key={c.type}>
                        {c.type}: {c.status}
                        {c.reason ? ` (${c.reason})` : ""}
                        {c.message ? <span className="muted"> — {c.message}</span> : null}
                      </li>
                    ))}
                  </ul>
                </details>
              )}
            </li>
          ))}
        </ul>
      )}

      <h3>Argo CD</h3>
      {env.applications.length === 0 ? (
        <p className="muted">
          {env.errors.some((e) => e.source === "applications")
            ? "Unknown while Argo CD cannot be read."
            : "No application targets these namespaces."}
        </p>
      ) : (
        <ul className="cluster-list">
          {env.applications.map((a) => (
            <li
              key={`${a.namespace}/${a.name}`}
              className="cluster-app"
              data-testid={`cluster-app-${a.name}`}
              data-sync={a.sync}
              data-health={a.health}
            >
              <div className="cluster-row">
                <span className="cluster-name">{a.name}</span>
                <span className={`cluster-pill cluster-pill--${tone(a.sync)}`} data-testid="cluster-app-sync">
                  {a.sync}
                </span>
                <span className={`cluster-pill cluster-pill--${tone(a.health)}`} data-testid="cluster-app-health">
                  {a.health}
                </span>
              </div>
              <div className="muted cluster-small" title={a.revision ?? undefined}>
                at {shortRevision(a.revision)}
                {a.operation ? ` · last sync ${a.operation.toLowerCase()} ${age(a.operationFinishedAt, nowMs)}` : ""}
              </div>
              {(a.history.length > 0 || a.operationMessage) && (
                <details className="cluster-details">
                  <summary className="cluster-small">History</summary>
                  {a.operationMessage && <p className="cluster-small muted">{a.operationMessage}</p>}
                  <ol className="cluster-small">
                    {a.history.slice(0, 5).map((h) => (
                      <li key={`${h.revision}-${h.deployedAt ?? ""}`} title={h.revision}>
                        {shortRevision(h.revision)} · {age(h.deployedAt, nowMs)}
                      </li>
                    ))}
                  </ol>
                </details>
              )}
            </li>
          ))}
        </ul>
      )}
      {env.sync && (
        <p
          className={`cluster-small cluster-sync cluster-sync--${env.sync.allowed ? "open" : "closed"}`}
          data-testid="cluster-sync-window"
        >
          {env.sync.allowed ? "Sync allowed now" : "Sync not allowed now"} — {env.sync.reason}
        </p>
      )}
      {env.sync && env.sync.windows.length > 0 && (
        <details className="cluster-details">
          <summary className="cluster-small">Sync windows</summary>
          <ul className="cluster-small">
            {env.sync.windows.map((w) => (
              <li key={`${w.kind}-${w.schedule}-${w.duration}-${w.timeZone}`}>
                {w.kind} <code>{w.schedule}</code> for {w.duration} ({w.timeZone}){w.active ? " — open now" : ""}
                {w.manualSync ? ", manual sync allowed" : ""}
              </li>
            ))}
          </ul>
        </details>
      )}

      <h3>Pending releases</h3>
      {env.pendingReleases.length === 0 ? (
        <p className="muted cluster-small">None waiting.</p>
      ) : (
        <ul className="cluster-list">
          {env.pendingReleases.map((r) => (
            <li
              key={`${r.changeId}-${r.revision}`}
              className={`cluster-release cluster-release--${r.state}`}
              data-testid={`cluster-pending-${r.changeId}`}
              data-state={r.state}
            >
              <div className="cluster-row">
                <span className="cluster-name">{r.changeId}</span>
                <span
                  className={`cluster-pill cluster-pill--${r.state === "passed" ? "good" : r.state === "failed" ? "bad" : "warn"}`}
                >
                  {r.state === "pending" ? "validating" : r.state}
                </span>
              </div>
              <div className="cluster-small muted" title={r.revision}>
                {r.application} → {shortRevision(r.revision)}
              </div>
              <div className="cluster-small">{r.message}</div>
            </li>
          ))}
        </ul>
      )}

      <h3>Drift</h3>
      {env.drift.length === 0 ? (
        <p className="muted cluster-small">Nothing running that approved changes do not explain.</p>
      ) : (
        <ul className="cluster-list" data-testid="cluster-drift">
          {env.drift.map((d) => (
            <li
              key={`${d.kind}-${d.namespace}-${d.name}-${d.running}`}
              className="cluster-drift"
              data-testid={`cluster-drift-${d.name}-${d.kind}`}
              data-running={d.running}
              data-approved={d.approved ?? ""}
            >
              <strong>Unapproved {d.kind === "image" ? "image" : "revision"}</strong> on {d.name}
              <div className="cluster-small">
                running <code>{d.kind === "revision" ? shortRevision(d.running) : d.running}</code>, approved{" "}
                <code>{d.approved ? (d.kind === "revision" ? shortRevision(d.approved) : d.approved) : "nothing"}</code>
              </div>
            </li>
          ))}
        </ul>
      )}
      <p className="muted cluster-small cluster-checked">Read {age(env.checkedAt, nowMs)}</p>
    </section>
  );
}
