import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { AppError } from "../../../shared/contract/errors";
import type {
  GitopsConflictFile,
  GitopsSyncResult,
  GitopsSyncStatus,
  GitopsSyncTrigger,
} from "../../../shared/contract/methods/gitops";
import type { CoreServices } from "../services";

type SyncPhase = NonNullable<GitopsSyncStatus["running"]>["phase"];

type Remembered = Pick<GitopsSyncStatus, "lastHeardAt" | "lastAttemptAt" | "lastResult" | "lastError">;

/** The core's one sync at a time, and what the last ones did (kept beside the register across restarts). */
export interface SyncRunner {
  /**
   * Runs `fn` as the sync, unless one is running: then the caller joins it and gets its result. The outcome is
   * recorded (an error too, then rethrown to the caller who asked).
   */
  run(trigger: GitopsSyncTrigger, fn: () => Promise<GitopsSyncResult>): Promise<GitopsSyncResult>;
  /** The running sync entered a phase (shown as progress). */
  progress(phase: SyncPhase): void;
  /** The running sync heard from the remote (a fetch went through). */
  heard(): void;
  /** What the status shows, without the outbox (the handler adds it). */
  status(): Remembered & Pick<GitopsSyncStatus, "running" | "auto" | "syncsSinceStart">;
  /** Asks the attached scheduler for a sync now; false when nothing runs syncs by itself in this process. */
  request(trigger: GitopsSyncTrigger): boolean;
  /** The scheduler attaches how it starts a sync (through the dispatcher) and how often it runs; returns detach. */
  attach(kick: (trigger: GitopsSyncTrigger) => void, everyMs: number): () => void;
  /** Calls listener on every phase a sync enters (the CLI prints them); returns off. */
  watch(listener: (phase: SyncPhase) => void): () => void;
  /** The trigger the next run records: a sync the scheduler started through the dispatcher names why. */
  expect(trigger: GitopsSyncTrigger | null): void;
}

const byServices = new WeakMap<CoreServices, SyncRunner>();

function statusFile(services: CoreServices): string {
  return join(services.dataDir, "sync-status.json");
}

function load(file: string): Remembered {
  const none: Remembered = { lastHeardAt: null, lastAttemptAt: null, lastResult: null, lastError: null };
  try {
    if (!existsSync(file)) return none;
    const data = JSON.parse(readFileSync(file, "utf8")) as Partial<Remembered>;
    return { ...none, ...data };
  } catch {
    // A damaged status file only loses "last heard": the next sync writes it again.
    return none;
  }
}

/** The core's sync runner, made on first use. */
export function syncRunnerOf(services: CoreServices): SyncRunner {
  const known = byServices.get(services);
  if (known) return known;
  const file = statusFile(services);
  let remembered = load(file);
  let running: GitopsSyncStatus["running"] = null;
  let current: Promise<GitopsSyncResult> | null = null;
  let kick: ((trigger: GitopsSyncTrigger) => void) | null = null;
  let everyMs: number | null = null;
  let expected: GitopsSyncTrigger | null = null;
  let runs = 0;
  const watchers = new Set<(phase: SyncPhase) => void>();
  const now = () => services.clock.now().toISOString();
  const save = () => {
    try {
      writeFileSync(`${file}.tmp`, JSON.stringify(remembered));
      renameSync(`${file}.tmp`, file);
    } catch {
      // A read-only or vanished data folder: the status lives on in memory for this run.
    }
  };
  const runner: SyncRunner = {
    run: (asked, fn) => {
      if (current) {
        expected = null;
        return current;
      }
      const trigger = expected ?? asked;
      expected = null;
      runs++;
      running = { trigger, phase: "fetching", startedAt: now() };
      remembered = { ...remembered, lastAttemptAt: running.startedAt };
      const done = (async () => {
        try {
          runner.progress("fetching");
          const result = await fn();
          const at = now();
          remembered = {
            ...remembered,
            lastResult: { at, trigger, pulled: result.pulled, imported: result.imported.length, pushed: result.pushed },
            lastError: null,
          };
          return result;
        } catch (error) {
          const e = error instanceof AppError ? error : new AppError("internal", String(error));
          const reason = e.details?.reason;
          const files = e.details?.files;
          remembered = {
            ...remembered,
            lastError: {
              at: now(),
              trigger,
              code: e.code,
              message: e.message,
              reason: typeof reason === "string" ? reason : null,
              conflicts: Array.isArray(files) ? (files as GitopsConflictFile[]) : [],
            },
          };
          throw error;
        } finally {
          running = null;
          current = null;
          save();
        }
      })();
      current = done;
      return done;
    },
    progress: (phase) => {
      if (!running) return;
      running = { ...running, phase };
      for (const watcher of watchers) watcher(phase);
    },
    heard: () => {
      if (running) remembered = { ...remembered, lastHeardAt: now() };
    },
    status: () => ({ ...remembered, running, syncsSinceStart: runs, auto: { enabled: kick !== null, everyMs } }),
    request: (trigger) => {
      if (!kick) return false;
      kick(trigger);
      return true;
    },
    attach: (fn, ms) => {
      kick = fn;
      everyMs = ms;
      return () => {
        if (kick === fn) {
          kick = null;
          everyMs = null;
        }
      };
    },
    watch: (listener) => {
      watchers.add(listener);
      return () => watchers.delete(listener);
    },
    expect: (trigger) => {
      expected = trigger;
    },
  };
  byServices.set(services, runner);
  return runner;
}
