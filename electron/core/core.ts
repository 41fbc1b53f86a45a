import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { type EventEnvelope, isMethodName, methods } from "../../shared/contract/index";
import type { EnvironmentName } from "../../shared/contract/methods/cluster";
import { appHandlers } from "./app-status";
import { approvalsHandlers, defaultApprovalsDeps } from "./approvals/handlers";
import { ledgerSettler } from "./approvals/ledger-state";
import { signAs } from "./approvals/sign-as";
import { seedDemoPlants } from "./calendar/demo-plants";
import { calendarHandlers } from "./calendar/handlers";
import { type Clock, systemClock } from "./clock";
import { approvedFromWorkingCopy } from "./cluster/approved-source";
import { clusterHandlers, createClusterService } from "./cluster/handlers";
import { followReleases, settlingReleases } from "./cluster/pending-releases";
import { releaseFindingsOf } from "./cluster/release-authority";
import { releaseCommitsOf } from "./cluster/release-commits";
import { createDispatcher, type Dispatch, type Door } from "./dispatch";
import { emergencyRules } from "./exceptions/emergency-sod";
import { exceptionsHandlers } from "./exceptions/handlers";
import { type AutoSyncOptions, startAutoSync } from "./gitops/auto-sync";
import { startGitops } from "./gitops/first-run";
import { gitopsHandlers } from "./gitops/handlers";
import { type OutboxTimer, systemTimer } from "./gitops/outbox";
import { outboxOf } from "./gitops/outbox-registry";
import { startCalendarRepublish } from "./gitops/republish";
import { syncRunnerOf } from "./gitops/sync-runner";
import { homeHandlers } from "./home/handlers";
import { identityHandlers } from "./identity/handlers";
import { type IdSource, ulidSource } from "./ids";
import { ledgerImports } from "./ledger-imports";
import { type CoreLifecycle, coreLifecycle } from "./lifecycle";
import { selfCall } from "./meeting/core-call";
import { meetingHandlers } from "./meeting/handlers";
import { startScheduledChecks } from "./odoo/check-schedule";
import { type OdooOptions, odooDeps } from "./odoo/deps";
import { odooHandlers } from "./odoo/handlers";
import { SCHEDULED_ACTOR } from "./odoo/scheduled";
import { odooSmokeHandlers } from "./odoo/smoke-handlers";
import { releaseOdoo, smokeDeps } from "./odoo/smoke-wiring";
import { dataPaths } from "./paths";
import { identityActorResolver, osActor } from "./register/actor";
import { appendAudit } from "./register/audit";
import { openRegister, translateSqliteError } from "./register/db";
import { seedDemoRegister } from "./register/demo-seed";
import { defaultRegisterDeps, registerHandlers } from "./register/handlers";
import { loadMigrations } from "./register/migrations";
import { systemTransition } from "./register/system-moves";
import { reportsHandlers } from "./reports/handlers";
import type { CoreServices } from "./services";

export interface CoreOptions {
  readonly dataDir: string;
  readonly appVersion: string;
  /** Register file; defaults to register.sqlite in the data folder. */
  readonly registerFile?: string;
  readonly clock?: Clock;
  /** The source of new row ids (default: ULIDs with crypto randomness); tests pass a seeded one. */
  readonly ids?: IdSource;
  readonly timeZone?: string;
  /** Folder holding the NNNN_name.sql migrations (bundles copy it beside their output). */
  readonly migrationsDir?: string;
  /** better-sqlite3 binary for another ABI (Electron). */
  readonly nativeBinding?: string;
  readonly log?: (message: string, error: unknown) => void;
  /** Fill a brand-new register with the demo plant network (default true; an existing file is never seeded). */
  readonly demo?: boolean;
  /** Open the register read-only (commands that only read): it must exist and is never written. */
  readonly readonly?: boolean;
  /** Registers above this size are page-checked after opening (see register/page-check.ts). */
  readonly pageCheckAtOpenMaxBytes?: number;
  /** Odoo: where API keys are kept (the desktop passes its safeStorage store; default 0600 files), env, fetch. */
  readonly odoo?: OdooOptions;
  /** Every timer the core schedules goes through this (default: the machine's, unref'd); close() cancels them. */
  readonly timer?: OutboxTimer;
  /**
   * What a running app does by itself (the desktop and the browser door set it; the CLI and tests do not): the
   * first-run demo repository and outbox recovery, auto-sync, scheduled Odoo checks and the calendar republish.
   */
  readonly background?: boolean;
}

