import type { EventEnvelope } from "../../../shared/contract/events";
import type { OutboxTimer } from "./outbox";

/** What a republish did: committed windows, found nothing to change, or could not (who is selected, no repository…). */
export type RepublishOutcome =
  | { readonly state: "published"; readonly intent: string; readonly files: readonly string[] }
  | { readonly state: "unchanged" }
  | { readonly state: "skipped"; readonly code: string; readonly message: string };

type Call = (
  method: "gitops.publishCalendars",
  input: Record<string, never>,
) => Promise<{ ok: true; value: unknown } | { ok: false; error: { code: string; message: string } }>;

/** Re-runs gitops.publishCalendars: the one publish path, so the same role, signing, outbox and audit row apply. */
async function republishCalendars(call: Call): Promise<RepublishOutcome> {
  const result = await call("gitops.publishCalendars", {});
  if (!result.ok) return { state: "skipped", code: result.error.code, message: result.error.message };
  const value = result.value as { intent: string | null; files: readonly string[] };
  return value.intent === null
    ? { state: "unchanged" }
    : { state: "published", intent: value.intent, files: value.files };
}

export const REPUBLISH_EVERY_MS = 24 * 60 * 60_000;

/**
 * Keeps the published sync windows in step: republishes once a day (per-instance entries move with the date; verify
 * flags windows stale 35 days before they run out) and after every calendar change. A laptop whose selected key is
 * not a policy-admin's only logs the skip: another laptop, or CI's sync-windows-stale finding, catches it.
 */
export function startCalendarRepublish(
  core: { readonly call: Call; onEvent(listener: (event: EventEnvelope) => void): () => void },
  options: {
    readonly timer: OutboxTimer;
    readonly everyMs?: number;
    readonly log?: (outcome: RepublishOutcome) => void;
  },
): () => void {
  let cancel: (() => void) | null = null;
  let running = false;
  let again = false;
  // A change arriving during a run is published by one more run after it, never lost.
  const run = async (): Promise<void> => {
    if (running) {
      again = true;
      return;
    }
    running = true;
    try {
      do {
        again = false;
        options.log?.(await republishCalendars(core.call));
      } while (again);
    } finally {
      running = false;
    }
  };
  const every = () => {
    cancel = options.timer(() => {
      void run().finally(every);
    }, options.everyMs ?? REPUBLISH_EVERY_MS);
  };
  every();
  const stopListening = core.onEvent((event) => {
    if (event.event === "register.changed" && (event.payload as { entity: string }).entity === "plant") void run();
  });
  return () => {
    cancel?.();
    stopListening();
  };
}
