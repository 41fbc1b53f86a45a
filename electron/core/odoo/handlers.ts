import { AppError, type Gate, type GateName } from "../../../shared/contract/index";
import type { OdooCheckRun, OdooConnectionView, OdooMethodName } from "../../../shared/contract/odoo";
import { checksFor, effectiveOdooChecks, type OdooCheck } from "../../../shared/domain/policy/odoo-checks";
import { TERMINAL } from "../../../shared/domain/register/lifecycle";
import { STAGES, type Stage } from "../../../shared/domain/register/vocabulary";
import type { HandlerContext, Handlers } from "../dispatch";
import type { SelfCall } from "../meeting/core-call";
import type { ActorResolver } from "../register/actor";
import { changeIdByNumber } from "../register/change-aliases";
import type { Db } from "../register/db";
import { assertMay, type PermissionDeps } from "../register/permissions";
import type { PolicyPermissions } from "../register/policy-roles";
import { liveChange } from "../register/queries";
import type { CoreServices } from "../services";
import { type OdooClient, openOdoo } from "./client";
import { checkEvidence, gateInputOf } from "./evidence";
import { type OdooKeyStore, readOdooKey, storeOdooKey } from "./keys";
import { gateOutcomes, runCheck } from "./run-checks";
import { confirmScheduled, recordScheduledGate, SCHEDULED_ACTOR } from "./scheduled";
import { connectionOf, latestRuns, listConnections, type StoredConnection, saveConnection, saveRun } from "./store";

/** What the Odoo handlers run on; the composition root supplies the key store (safeStorage in the desktop). */
export interface OdooDeps {
  readonly keyStore: OdooKeyStore;
  /** The process environment, for keys named by variable (CI pipelines). */
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly fetch?: typeof fetch;
  readonly newId: (at: Date) => string;
  readonly resolveActor: ActorResolver;
  readonly permissions: () => PolicyPermissions;
}

function keyView(services: CoreServices, deps: OdooDeps, c: StoredConnection): OdooConnectionView["key"] {
  try {
    const found = readOdooKey(
      { environment: c.environment, keyEnv: c.keyEnv },
      deps.keyStore,
      deps.env,
      services.dataDir,
    );
    return found ? { source: found.source, where: found.where } : { source: null, where: null };
  } catch (error) {
    // A key file others can read is reported, not used: the status screen shows the fix.
    return { source: null, where: error instanceof AppError ? error.message : null };
  }
}

function view(services: CoreServices, deps: OdooDeps, c: StoredConnection): OdooConnectionView {
  return { ...c, key: keyView(services, deps, c) };
}

/** Opens the environment's Odoo with its stored key; a missing connection or key says how to add it. */
export async function openEnvironment(
  services: CoreServices,
  deps: OdooDeps,
  environment: string,
): Promise<OdooClient> {
  const conn = connectionOf(services.register.db, environment);
  if (!conn) {
    throw new AppError(
      "not-found",
      `No Odoo is connected for ${environment}. Connect it with "shiftgate odoo connect --env ${environment} --url URL --db DB --login LOGIN --key-stdin" (or on the Environments page).`,
      { reason: "no-odoo-connection", environment },
    );
  }
  const key = readOdooKey({ environment, keyEnv: conn.keyEnv }, deps.keyStore, deps.env, services.dataDir);
  if (!key) {
    throw new AppError(
      "unauthorised",
      `No Odoo API key is stored for ${environment}${conn.keyEnv ? ` and ${conn.keyEnv} is not set` : ""}. Store the API user's key with "shiftgate odoo connect --env ${environment} ... --key-stdin".`,
      { kind: "wrong-key", environment },
    );
  }
  return openOdoo(conn, key.key, deps.fetch);
}

const LOOPBACK = new Set(["127.0.0.1", "localhost", "[::1]"]);

/** The API key travels in every request: plain http is refused except to this machine (a tunnel, a local proxy). */
function assertKeySafeUrl(url: string): void {
  const parsed = new URL(url);
  if (parsed.protocol === "http:" && !LOOPBACK.has(parsed.hostname)) {
    throw new AppError(
      "invalid-input",
      `${url} is plain http: the Odoo API key would cross the network unencrypted. Use the https:// address of the Odoo server.`,
      { issues: [{ path: "url", message: "https required" }] },
    );
  }
}

/**
 * A change by its register id or its CHG number (as a pipeline knows it), that can take gate records at this stage:
 * checked before Odoo is asked, so a typo or a closed change costs no run (gate.record judges it again).
 */
function changeIdOf(db: Db, idOrNumber: string, stage: Stage): string {
  const id = /^CHG-/i.test(idOrNumber) ? changeIdByNumber(db, idOrNumber) : idOrNumber;
  const row = liveChange(db, id ?? idOrNumber);
  const name = row.number ?? row.id;
  if (TERMINAL.includes(row.status)) {
    throw new AppError("illegal-transition", `${name} is ${row.status}: no gates are recorded on it any more.`, {
      from: row.status,
      allowed: [],
    });
  }
  if (STAGES.indexOf(stage) > STAGES.indexOf(row.environment)) {
    throw new AppError(
      "invalid-input",
      `${name} targets ${row.environment}; it has no ${stage} stage to record Odoo checks for. Run the checks of an environment it passes through.`,
      { issues: [{ path: "environment", message: `beyond ${row.environment}` }] },
    );
  }
  return row.id;
}

