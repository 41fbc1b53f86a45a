import { checksFor, effectiveOdooChecks } from "../../../shared/domain/policy/odoo-checks";
import { assertMay } from "../register/permissions";
import type { CoreServices } from "../services";
import { type OdooDeps, openEnvironment } from "./handlers";
import { odooReleaseValidation, type ReleaseGateChecks } from "./release-odoo";
import { runCheck } from "./run-checks";
import type { SmokeHandlerDeps } from "./smoke-handlers";
import { smokePolicyOf } from "./smoke-handlers";
import { connectionOf } from "./store";

/**
 * The smoke method's dependencies from the Odoo capability: the environment's connection and key, and the caller
 * held to the policy's `odoo.check` roles (a smoke run is a check that may write, where smoke.writes allows).
 */
export function smokeDeps(services: CoreServices, odoo: OdooDeps): SmokeHandlerDeps {
  return {
    open: (environment) => openEnvironment(services, odoo, environment),
    resolveActor: odoo.resolveActor,
    authorise: (who, environment) => assertMay({ permissions: odoo.permissions }, who, "odoo.check", null, environment),
  };
}

/** The policy's gate checks for one environment, as post-release validation runs them (values are not recorded). */
function gateChecks(services: CoreServices, odoo: OdooDeps, environment: string): ReleaseGateChecks {
  return async (client) => {
    const checks = checksFor(effectiveOdooChecks(odoo.permissions().odoo), environment);
    const now = services.clock.now();
    const results = [];
    for (const check of checks) results.push(await runCheck(client as Parameters<typeof runCheck>[0], check, now));
    return results.map((r) => ({
      name: r.id,
      // A check whose module is not installed is not a failure (the gate checks say so too).
      passed: r.status !== "fail" && r.status !== "error",
      message:
        r.status === "error"
          ? (r.note ?? "could not measure")
          : `${String(r.value)} (${r.threshold.op} ${r.threshold.value})`,
    }));
  };
}

/** Odoo's side of post-release validation: asked only where a connection is set up for the environment. */
export function releaseOdoo(services: CoreServices, odoo: OdooDeps) {
  return odooReleaseValidation({
    open: async (environment) =>
      connectionOf(services.register.db, environment) ? openEnvironment(services, odoo, environment) : null,
    policy: () => smokePolicyOf(services.gitopsDir),
    clock: services.clock,
    gateChecks: (environment) => gateChecks(services, odoo, environment),
  });
}
