import type { Handlers } from "../dispatch";
import type { CoreServices } from "../services";

type ApprovalsMethodName = never;

/** Handlers for the `approvals.*` methods. */
export function approvalsHandlers(_services: CoreServices): Pick<Handlers, ApprovalsMethodName> {
  return {};
}