function checksInForce(deps: OdooDeps, environment?: string, gate?: GateName): OdooCheck[] {
  const all = effectiveOdooChecks(deps.permissions().odoo);
  return environment === undefined ? all : checksFor(all, environment, gate);
}

export function odooHandlers(services: CoreServices, self: SelfCall, deps: OdooDeps): Pick<Handlers, OdooMethodName> {
  const db = services.register.db;
  const rules: PermissionDeps = { permissions: deps.permissions };
  const caller = (ctx: HandlerContext, claimed: string | undefined) => ({
    actor: deps.resolveActor(claimed, ctx.door),
    door: ctx.door,
  });
  return {
    "odoo.connection.list": () => ({ connections: listConnections(db).map((c) => view(services, deps, c)) }),
    "odoo.connection.set": ({ actor, key, ...input }, ctx) => {
      const who = caller(ctx, actor);
      assertMay(rules, who, "odoo.connect", null, input.environment);
      assertKeySafeUrl(input.url);
      const before = connectionOf(db, input.environment);
      const stored: StoredConnection = { ...input, keyEnv: input.keyEnv ?? null };
      saveConnection(db, stored);
      if (key !== undefined) storeOdooKey(deps.keyStore, input.environment, key);
      // The audit row says a key was stored and where, never what it is.
      ctx.audit({
        action: "odoo.connect",
        entity: "odoo-connection",
        entityId: input.environment,
        before,
        after: { ...stored, keyStored: key === undefined ? null : deps.keyStore.source },
      });
      return view(services, deps, stored);
    },
    "odoo.connection.test": {
      async: async ({ environment }) => {
        const client = await openEnvironment(services, deps, environment);
        const conn = connectionOf(db, environment) as StoredConnection;
        return {
          environment,
          api: client.api,
          serverVersion: client.serverVersion,
          key: keyView(services, deps, conn),
        };
      },
    },
    "odoo.check.list": ({ environment }) => ({ checks: checksInForce(deps, environment) }),
    "odoo.check.latest": ({ environment }) => ({ runs: latestRuns(db, environment) }),
    "odoo.check.run": {
      async: async ({ environment, gate, changeId, actor }, ctx) => {
        const who = caller(ctx, actor);
        assertMay(rules, who, "odoo.check", null, environment);
        const checks = checksInForce(deps, environment, gate);
        if (checks.length === 0) {
          throw new AppError(
            "invalid-input",
            `No Odoo check runs in ${environment}${gate ? ` for the ${gate} gate` : ""}. Add one under policy.yaml's odoo: checks:.`,
          );
        }
        const change = changeId === undefined ? undefined : changeIdOf(db, changeId, environment);
        const client = await openEnvironment(services, deps, environment);
        const conn = connectionOf(db, environment) as StoredConnection;
        const now = ctx.clock.now();
        const results = [];
        // One after the other: a plant's Odoo is production, and these are its API user's only requests.
        for (const check of checks) results.push(await runCheck(client, check, now));
        const gates = gateOutcomes(results);
        const run: OdooCheckRun = {
          id: deps.newId(now),
          environment,
          url: conn.url,
          database: conn.database,
          api: client.api,
          serverVersion: client.serverVersion,
          ranAt: now.toISOString(),
          ranBy: who.actor,
          status: gates.some((g) => g.status === "fail")
            ? "fail"
            : gates.some((g) => g.status === "error")
              ? "error"
              : "pass",
          gates,
          checks: results,
          recorded: [],
        };
        ctx.transact(() => {
          saveRun(db, run);
          ctx.audit({
            action: "odoo.check.run",
            entity: "odoo-check-run",
            entityId: run.id,
            after: { environment, status: run.status, gates, serverVersion: run.serverVersion, api: run.api },
          });
        });
        if (change === undefined) return run;
        const recorded: Gate[] = [];
        for (const outcome of gates) {
          // A gate whose checks could not measure has no result to record: the run says why.
          if (outcome.status === "error") continue;
          const input = { ...gateInputOf(run, outcome, checkEvidence(run, outcome)), changeId: change };
          recorded.push(
            who.actor === SCHEDULED_ACTOR
              ? recordScheduledGate(
                  db,
                  ctx,
                  () => deps.permissions().gates,
                  () => deps.newId(now),
                  input,
                )
              : await self.call("gate.record", { ...input, actor }, ctx.door),
          );
        }
        return { ...run, recorded };
      },
    },
    "odoo.check.confirm": {
      async: async ({ gateId, actor }, ctx) =>
        confirmScheduled(db, self, ctx, gateId, { claimed: actor, resolved: deps.resolveActor(actor, ctx.door) }),
    },
  };
}
