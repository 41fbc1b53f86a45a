import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { AppError } from "../../../shared/contract/errors";
import type { Gate } from "../../../shared/contract/index";
import { parsePolicy } from "../../../shared/domain/policy/index";
import { DEFAULT_SMOKE_POLICY, type SmokePolicy } from "../../../shared/domain/policy/smoke-policy";
import type { Handlers } from "../dispatch";
import type { SelfCall } from "../meeting/core-call";
import type { ActorResolver } from "../register/actor";
import type { CoreServices } from "../services";
import { runSmoke, smokeModeFor } from "./smoke";
import { smokeGateInput } from "./smoke-evidence";
import type { SmokeOdoo } from "./smoke-odoo";

/** What the smoke method needs from the rest of the core. */
export interface SmokeHandlerDeps {
  /** Opens the environment's Odoo with its key (o18-core's connection and key storage). */
  readonly open: (environment: string) => Promise<SmokeOdoo>;
  /** The smoke policy; defaults to the GitOps working copy's policy.yaml. */
  readonly policy?: () => SmokePolicy;
  /** Who the caller is (the proved key holder), as the run's evidence names them. */
  readonly resolveActor: ActorResolver;
}

/** The policy.yaml `smoke:` section of a working copy; read-only everywhere when there is none. */
export function smokePolicyOf(gitopsDir: string | null): SmokePolicy {
  if (gitopsDir === null) return DEFAULT_SMOKE_POLICY;
  const file = join(gitopsDir, ".shiftgate", "policy.yaml");
  if (!existsSync(file)) return DEFAULT_SMOKE_POLICY;
  return parsePolicy(readFileSync(file, "utf8")).smoke ?? DEFAULT_SMOKE_POLICY;
}

/** Until an environment's Odoo connection is set up, a smoke run says how to set it up. */
export function noOdooConnection(environment: string): Promise<SmokeOdoo> {
  return Promise.reject(
    new AppError(
      "unavailable",
      `No Odoo connection is set up for ${environment}: connect it first (Environments page, or \`shiftgate odoo connect --env ${environment}\`).`,
    ),
  );
}

/**
 * `odoo.smoke`: the policy decides the mode before Odoo is reached, then the run is made; for a change, it is recorded
 * as the change's "smoke-tests" gate through gate.record (the recorder's role and signature as for any gate).
 */
export function odooSmokeHandlers(
  services: CoreServices,
  self: SelfCall,
  deps: SmokeHandlerDeps,
): Pick<Handlers, "odoo.smoke"> {
  const policy = deps.policy ?? (() => smokePolicyOf(services.gitopsDir));
  return {
    "odoo.smoke": {
      async: async ({ environment, mode: requested, changeId, actor }, ctx) => {
        const smoke = policy();
        const mode = smokeModeFor(environment, requested, smoke);
        const odoo = await deps.open(environment);
        const run = await runSmoke(odoo, { environment, mode, policy: smoke, clock: ctx.clock });
        if (changeId === undefined) return run;
        const input = smokeGateInput(run, deps.resolveActor(actor, ctx.door));
        const gate = (await self.call("gate.record", { ...input, changeId, actor }, ctx.door)) as Gate;
        return { ...run, recorded: { id: gate.id, result: gate.result } };
      },
    },
  };
}
