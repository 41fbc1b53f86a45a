import type { AppStatus } from "../../shared/contract/index";
import type { Handlers } from "./dispatch";
import { readRepoState } from "./gitops/repo-state";
import type { CoreServices } from "./services";

/** Handlers for the `app.*` methods. */
export function appHandlers(services: CoreServices): Pick<Handlers, "app.status"> {
  return {
    "app.status": {
      async: async (_input, ctx): Promise<AppStatus> => ({
        name: "Shiftgate",
        version: services.appVersion,
        registerPath: services.register.file,
        schemaVersion: services.register.schemaVersion,
        gitops: await readRepoState(services.gitopsDir),
        timeZone: services.timeZone,
        now: ctx.clock.now().toISOString(),
        door: ctx.door,
      }),
    },
  };
}
