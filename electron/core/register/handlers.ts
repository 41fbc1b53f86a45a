import type { Handlers } from "../dispatch";
import type { CoreServices } from "../services";

type RegisterMethodName = never;

/** Handlers for the `register.*` methods. */
export function registerHandlers(_services: CoreServices): Pick<Handlers, RegisterMethodName> {
  return {};
}
