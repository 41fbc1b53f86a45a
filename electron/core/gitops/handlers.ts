import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { monotonicFactory } from "ulid";
import { AppError } from "../../../shared/contract/errors";
import type { MethodName } from "../../../shared/contract/index";
import { checkPolicy, parsePolicy } from "../../../shared/domain/policy/index";
import { deriveFromLedger } from "../approvals/ledger-state";
import { importRepoAssessments } from "../approvals/repo-assessments";
import { importRepoAttachments } from "../approvals/repo-attachments";
import { importRepoEmergencies } from "../approvals/repo-exceptions";
import { importRepoGates } from "../approvals/repo-gates";
import { importRepoRequests } from "../approvals/repo-requests";
import { trustLoader } from "../approvals/trust";
import { calendarIdsBeside } from "../calendar/known-plants";
import { clusterSnapshotCheck } from "../cluster/snapshot-check";
import type { HandlerContext, Handlers } from "../dispatch";
import { importRepoMeetings } from "../meeting/travel";
import { dataPaths } from "../paths";
import { identityActorResolver, osActor } from "../register/actor";
import { isPerson } from "../register/permissions";
import type { CoreServices } from "../services";
import { focusSync } from "./auto-sync";
import { changeSignatures, repoDrift } from "./change-signatures";
import { connectRepository } from "./connect";
import { firstRunDemo } from "./first-run";
import { isolatedGitContext } from "./git";
import type { Outbox } from "./outbox";
import { outboxOf } from "./outbox-registry";
import { outboxView } from "./outbox-view";
import type { RunningImageIds } from "./promotion";
import { publishCalendars } from "./publish-calendars";
import { releaseToRepo } from "./release-intent";
import { rollbackInRepo } from "./rollback";
import { submitToRepo } from "./submit";
import { syncRepo } from "./sync";
import { syncRunnerOf } from "./sync-runner";
import { pinnedTrustRoot } from "./trust-pin";
import { verifyRepo } from "./verify/verify";

type GitopsMethodName = Extract<MethodName, `gitops.${string}`>;

function workingCopy(services: CoreServices): string {
  const dir = services.gitopsDir;
  if (!dir || !existsSync(join(dir, ".git")))
    throw new AppError("not-found", "No GitOps repository is set up on this laptop yet.");
  return dir;
}

