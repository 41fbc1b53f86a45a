import type { Core } from "../../../electron/core/core";
import type { OdooCheckRun } from "../../../shared/contract/odoo";
import { type OdooStandIn, type StandInOptions, startOdooStandIn } from "../../helpers/odoo-server";
import { call } from "../register/register-fixtures";

/** The instant tempCore's fixed clock stands at: the stand-in's healthy data is dated from it. */
export const TEST_NOW = new Date("2026-12-01T08:00:00Z");

/** A stand-in Odoo dated like the test core's clock. */
export function standIn(opts: Omit<StandInOptions, "now"> = {}): Promise<OdooStandIn> {
  return startOdooStandIn({ ...opts, now: TEST_NOW });
}

/** Connects an environment of the core to the stand-in, its key stored in the data folder's 0600 file. */
export async function connectOdoo(core: Core, odoo: OdooStandIn, environment = "qa", actor?: string): Promise<void> {
  await call(core, "odoo.connection.set", {
    environment,
    url: odoo.url,
    database: odoo.database,
    login: odoo.login,
    key: odoo.apiKey,
    ...(actor ? { actor } : {}),
  });
}

/** Runs an environment's checks (one gate or all) and returns the run. */
export function runChecks(core: Core, input: Record<string, unknown>): Promise<OdooCheckRun> {
  return call<OdooCheckRun>(core, "odoo.check.run", input);
}

export function statusOf(run: OdooCheckRun, id: string): { status: string; value: number | null } {
  const check = run.checks.find((c) => c.id === id);
  if (!check) throw new Error(`the run has no check ${id}`);
  return { status: check.status, value: check.value };
}
