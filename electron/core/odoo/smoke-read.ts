import type { SmokePolicy } from "../../../shared/domain/policy/smoke-policy";
import { MeasuredFailure, type SmokeLog } from "./smoke-log";
import { type OdooRow, odooDatetime, type SmokeOdoo, searchRead } from "./smoke-odoo";

/** Module states that mean an upgrade or install was started and not finished (ir.module.module.state). */
const UNFINISHED_MODULE_STATES = ["to upgrade", "to install", "to remove"] as const;

/** The installed modules and those left half-way, as ir.module.module reports them. */
interface ModuleStates {
  readonly installed: number;
  /** name (state) of every module left to upgrade, install or remove. */
  readonly unfinished: readonly string[];
  /**
   * Installed modules whose code in the running image (installed_version, read from its manifest) is newer than the
   * version the database was upgraded to (latest_version): the release brought code its database never took.
   */
  readonly behind: readonly string[];
}

/** Reads the module states: what a release intended (its image's manifests) against what the database holds. */
export async function moduleStates(odoo: SmokeOdoo): Promise<ModuleStates> {
  const rows = await searchRead(
    odoo,
    "ir.module.module",
    [["state", "in", ["installed", ...UNFINISHED_MODULE_STATES]]],
    ["name", "state", "latest_version", "installed_version"],
    5000,
  );
  const installed = rows.filter((r) => r.state === "installed");
  return {
    installed: installed.length,
    unfinished: rows.filter((r) => r.state !== "installed").map((r) => `${text(r.name)} (${text(r.state)})`),
    behind: installed
      .filter(isBehind)
      .map((r) => `${text(r.name)} ${text(r.latest_version)} → ${text(r.installed_version)}`),
  };
}

function isBehind(row: OdooRow): boolean {
  const code = row.installed_version;
  const db = row.latest_version;
  return typeof code === "string" && typeof db === "string" && code !== "" && db !== "" && code !== db;
}

function text(value: unknown): string {
  return typeof value === "string" ? value : String(value ?? "");
}

/**
 * The smoke set that never writes: the server answers its version, no module is half-installed, orders flow. Every
 * step runs even after one fails, so the record shows the whole picture; the run passes when all passed.
 */
export async function readOnlySet(
  odoo: SmokeOdoo,
  log: SmokeLog,
  policy: SmokePolicy,
  now: () => Date,
  environment: string,
): Promise<void> {
  const settle = (done: Promise<void>) => done.catch(() => undefined);
  await settle(
    log.step("server version", async () => {
      if (!odoo.serverVersion) throw new Error("Odoo did not report its server version on /web/version.");
      return { detail: `Odoo ${odoo.serverVersion}`, measured: { serverVersion: odoo.serverVersion } };
    }),
  );
  await settle(
    log.step("installed modules", async () => {
      const states = await moduleStates(odoo);
      const measured = { installed: states.installed, unfinished: states.unfinished.length };
      if (states.installed === 0) throw new Error("Odoo reports no installed module: is this the right database?");
      if (states.unfinished.length > 0) {
        throw new MeasuredFailure(
          `Modules are left half-way: ${states.unfinished.slice(0, 10).join(", ")}. Finish the upgrade (odoo -u) before relying on this Odoo.`,
          measured,
        );
      }
      return { detail: `${states.installed} modules installed, none left to upgrade or install`, measured };
    }),
  );
  if (!(policy.ordersFlowIn as readonly string[]).includes(environment)) return;
  await settle(
    log.step("recent orders flowing", async () => {
      const since = new Date(now().getTime() - policy.recentOrdersHours * 3_600_000);
      const count = await odoo.call("sale.order", "search_count", [], {
        domain: [["date_order", ">=", odooDatetime(since)]],
      });
      const orders = typeof count === "number" ? count : 0;
      const measured = { orders, threshold: `>= 1 in ${policy.recentOrdersHours}h` };
      if (orders < 1) {
        throw new MeasuredFailure(
          `No sale order was created in the last ${policy.recentOrdersHours} hours: check that orders still reach Odoo (EDI, shop, interfaces).`,
          measured,
        );
      }
      return { detail: `${orders} sale orders in the last ${policy.recentOrdersHours} hours`, measured };
    }),
  );
}
