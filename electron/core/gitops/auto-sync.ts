import type { GitopsSyncFocusResult, GitopsSyncTrigger } from "../../../shared/contract/methods/gitops";
import type { OutboxTimer } from "./outbox";
import type { SyncRunner } from "./sync-runner";

/** How often a running app syncs by itself when nothing else made it sync (the timer restarts after every sync). */
export const AUTO_SYNC_EVERY_MS = 5 * 60_000;

/** A window gaining focus syncs only when no sync started within this time: switching windows is not a fetch storm. */
export const FOCUS_GAP_MS = 60_000;

export interface AutoSyncOptions {
  /** Injected so tests drive the schedule without waiting; the apps pass the machine's unref'd timer. */
  readonly timer: OutboxTimer;
  readonly everyMs?: number;
}

interface AutoSyncDeps {
  readonly runner: SyncRunner;
  /** Runs one sync through the dispatcher (the `gitops.sync` method), so every rule and audit row applies. */
  readonly sync: () => Promise<unknown>;
  /** Subscribes to "the outbox pushed commits"; returns the unsubscribe. */
  readonly onPushed: (listener: () => void) => () => void;
}

/** Whether a focus starts a sync now: not while one runs, not within FOCUS_GAP_MS of the last, not with none here. */
export function focusSync(runner: SyncRunner, now: Date): GitopsSyncFocusResult {
  const status = runner.status();
  if (!status.auto.enabled) return { started: false, reason: "off" };
  if (status.running) return { started: false, reason: "running" };
  const last = status.lastAttemptAt ? Date.parse(status.lastAttemptAt) : Number.NaN;
  if (now.getTime() - last < FOCUS_GAP_MS) return { started: false, reason: "recent" };
  runner.request("focus");
  return { started: true, reason: "started" };
}

/**
 * Syncs by itself: at once on start, every `everyMs` after the last sync it ran, when asked (a window's focus, via
 * the runner) and after every push of the outbox. Each run goes through the dispatcher; a failure (offline, a
 * conflict) is recorded by the runner for the status, never thrown at anyone. Returns stop (Core.close calls it).
 */
export function startAutoSync(deps: AutoSyncDeps, options: AutoSyncOptions): () => void {
  const everyMs = options.everyMs ?? AUTO_SYNC_EVERY_MS;
  let stopped = false;
  let periodic: (() => void) | null = null;
  const kicks = new Set<() => void>();

  const run = async (trigger: GitopsSyncTrigger) => {
    if (stopped) return;
    // Joining a running sync keeps that sync's trigger; only a sync this call starts is named by it.
    if (!deps.runner.status().running) deps.runner.expect(trigger);
    await deps.sync().catch(() => undefined);
    // A sync refused before it started (no working copy) must not leave its trigger for the next one.
    deps.runner.expect(null);
    if (stopped) return;
    periodic?.();
    periodic = options.timer(() => {
      periodic = null;
      void run("timer");
    }, everyMs);
  };

  // A sync always starts from the timer, never inside the caller (a focus call returns at once; an outbox round
  // that pushed finishes before the sync that follows it queues behind it).
  const kick = (trigger: GitopsSyncTrigger) => {
    if (stopped) return;
    const cancel = options.timer(() => {
      kicks.delete(cancel);
      void run(trigger);
    }, 0);
    kicks.add(cancel);
  };

  const detach = deps.runner.attach(kick, everyMs);
  // A push made by a running sync is followed by that sync's own fetch: only a push outside one asks for another.
  const unsubscribe = deps.onPushed(() => {
    if (!deps.runner.status().running) kick("push");
  });
  kick("start");
  return () => {
    stopped = true;
    detach();
    unsubscribe();
    periodic?.();
    periodic = null;
    for (const cancel of kicks) cancel();
    kicks.clear();
  };
}
