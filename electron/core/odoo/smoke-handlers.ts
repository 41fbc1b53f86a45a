import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Gate } from "../../../shared/contract/index";
import { parsePolicy } from "../../../shared/domain/policy/index";
import { DEFAULT_SMOKE_POLICY, type SmokePolicy } from "../../../shared/domain/policy/smoke-policy";
import type { Door, Handlers } from "../dispatch";
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
  /** Throws unless the caller may run Odoo checks in the environment (policy.yaml `actions: odoo.check`). */
  readonly authorise?: (who: { readonly actor: string; readonly door: Door }, environment: string) => void;
}

/** The policy.yaml `smoke:` section of a working copy; read-only everywhere when there is none. */
export function smokePolicyOf(gitopsDir: string | null): SmokePolicy {
  if (gitopsDir === null) return DEFAULT_SMOKE_POLICY;
  const file = join(gitopsDir, ".shiftgate", "policy.yaml");
  if (!existsSync(file)) return DEFAULT_SMOKE_POLICY;
  return parsePolicy(readFileSync(file, "utf8")).smoke ?? DEFAULT_SMOKE_POLICY;
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
        const ranBy = deps.resolveActor(actor, ctx.door);
        deps.authorise?.({ actor: ranBy, door: ctx.door }, environment);
        const mode = smokeModeFor(environment, requested, smoke);
        const odoo = await deps.open(environment);
        const run = await runSmoke(odoo, { environment, mode, policy: smoke, clock: ctx.clock });
        // Every run is in the audit chain, with what it left in Odoo: a business system was written to or read.
        ctx.transact(() =>
          ctx.audit({
            action: "odoo.smoke",
            entity: "odoo-smoke-run",
            entityId: environment,
            after: {
              mode: run.mode,
              passed: run.passed,
              serverVersion: run.serverVersion,
              failed: run.steps.filter((s) => !s.ok).map((s) => s.name),
              created: run.created.map((r) => `${r.model} ${r.name}`),
              leftBehind: run.leftBehind.map((r) => `${r.model} ${r.name}`),
            },
          }),
        );
        if (changeId === undefined) return run;
        const input = smokeGateInput(run, ranBy);
        const gate = (await self.call("gate.record", { ...input, changeId, actor }, ctx.door)) as Gate;
        return { ...run, recorded: { id: gate.id, result: gate.result } };
      },
    },
  };
}
