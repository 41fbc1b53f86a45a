import type { Handlers } from "../dispatch";
import type { CoreServices } from "../services";

type ClusterMethodName = never;

/** Handlers for the `cluster.*` methods. */
export function clusterHandlers(_services: CoreServices): Pick<Handlers, ClusterMethodName> {
  return {};
}
