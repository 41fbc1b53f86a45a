import { identityActorResolver, osActor } from "../register/actor";
import { policyPermissions } from "../register/policy-roles";
import type { CoreServices } from "../services";
import type { OdooDeps } from "./handlers";
import { fileKeyStore, type OdooKeyStore } from "./keys";

/** What a composition root may choose for Odoo. */
export interface OdooOptions {
  /** Where API keys are kept: the desktop's safeStorage store; default owner-only files in the data folder. */
  readonly keyStore?: OdooKeyStore;
  /** The environment keys named by variable are read from (default process.env). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly fetch?: typeof fetch;
}

export function odooDeps(services: CoreServices, options: OdooOptions = {}): OdooDeps {
  return {
    keyStore: options.keyStore ?? fileKeyStore(services.dataDir),
    env: options.env ?? process.env,
    fetch: options.fetch,
    newId: (at) => services.ids.next(at),
    resolveActor: identityActorResolver(services.register.db, osActor()),
    permissions: policyPermissions({ gitopsDir: services.gitopsDir }),
  };
}
