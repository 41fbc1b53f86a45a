import type { Handlers } from "../dispatch";
import type { CoreServices } from "../services";

type CalendarMethodName = never;

/** Handlers for the `calendar.*` methods. */
export function calendarHandlers(_services: CoreServices): Pick<Handlers, CalendarMethodName> {
  return {};
}
