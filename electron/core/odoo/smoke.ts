import { AppError } from "../../../shared/contract/errors";
import type { SmokeMode, SmokeRun } from "../../../shared/contract/odoo-smoke";
import type { SmokePolicy } from "../../../shared/domain/policy/smoke-policy";
import type { Clock } from "../clock";
import { writeFlow } from "./smoke-flow";
import { SmokeLog, StepFailed } from "./smoke-log";
import type { SmokeOdoo } from "./smoke-odoo";
import { readOnlySet } from "./smoke-read";

/**
 * The smoke a run may make in an environment: write only where policy.yaml `smoke.writes` names it (never by default,
 * so never production unless the plant writes it there); `auto` falls back to the read-only set. Refused before any
 * call reaches Odoo, so a refused run writes nothing anywhere.
 */
export function smokeModeFor(environment: string, requested: SmokeMode, policy: SmokePolicy): "write" | "read-only" {
  const allowed = (policy.writes as readonly string[]).includes(environment);
  if (requested === "read-only") return "read-only";
  if (allowed) return "write";
  if (requested === "auto") return "read-only";
  throw new AppError(
    "forbidden",
    `The policy does not allow smoke transactions to write in ${environment}: run the read-only smoke set there, or add ${environment} to smoke.writes in policy.yaml (with a dedicated test company) if the plant really wants it.`,
    { reason: "smoke-writes", environment },
  );
}

/**
 * Runs one smoke against an environment's Odoo: the read-only set, then (in write mode) the business flow, whose
 * records are then reversed and cancelled newest first, whether it finished or not. Passed only when every step and
 * every cleanup passed; what a failed cleanup left in Odoo is listed.
 */
export async function runSmoke(
  odoo: SmokeOdoo,
  options: {
    readonly environment: string;
    readonly mode: "write" | "read-only";
    readonly policy: SmokePolicy;
    readonly clock: Clock;
  },
): Promise<SmokeRun> {
  const log = new SmokeLog(options.clock);
  const startedAt = options.clock.now().toISOString();
  await readOnlySet(odoo, log, options.policy, () => options.clock.now(), options.environment);
  let leftBehind: SmokeRun["leftBehind"] = [];
  if (options.mode === "write") {
    try {
      await writeFlow(odoo, log, options.policy);
    } catch (error) {
      // A failed step is already in the log; anything else (a bug) still gets the cleanup before it surfaces.
      if (!(error instanceof StepFailed)) {
        leftBehind = await log.cleanup();
        throw error;
      }
    }
    leftBehind = await log.cleanup();
  }
  return {
    environment: options.environment,
    mode: options.mode,
    serverVersion: odoo.serverVersion,
    startedAt,
    finishedAt: options.clock.now().toISOString(),
    passed: log.steps.every((s) => s.ok),
    steps: log.steps,
    created: log.created,
    leftBehind,
    recorded: null,
  };
}
