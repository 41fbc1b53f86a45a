import { z } from "zod";

/** Events the core emits after a commit; the renderer refreshes the queries they name. */
export const events = {
  "register.changed": z.object({ entity: z.string(), id: z.string().optional() }),
  "app.notice": z.object({ level: z.enum(["info", "warning", "error"]), message: z.string() }),
} as const;

export type EventName = keyof typeof events;
export type EventPayload<E extends EventName> = z.infer<(typeof events)[E]>;

/** An event as it crosses a door. */
export interface EventEnvelope<E extends EventName = EventName> {
  readonly event: E;
  readonly payload: EventPayload<E>;
  /**
   * The dispatcher's stamp, unique in one run of the core: the same event reaches a window twice (in its own call's
   * result and on the event stream), and the window acts on it once.
   */
  readonly seq?: number;
}

/** The entity a method's writes concern when its handler names none: its namespace ("gitops.push" → "gitops"). */
export function methodEntity(method: string): string {
  return method.split(".")[0] ?? method;
}
