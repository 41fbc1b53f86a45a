import type { GateName } from "../../../shared/contract/index";
import type { OdooCheckRun } from "../../../shared/contract/odoo";
import type { Db } from "../register/db";
import { stmt } from "../register/statements";

/** An environment's Odoo connection as the register keeps it: no key, at most the name of the variable holding it. */
export interface StoredConnection {
  readonly environment: string;
  readonly url: string;
  readonly database: string;
  readonly login: string;
  readonly keyEnv: string | null;
}

interface ConnectionRow {
  environment: string;
  url: string;
  database: string;
  login: string;
  key_env: string | null;
}

function fromRow(r: ConnectionRow): StoredConnection {
  return { environment: r.environment, url: r.url, database: r.database, login: r.login, keyEnv: r.key_env };
}

export function listConnections(db: Db): StoredConnection[] {
  const rows = stmt(db, "SELECT * FROM odoo_connections ORDER BY environment").all() as ConnectionRow[];
  return rows.map(fromRow);
}

export function connectionOf(db: Db, environment: string): StoredConnection | null {
  const row = stmt(db, "SELECT * FROM odoo_connections WHERE environment = ?").get(environment) as
    | ConnectionRow
    | undefined;
  return row ? fromRow(row) : null;
}

export function saveConnection(db: Db, c: StoredConnection): void {
  stmt(
    db,
    `INSERT INTO odoo_connections (environment, url, database, login, key_env) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (environment) DO UPDATE SET url = excluded.url, database = excluded.database,
       login = excluded.login, key_env = excluded.key_env`,
  ).run(c.environment, c.url, c.database, c.login, c.keyEnv);
}

/** Keeps a run: one row per gate it measured, each holding that gate's checks. */
export function saveRun(db: Db, run: OdooCheckRun): void {
  const insert = stmt(
    db,
    "INSERT INTO odoo_check_runs (run_id, environment, gate, status, ran_at, ran_by, run) VALUES (?, ?, ?, ?, ?, ?, ?)",
  );
  for (const outcome of run.gates) {
    const mine: OdooCheckRun = {
      ...run,
      status: outcome.status,
      gates: [outcome],
      checks: run.checks.filter((c) => c.gate === outcome.gate),
      recorded: [],
    };
    insert.run(run.id, run.environment, outcome.gate, outcome.status, run.ranAt, run.ranBy, JSON.stringify(mine));
  }
}

/** The latest run of a gate's checks in an environment (one gate's part of it), or null when none ran. */
export function latestRun(db: Db, environment: string, gate: GateName): OdooCheckRun | null {
  const run = stmt(
    db,
    "SELECT run FROM odoo_check_runs WHERE environment = ? AND gate = ? ORDER BY ran_at DESC, rowid DESC LIMIT 1",
  )
    .pluck()
    .get(environment, gate);
  return typeof run === "string" ? (JSON.parse(run) as OdooCheckRun) : null;
}

/** The latest run of every gate measured in an environment. */
export function latestRuns(db: Db, environment: string): OdooCheckRun[] {
  const gates = stmt(db, "SELECT DISTINCT gate FROM odoo_check_runs WHERE environment = ? ORDER BY gate")
    .pluck()
    .all(environment) as GateName[];
  return gates.flatMap((g) => latestRun(db, environment, g) ?? []);
}