/** A running core: one dispatcher over one register, with an event stream for the doors. */
export interface Core {
  readonly services: CoreServices;
  call(method: string, input: unknown, door?: Door): ReturnType<Dispatch>;
  onEvent(listener: (event: EventEnvelope) => void): () => void;
  /** Syncs with the GitOps remote by itself (start, timer, focus, after a push) until close; the apps call it. */
  startAutoSync(options: AutoSyncOptions): void;
  /** Runs the Odoo checks policy.yaml schedules (`odoo: schedule:`; none by default) as system:odoo until close. */
  startScheduledChecks(options: { readonly timer: OutboxTimer }): void;
  /**
   * Stops every timer, watch and background part of the core at once and refuses every later call; git work already
   * under way on the working copy (a commit, a push, a sync's fetch) is let finish, up to CLOSE_WAIT_MS, and the
   * register closes after it. Settles once the register is closed; a second call gives the same promise.
   */
  close(): Promise<void>;
}

/** The migrations shipped beside this file (sources) or copied beside the bundle (electron-vite). */
export function defaultMigrationsDir(): string {
  return fileURLToPath(new URL("./register/migrations", import.meta.url));
}

/** Opens the register and wires every capability's handlers into one dispatcher. */
export async function createCore(options: CoreOptions): Promise<Core> {
  const clock = options.clock ?? systemClock;
  const ids = options.ids ?? ulidSource();
  const life = coreLifecycle(options.timer ?? systemTimer);
  const paths = dataPaths(options.dataDir);
  const file = options.registerFile ?? paths.register;
  const brandNew = file === ":memory:" || !existsSync(file);
  const register = await openRegister({
    file,
    migrations: loadMigrations(options.migrationsDir ?? defaultMigrationsDir()),
    clock,
    nativeBinding: options.nativeBinding,
    readonly: options.readonly,
    pageCheckAtOpenMaxBytes: options.pageCheckAtOpenMaxBytes,
  });
  // A data folder connected to a plant's repository gets its changes from that repository, never the demo's.
  const connected = existsSync(join(dirname(paths.gitopsWorkingCopy), "connection.json"));
  if (brandNew && options.demo !== false && !options.readonly && !connected) {
    register.db.transaction(() => {
      seedDemoRegister(register.db, { year: clock.now().getUTCFullYear(), ids });
      seedDemoPlants(register.db, clock);
    })();
  }
  const services: CoreServices = {
    appVersion: options.appVersion,
    dataDir: options.dataDir,
    register,
    clock,
    ids,
    timeZone: options.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone,
    gitopsDir: paths.gitopsWorkingCopy,
  };
  const actorOfCall = identityActorResolver(register.db, osActor());
  // The outbox is made here, with the core's own timer, and stopped at close (writers find it through outboxOf).
  const outbox = outboxOf(services, life.timer);
  life.own(() => outbox?.stop());
  const listeners = new Set<(event: EventEnvelope) => void>();
  // Meetings, reports and home call the other capabilities through the contract, via this very dispatcher.
  const self = selfCall(() => dispatch);
  const odoo = odooDeps(services, options.odoo);
  const releases = followReleases({
    call: self.call,
    move: (ctx, move) => systemTransition(register.db, ctx, "cluster", move),
    releases: releaseCommitsOf(services.gitopsDir),
    findings: releaseFindingsOf(services.gitopsDir, clock),
    // The change closes only when the environment's Odoo agrees with the cluster (where a connection is set up).
    odoo: releaseOdoo(services, odoo),
    log: options.log,
  });
  // One set of approvals effects: the meeting signs as an attendee through the same trust, ids and outbox.
  const approvals = defaultApprovalsDeps(services, emergencyRules);
  const cluster = createClusterService(services, {
    approved: approvedFromWorkingCopy(services.gitopsDir, clock),
    pendingReleases: releases.pendingReleases,
    // Watches wait through the core's lifecycle: a backoff never outlives close().
    live: { sleep: life.sleep, idleMs: 120_000 },
  });
  life.own(() => cluster.reset());
  const closing = new AbortController();
  life.own(() => closing.abort());
  const dispatch = createDispatcher({
    handlers: {
      ...appHandlers(services),
      // A change asking for approval again takes at once the state its already-signed decisions give it.
      ...registerHandlers(services, {
        ...defaultRegisterDeps(services),
        settleFromLedger: ledgerSettler(services),
        closing: closing.signal,
      }),
      ...identityHandlers(services, approvals),
      ...approvalsHandlers(services, approvals),
      ...exceptionsHandlers(services, approvals),
      ...calendarHandlers(services),
      // A release to a protected stage asks the cluster view's own service what the previous stage runs.
      ...gitopsHandlers(services, {
        ranIn: (environment) => cluster.imageIds(environment as EnvironmentName),
        afterSync: ledgerImports(services),
      }),
      ...settlingReleases(clusterHandlers(services, { service: cluster }), releases),
      ...meetingHandlers(services, self, signAs(services, approvals)),
      ...reportsHandlers(services, self),
      ...homeHandlers(services, self),
      ...odooHandlers(services, self, odoo),
      ...odooSmokeHandlers(services, self, smokeDeps(services, odoo)),
    },
    clock,
    ids,
    storage: {
      transaction: (fn) => {
        register.assertWritable();
        return register.db.transaction(fn).immediate();
      },
      // A row that names no actor is the act of whoever holds the proved key; the OS user only when none is.
      writeAudit: (entries, meta) => appendAudit(register.db, entries, meta, actorOfCall(undefined, meta.door)),
    },
    onEvent: (event) => {
      for (const listener of listeners) listener(event);
    },
    translateError: (error) => translateSqliteError(error),
    log: options.log,
  });
  let stopAutoSync: (() => void) | null = null;
  let stopChecks: (() => void) | null = null;
  life.own(() => {
    // Timers first: no sync or check run may start on a register that is closing.
    stopAutoSync?.();
    stopAutoSync = null;
    stopChecks?.();
    stopChecks = null;
  });
  // Once the page check has settled a write starts at once, like a read: an extra turn for writes only would let a
  // read made after a write run before it (a status read right after `gitops.sync` saw no sync running).
  let pageCheckSettled = false;
  register.pageCheck.then(
    () => {
      pageCheckSettled = true;
    },
    () => undefined,
  );
  let closed: Promise<void> | null = null;
  const core: Core = {
    services,
    // A write waits for the page check of a large register (reads need not: a damaged page fails the read).
    call: async (method, input, door) => {
      if (life.closed) return closedResult();
      if (!pageCheckSettled && isMethodName(method) && methods[method].mutates) await register.pageCheck;
      return dispatch(method, input, door);
    },
    onEvent: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    startAutoSync: (autoOptions) => {
      if (life.closed) return;
      stopAutoSync?.();
      stopAutoSync = startAutoSync(
        {
          runner: syncRunnerOf(services),
          sync: () => dispatch("gitops.sync", {}, "direct"),
          onPushed: (listener) => outbox?.onPushed(listener) ?? (() => undefined),
        },
        { ...autoOptions, timer: life.track(autoOptions.timer) },
      );
    },
    startScheduledChecks: (checkOptions) => {
      if (life.closed) return;
      stopChecks?.();
      stopChecks = startScheduledChecks(
        {
          schedule: () => odoo.permissions().odoo?.schedule ?? null,
          connected: async () => {
            const listed = await dispatch("odoo.connection.list", {}, "direct");
            return listed.ok
              ? (listed.value as { connections: { environment: string }[] }).connections.map((c) => c.environment)
              : [];
          },
          run: (environment) => dispatch("odoo.check.run", { environment, actor: SCHEDULED_ACTOR }, "direct"),
        },
        { timer: life.track(checkOptions.timer) },
      );
    },
    close: () => {
      if (closed) return closed;
      life.close();
      listeners.clear();
      // A push killed half-way is safe (the next start pushes again), but the process would outlive the core and
      // write into the repository after the app said it had stopped; its row would stay unmarked.
      const busy = outbox?.settled() ?? null;
      if (busy === null) {
        register.close();
        closed = Promise.resolve();
      } else {
        closed = within(busy, CLOSE_WAIT_MS).then(() => register.close());
      }
      return closed;
    },
  };
  if (options.background && !options.readonly) await startBackground(core, life, options.log);
  return core;
}

