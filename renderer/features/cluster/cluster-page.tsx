import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { useClient } from "../../api/client-context";
import { useMethodQuery } from "../../api/queries";
import { ErrorBox } from "../../components/error-box";
import { ClusterSetup } from "./cluster-setup";
import { EnvironmentColumn } from "./environment-column";
import { OdooSection } from "./odoo-section";
import "./cluster.css";

/** How often the view asks the core again; the core serves fresh results from memory and backs off on failures. */
const POLL_MS = 10_000;

/** The cluster view: environments side by side, development → production, with what runs where and any drift. */
export function ClusterPage() {
  const client = useClient();
  const queryClient = useQueryClient();
  const view = useMethodQuery("cluster.environments", {});
  const config = useMethodQuery("cluster.config", {});
  const [setup, setSetup] = useState(false);
  const [nowMs, setNowMs] = useState(() => Date.now());
  const [refreshing, setRefreshing] = useState(false);
  const { refetch } = view;

  useEffect(() => {
    // A poll joins a read still under way instead of cancelling it: a cluster slower to answer than the interval
    // would otherwise never show anything (each poll dropping the read before it, and a save's read with it).
    const poll = window.setInterval(() => void refetch({ cancelRefetch: false }), POLL_MS);
    // A one-second tick keeps "retrying in N s" counting down between polls.
    const tick = window.setInterval(() => setNowMs(Date.now()), 1000);
    return () => {
      window.clearInterval(poll);
      window.clearInterval(tick);
    };
  }, [refetch]);

  const refreshNow = async () => {
    setRefreshing(true);
    try {
      const fresh = await client.call("cluster.environments", { refresh: true });
      queryClient.setQueryData(["cluster.environments", {}], fresh);
    } finally {
      setRefreshing(false);
    }
  };

  const data = view.data;
  const showSetup = setup || (data !== undefined && !data.configured);
  return (
    <section className="page cluster-page" aria-labelledby="cluster-title" data-testid="cluster-page">
      <div className="cluster-head">
        <h1 id="cluster-title">Cluster</h1>
        {data?.configured && (
          <span className="muted cluster-small" data-testid="cluster-kubeconfig">
            {data.kubeconfigPath ?? "default kubeconfig"}
          </span>
        )}
        <span className="spacer" />
        {data?.configured && !setup && (
          <>
            <button type="button" className="btn" onClick={refreshNow} disabled={refreshing}>
              {refreshing ? "Reading…" : "Refresh"}
            </button>
            <button type="button" className="btn" onClick={() => setSetup(true)}>
              Connection…
            </button>
          </>
        )}
      </div>
      {view.isPending && <p className="muted">Reading the clusters…</p>}
      {view.error && <ErrorBox error={view.error} />}
      {showSetup && (
        <>
          {!data?.configured && <p className="muted">Connect Shiftgate to the clusters where Odoo and Argo CD run.</p>}
          {/* Keyed by what is configured, not by when it was read: a refetch of the same configuration (any sync or
              event refreshes it) must not wipe a path or choices the user is typing. */}
          <ClusterSetup
            key={JSON.stringify(config.data ?? null)}
            config={config.data ?? null}
            onDone={() => setSetup(false)}
          />
        </>
      )}
      {data?.configured && !setup && (
        <div className="cluster-envs" data-testid="cluster-envs">
          {data.environments.map((env) => (
            <EnvironmentColumn key={env.name} env={env} nowMs={nowMs} />
          ))}
        </div>
      )}
      {!setup && <OdooSection />}
    </section>
  );
}
