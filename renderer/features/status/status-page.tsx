import { useMethodQuery } from "../../api/queries";
import { ErrorBox } from "../../components/error-box";

/** The status page: what this install is, where its register lives, and the GitOps repository. */
export function StatusPage() {
  const status = useMethodQuery("app.status", {});
  return (
    <section className="page" aria-labelledby="status-title">
      <h1 id="status-title">Status</h1>
      {status.isPending && <p className="muted">Reading status…</p>}
      {status.error && <ErrorBox error={status.error} />}
      {status.data && (
        <dl className="facts" data-testid="status">
          <dt>Version</dt>
          <dd data-testid="status-version">{status.data.version}</dd>
          <dt>Register</dt>
          <dd data-testid="status-register">{status.data.registerPath}</dd>
          <dt>Schema version</dt>
          <dd data-testid="status-schema">{status.data.schemaVersion}</dd>
          <dt>GitOps repository</dt>
          <dd data-testid="status-gitops">
            {status.data.gitops.configured
              ? `${status.data.gitops.path} · ${status.data.gitops.branch ?? "detached"} · ${status.data.gitops.head?.slice(0, 12) ?? "no commits"}`
              : "Not configured"}
          </dd>
          <dt>Time zone</dt>
          <dd data-testid="status-tz">{status.data.timeZone}</dd>
          <dt>Connected through</dt>
          <dd data-testid="status-door">{status.data.door === "ipc" ? "Desktop app" : "Browser (127.0.0.1)"}</dd>
        </dl>
      )}
    </section>
  );
}
