import type { Query, QueryClient } from "@tanstack/react-query";
import type { EventEnvelope } from "../../shared/contract/index";

// Which reads (by method namespace) an entity's change can make stale. An entity not listed here, an identity
// switch (who I am changes every screen) and GitOps (a sync imports anything, a connect switches the ledger)
// refresh every read.
const READS_OF: Readonly<Record<string, readonly string[]>> = {
  change: ["change", "audit", "approval", "home", "meeting", "exception", "calendar", "gitops", "report", "evidence"],
  risk: ["change", "audit", "approval", "home", "meeting", "gitops", "report"],
  gate: ["change", "audit", "approval", "home", "gitops", "odoo", "evidence", "report"],
  evidence: ["change", "audit", "evidence", "home", "report"],
  approval: ["approval", "change", "audit", "home", "meeting", "gitops", "exception", "report"],
  exception: ["exception", "change", "audit", "home", "approval", "gitops", "report"],
  meeting: ["meeting", "change", "audit", "home", "approval", "gitops", "report"],
  plant: ["plant", "calendar", "change", "home"],
  cluster: ["cluster", "change", "home", "app"],
  odoo: ["odoo", "change", "audit", "home"],
  // A sync that moved nothing (no commit in or out): only what it says about itself, when it last heard the remote.
  sync: ["gitops"],
};

const REMEMBERED = 1_000;

/** The method namespaces an event's entity can make stale, or "all". */
function readsOf(entity: string): readonly string[] | "all" {
  return READS_OF[entity] ?? "all";
}

/**
 * Refreshes the queries the events name, once per event: a window's own call brings its events back in the result
 * and the event stream delivers them again (or first, or not at all while a socket is down), so each event's stamp
 * is acted on by whichever path brings it first.
 */
export function createInvalidator(queryClient: QueryClient) {
  const seen = new Set<number>();
  return {
    async apply(events: readonly EventEnvelope[]): Promise<void> {
      const fresh = events.filter((e) => e.event === "register.changed" && (e.seq === undefined || !seen.has(e.seq)));
      if (fresh.length === 0) return;
      for (const e of fresh) if (e.seq !== undefined) seen.add(e.seq);
      // An event comes back at most twice, moments apart: the latest stamps are all that need remembering.
      for (const old of seen) {
        if (seen.size <= REMEMBERED) break;
        seen.delete(old);
      }
      const reads = fresh.map((e) => readsOf((e.payload as { entity: string }).entity));
      const namespaces = reads.includes("all") ? null : new Set(reads.flat());
      const predicate = (query: Query) =>
        namespaces === null || namespaces.has(String(query.queryKey[0]).split(".")[0] ?? "");
      // A read still in flight was asked before the change: an invalidation would only join it (TanStack joins a
      // first fetch that has no data yet), so a screen opened just before a key switch kept the previous person's
      // inbox. Cancel such reads first, then each stale query is read again once.
      await queryClient.cancelQueries({ predicate });
      await queryClient.invalidateQueries({ predicate });
    },
  };
}

export type Invalidator = ReturnType<typeof createInvalidator>;
