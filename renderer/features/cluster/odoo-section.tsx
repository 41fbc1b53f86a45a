import { ENVIRONMENT_NAMES } from "../../../shared/contract/methods/cluster";
import { OdooSmokePanel } from "./odoo-smoke-panel";

/**
 * The Odoo side of each environment: what the business system says, beside what the cluster runs. Each environment
 * has its own smoke run; the core decides what it may write there.
 */
export function OdooSection() {
  return (
    <section className="odoo-section" aria-labelledby="odoo-title" data-testid="odoo-section">
      <h2 id="odoo-title">Odoo</h2>
      <div className="odoo-envs">
        {ENVIRONMENT_NAMES.map((environment) => (
          <article key={environment} className="odoo-env" aria-labelledby={`odoo-env-${environment}`}>
            <h3 id={`odoo-env-${environment}`}>{environment}</h3>
            <OdooSmokePanel environment={environment} />
          </article>
        ))}
      </div>
    </section>
  );
}
