import type { OdooPolicy } from "../../../shared/domain/policy/odoo-checks";
import { durationMs } from "../../../shared/domain/policy/people";
import type { OutboxTimer } from "../gitops/outbox";

/** While the policy names no schedule, how often the app looks again whether a signed policy change named one. */
export const SCHEDULE_POLL_MS = 5 * 60_000;

interface ScheduledChecksDeps {
  /** The schedule in force now (policy.yaml `odoo: schedule:`), read again before every round: null when off. */
  readonly schedule: () => OdooPolicy["schedule"] | null;
  /** The environments with an Odoo connection set up (others are skipped, not an error). */
  readonly connected: () => Promise<readonly string[]>;
  /** Runs one environment's checks as system:odoo through the dispatcher (odoo.check.run), so every rule applies. */
  readonly run: (environment: string) => Promise<unknown>;
}

/**
 * Runs the scheduled Odoo checks (off unless policy.yaml names `odoo: schedule:`): every `every`, each scheduled
 * environment with a connection, one after the other, as system:odoo. A run keeps its result like any other (the
 * latest run of a gate's checks is what the failing-check rule reads); one that cannot reach Odoo is left for the
 * next round, never thrown at anyone. Returns stop (Core.close calls it).
 */
export function startScheduledChecks(deps: ScheduledChecksDeps, options: { readonly timer: OutboxTimer }): () => void {
  let stopped = false;
  let cancel: (() => void) | null = null;

  const arm = () => {
    const schedule = deps.schedule();
    const every = schedule ? durationMs(schedule.every) : SCHEDULE_POLL_MS;
    cancel = options.timer(() => {
      cancel = null;
      void round();
    }, every);
  };

  const round = async () => {
    if (stopped) return;
    const schedule = deps.schedule();
    if (schedule) {
      const connected = new Set(await deps.connected().catch(() => []));
      for (const environment of schedule.environments) {
        if (stopped) return;
        if (connected.has(environment)) await deps.run(environment).catch(() => undefined);
      }
    }
    if (!stopped) arm();
  };

  arm();
  return () => {
    stopped = true;
    cancel?.();
    cancel = null;
  };
}