/** Handlers for the `gitops.*` methods. */
export function gitopsHandlers(
  services: CoreServices,
  options: { readonly ranIn?: RunningImageIds } = {},
): Pick<Handlers, GitopsMethodName> {
  // Made now (no git runs) so every writer over this working copy, from any door, goes through the outbox.
  outboxOf(services);
  const handlers: Pick<Handlers, GitopsMethodName> = {
    "gitops.verify": {
      async: async (input, ctx) =>
        verifyRepo({
          repo: workingCopy(services),
          rev: input.rev,
          now: input.now ? new Date(input.now) : ctx.clock.now(),
          // The root this laptop pinned when it connected, unless the caller names one.
          trustRoot:
            input.trustRoot ?? (await pinnedTrustRoot({ dir: workingCopy(services), ctx: isolatedGitContext() })),
          ctx: isolatedGitContext(),
        }),
    },
    "gitops.policy": (_input) => {
      const file = join(workingCopy(services), ".shiftgate", "policy.yaml");
      if (!existsSync(file)) throw new AppError("not-found", "The GitOps repository has no .shiftgate/policy.yaml.");
      const policy = parsePolicy(readFileSync(file, "utf8"));
      return { policy, problems: checkPolicy(policy, undefined, calendarIdsBeside(file)) };
    },
    "gitops.createDemo": {
      // Only ever builds what is missing: rebuilding over an existing demo is the CLI's `gitops demo --replace`,
      // which no page can reach (it is not a contract method).
      async: async (_input, ctx) => {
        const dir = services.gitopsDir;
        if (!dir) throw new AppError("not-found", "This install has no folder for a GitOps working copy.");
        const demo = await firstRunDemo(services.dataDir, ctx.clock);
        if (!demo) return { remote: dataPaths(services.dataDir).gitopsDemoRemote, workingCopy: dir, changes: [] };
        return { remote: demo.remote, workingCopy: demo.repo.dir, changes: demo.changes };
      },
    },
    "gitops.connect": {
      async: async (input, ctx) => {
        const confirming = input.trustRoot !== undefined;
        // A page changes which ledger this laptop follows only for a person whose key proved itself.
        const actor = identityActorResolver(services.register.db, osActor())(undefined, ctx.door);
        if (confirming && (ctx.door === "ipc" || ctx.door === "web") && !isPerson(actor))
          throw new AppError(
            "unauthorised",
            "Select your signing key (the identity menu) and let it sign its challenge before you join another repository: without a proved key this window may only look.",
            { reason: "no-proved-key" },
          );
        // Commits only this laptop holds would be stranded in the archived repository: they go out first.
        if (confirming && services.gitopsDir && existsSync(join(services.gitopsDir, ".git"))) {
          const waiting = outboxView(services.register.db, true).items.length;
          if (waiting > 0)
            throw new AppError(
              "conflict",
              `${waiting} commit(s) on this laptop have not reached the current GitOps remote yet. Push them (Push on the GitOps page) before you join another repository; nothing was changed.`,
              { reason: "unpushed", waiting },
            );
        }
        const outcome = await connectRepository(
          services.dataDir,
          { url: input.url, branch: input.branch, trustRoot: input.trustRoot, userEnv: process.env },
          isolatedGitContext(),
          ctx.clock,
          { defer: true },
        );
        if (outcome.status === "restart")
          ctx.transact(() =>
            ctx.audit({
              action: "gitops.connect",
              entity: "gitops",
              entityId: null,
              after: { url: input.url, branch: outcome.probe.branch, trustRoot: outcome.probe.trustRoot },
              reason: "Joins this repository at the next start; this register is archived then",
            }),
          );
        return { status: outcome.status === "confirm" ? "confirm" : "restart", probe: outcome.probe };
      },
    },
    "gitops.outbox": (_input) =>
      outboxView(services.register.db, !!services.gitopsDir && existsSync(join(services.gitopsDir, ".git"))),
    "gitops.push": {
      async: async (input) => {
        const outbox = requireOutbox(services);
        return outbox.push(input.passphrase);
      },
    },
    "gitops.submit": {
      async: async (input, ctx) => {
        const outbox = requireOutbox(services);
        return submitToRepo(writeDeps(services, outbox, ctx), ctx, input);
      },
    },
    "gitops.release": {
      async: async (input, ctx) => {
        const outbox = requireOutbox(services);
        const snapshotCheck = clusterSnapshotCheck(services);
        return releaseToRepo({ ...writeDeps(services, outbox, ctx), ranIn: options.ranIn, snapshotCheck }, ctx, input);
      },
    },
    "gitops.rollback": {
      async: async (input, ctx) => {
        const outbox = requireOutbox(services);
        return rollbackInRepo(writeDeps(services, outbox, ctx), ctx, input);
      },
    },
    "gitops.syncStatus": (_input) => {
      const configured = !!services.gitopsDir && existsSync(join(services.gitopsDir, ".git"));
      const waiting = outboxView(services.register.db, configured).items;
      return { configured, ...syncRunnerOf(services).status(), waiting: { count: waiting.length, items: waiting } };
    },
    "gitops.syncFocus": (_input, ctx) => focusSync(syncRunnerOf(services), ctx.clock.now()),
    "gitops.sync": {
      async: async (_input, ctx) => {
        const outbox = requireOutbox(services);
        const result = await syncRepo(services.register.db, outbox, ctx, syncRunnerOf(services));
        // Exceptions and reviews other laptops committed, now that their changes are in the register.
        const trust = await trustLoader(outbox.repo.dir, join(services.dataDir, "keys", "demo"))();
        const emergencies = await importRepoEmergencies(services.register.db, trust, ctx, outbox.repo.ctx);
        if (emergencies.exceptions.length + emergencies.reviews.length > 0)
          ctx.emit("register.changed", { entity: "exception" });
        // Gate records and waivers signed elsewhere, with the evidence the repository holds.
        if ((await importRepoGates(services.register.db, trust, ctx, outbox.repo.ctx)).length > 0)
          ctx.emit("register.changed", { entity: "gate" });
        // Evidence of a change as a whole, attached elsewhere: the same file, by the same hash, on every laptop.
        if ((await importRepoAttachments(services.register.db, trust, ctx, outbox.repo.ctx)).length > 0)
          ctx.emit("register.changed", { entity: "change" });
        // Risk answers and scores assessed elsewhere: the decision view shows the same assessment on every laptop.
        if ((await importRepoAssessments(services.register.db, trust, ctx, outbox.repo.ctx)).length > 0)
          ctx.emit("register.changed", { entity: "change" });
        // Requests for approval signed elsewhere: an assessed change waits for approval here once someone asked.
        await importRepoRequests(services.register.db, trust, ctx, outbox.repo.ctx);
        // CAB meetings other laptops' chairs closed: every laptop lists the same meetings and decisions.
        if ((await importRepoMeetings(services.register.db, trust, ctx, outbox.repo.ctx)).length > 0)
          ctx.emit("register.changed", { entity: "meeting" });
        // Decisions other laptops signed settle or defeat the quorum here too, by the one rule decide follows.
        await deriveFromLedger(services.register.db, trust, outbox, ctx);
        return result;
      },
    },
    "gitops.changeSignatures": {
      async: async (input, ctx) => {
        const number = changeNumberOf(services, input.change);
        if (!number) return { change: null, commits: [] };
        const dir = workingCopy(services);
        if (!existsSync(join(dir, "changes", number))) return { change: number, commits: [] };
        return { change: number, commits: await changeSignatures(isolatedGitContext(), dir, number, ctx.clock) };
      },
    },
    "gitops.drift": {
      async: async (_input, ctx) => ({
        unauthorised: await repoDrift(isolatedGitContext(), workingCopy(services), ctx.clock),
      }),
    },
    "gitops.publishCalendars": {
      async: async (input, ctx) => {
        const outbox = requireOutbox(services);
        return publishCalendars(writeDeps(services, outbox, ctx), ctx, input);
      },
    },
  };
  // One sync at a time for every door and the scheduler: a second request joins the running one.
  const sync = handlers["gitops.sync"];
  if (!("async" in sync)) throw new AppError("internal", "gitops.sync is an asynchronous handler.");
  return {
    ...handlers,
    "gitops.sync": { async: (input, ctx) => syncRunnerOf(services).run("manual", () => sync.async(input, ctx)) },
  };
}

// The outbox of the configured working copy; a laptop without a GitOps repository gets a clear error.
function requireOutbox(services: CoreServices): Outbox {
  workingCopy(services);
  const outbox = outboxOf(services);
  if (!outbox) throw new AppError("not-found", "No GitOps repository is set up on this laptop yet.");
  return outbox;
}

// What the commit-writing methods (submit, release, publish) share: the register, keys, outbox and ULIDs.
function writeDeps(services: CoreServices, outbox: Outbox, ctx: HandlerContext) {
  const next = monotonicFactory();
  return {
    db: services.register.db,
    dataDir: services.dataDir,
    outbox,
    newId: () => next(ctx.clock.now().getTime()),
  };
}

// A CHG number as given, or the number the register holds for its change id (null: never submitted).
function changeNumberOf(services: CoreServices, change: string): string | null {
  if (/^CHG-\d{4}-\d+$/.test(change)) return change;
  const row = services.register.db.prepare("SELECT number FROM changes WHERE id = ?").get(change) as
    | { number: string | null }
    | undefined;
  return row?.number ?? null;
}
