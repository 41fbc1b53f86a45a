import { ENVIRONMENT_NAMES } from "../../../shared/contract/methods/cluster";
import type { OdooConnectionView } from "../../../shared/contract/odoo";
import { useMethodQuery } from "../../api/queries";
import { ErrorBox } from "../../components/error-box";
import { OdooChecksPanel } from "./odoo-checks-panel";
import { OdooConnectForm } from "./odoo-connect-form";
import { OdooSmokePanel } from "./odoo-smoke-panel";

const KEY_SOURCES: Readonly<Record<string, string>> = {
  env: "environment variable",
  file: "0600 file in the data folder",
  "safe-storage": "the desktop's safeStorage",
};

/** Where an environment's Odoo is and where its API key comes from (never the key itself). */
function ConnectionLine({ connection }: { readonly connection: OdooConnectionView | undefined }) {
  if (!connection) {
    return (
      <p className="muted">
        Not connected. Connect it below, or with <code>shiftgate odoo connect</code>.
      </p>
    );
  }
  const key = connection.key;
  return (
    <p className="odoo-connection">
      {connection.url} · database {connection.database} · user {connection.login}
      <br />
      <span className={key.source ? "muted" : "odoo-step-failed"}>
        {key.source
          ? `Key from ${KEY_SOURCES[key.source] ?? key.source}${key.where ? ` (${key.where})` : ""}`
          : `No usable key${key.where ? `: ${key.where}` : ""}`}
      </span>
    </p>
  );
}

/**
 * The Odoo side of each environment: its connection, its gate checks' measured values against their thresholds, and
 * its smoke run, beside what the cluster runs. The core decides what a run may do; the page only asks.
 */
export function OdooSection() {
  const connections = useMethodQuery("odoo.connection.list", {});
  const byEnv = new Map((connections.data?.connections ?? []).map((c) => [c.environment, c]));
  return (
    <section className="odoo-section" aria-labelledby="odoo-title" data-testid="odoo-section">
      <h2 id="odoo-title">Odoo</h2>
      {connections.error && <ErrorBox error={connections.error} />}
      <div className="odoo-envs">
        {ENVIRONMENT_NAMES.map((environment) => (
          <article
            key={environment}
            className="odoo-env"
            aria-labelledby={`odoo-env-${environment}`}
            data-testid={`odoo-env-${environment}`}
          >
            <h3 id={`odoo-env-${environment}`}>{environment}</h3>
            <ConnectionLine connection={byEnv.get(environment)} />
            {byEnv.has(environment) && (
              <>
                <OdooChecksPanel environment={environment} />
                <OdooSmokePanel environment={environment} />
              </>
            )}
          </article>
        ))}
      </div>
      {connections.data && <OdooConnectForm connections={byEnv} />}
    </section>
  );
}
