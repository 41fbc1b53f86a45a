import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { AppError } from "../../../shared/contract/errors";
import { parsePolicy } from "../../../shared/domain/policy/index";
import { DEFAULT_SMOKE_POLICY, type SmokePolicy } from "../../../shared/domain/policy/smoke-policy";
import type { Handlers } from "../dispatch";
import type { CoreServices } from "../services";
import { runSmoke, smokeModeFor } from "./smoke";
import type { SmokeOdoo } from "./smoke-odoo";

/** What the smoke method needs from the rest of the core. */
export interface SmokeHandlerDeps {
  /** Opens the environment's Odoo with its key (o18-core's connection and key storage). */
  readonly open: (environment: string) => Promise<SmokeOdoo>;
  /** The smoke policy; defaults to the GitOps working copy's policy.yaml. */
  readonly policy?: () => SmokePolicy;
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

/** `odoo.smoke`: the policy decides the mode before Odoo is reached, then the run is made and returned. */
export function odooSmokeHandlers(services: CoreServices, deps: SmokeHandlerDeps): Pick<Handlers, "odoo.smoke"> {
  const policy = deps.policy ?? (() => smokePolicyOf(services.gitopsDir));
  return {
    "odoo.smoke": {
      async: async (input, ctx) => {
        const smoke = policy();
        const mode = smokeModeFor(input.environment, input.mode, smoke);
        const odoo = await deps.open(input.environment);
        return runSmoke(odoo, { environment: input.environment, mode, policy: smoke, clock: ctx.clock });
      },
    },
  };
}