/** How long a closing core lets git work under way finish before it closes the register regardless. */
const CLOSE_WAIT_MS = 30_000;

/** Settles when `work` does or after `ms`, whichever comes first (the wait never keeps the process alive). */
function within(work: Promise<void>, ms: number): Promise<void> {
  return new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    timer.unref();
    void work.finally(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/** What a call to a closed core answers: data, like every other refusal. */
function closedResult(): { ok: false; error: { code: "unavailable"; message: string } } {
  return {
    ok: false,
    error: {
      code: "unavailable",
      message: "Shiftgate has shut down and is not answering any more: close this window and start Shiftgate again.",
    },
  };
}

// The running app's own work, started once the core is up and stopped by its close().
async function startBackground(core: Core, life: CoreLifecycle, log: CoreOptions["log"]): Promise<void> {
  await startGitops(core.services, log);
  // Fetch on start, on focus, on a timer and after every push (the page asks on focus; the core rate-limits it).
  core.startAutoSync({ timer: life.timer });
  core.startScheduledChecks({ timer: life.timer });
  // Sync windows follow the calendars: daily and after every calendar change, through the one publish path.
  life.own(
    startCalendarRepublish(
      { call: (method, input) => core.call(method, input, "direct"), onEvent: core.onEvent },
      {
        timer: life.timer,
        log: (outcome) => {
          if (outcome.state === "skipped") log?.(`Sync windows not republished: ${outcome.message}`, null);
        },
      },
    ),
  );
}
