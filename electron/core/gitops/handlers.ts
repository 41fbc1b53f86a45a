import type { Handlers } from "../dispatch";
import type { CoreServices } from "../services";

type GitopsMethodName = never;

/** Handlers for the `gitops.*` methods. */
export function gitopsHandlers(_services: CoreServices): Pick<Handlers, GitopsMethodName> {
  return {};
}
