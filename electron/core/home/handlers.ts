import type { HomeItem, HomeMethodName, HomeSection, HomeSummary } from "../../../shared/contract/methods/home";
import type { HandlerContext, Handlers } from "../dispatch";
import type { SelfCall } from "../meeting/core-call";
import { currentIdentity } from "../meeting/people";
import type { Db } from "../register/db";
import { stmt } from "../register/statements";
import type { CoreServices } from "../services";
import {
  approvalsSection,
  conflictsSection,
  driftSection,
  failedGatesSection,
  failedReleasesSection,
  outboxSection,
  overdueSection,
  reschedulingSection,
  type SectionEnv,
  unauthorisedSection,
} from "./sections";

async function summary(self: SelfCall, ctx: HandlerContext): Promise<HomeSummary> {
  const env: SectionEnv = { attempt: self.attempt, door: ctx.door, now: ctx.clock.now() };
  const sections: HomeSection[] = [];
  // One after the other: the register is one SQLite connection, parallel calls would only interleave.
  for (const read of [
    unauthorisedSection,
    failedReleasesSection,
    approvalsSection,
    overdueSection,
    reschedulingSection,
    conflictsSection,
    failedGatesSection,
    driftSection,
    outboxSection,
  ]) {
    sections.push(await read(env));
  }
  const me = await currentIdentity(self.attempt, ctx.door);
  return { generatedAt: env.now.toISOString(), me: me?.known ? me.email : null, sections };
}

/**
 * Records the keys not seen before and returns the ledger sequence of each current key. The ledger is
 * bookkeeping of what the desktop was told, not a register fact, so it writes no audit row.
 */
function ledger(db: Db, items: readonly HomeItem[], now: Date): Map<string, { seq: number; delivered: boolean }> {
  const out = new Map<string, { seq: number; delivered: boolean }>();
  db.transaction(() => {
    for (const item of items) {
      stmt(db, "INSERT INTO home_notifications (key, first_seen) VALUES (?, ?) ON CONFLICT (key) DO NOTHING").run(
        item.key,
        now.toISOString(),
      );
      const row = stmt(db, "SELECT seq, delivered_at FROM home_notifications WHERE key = ?").get(item.key) as {
        seq: number;
        delivered_at: string | null;
      };
      out.set(item.key, { seq: row.seq, delivered: row.delivered_at !== null });
    }
  }).immediate();
  return out;
}

/** Handlers for `home.*`: what needs me now, aggregated from every capability that is there. */
export function homeHandlers(services: CoreServices, self: SelfCall): Pick<Handlers, HomeMethodName> {
  const db = services.register.db;
  return {
    "home.summary": { async: async (_input, ctx) => summary(self, ctx) },
    "home.notifications": {
      async: async ({ after }, ctx) => {
        const now = ctx.clock.now();
        const current = (await summary(self, ctx)).sections.flatMap((s) => s.items);
        const seen = ledger(db, current, now);
        const items = current.filter((i) => {
          const entry = seen.get(i.key);
          if (!entry) return false;
          return after === undefined ? !entry.delivered : entry.seq > after;
        });
        if (after === undefined && items.length > 0) {
          const mark = stmt(db, "UPDATE home_notifications SET delivered_at = ? WHERE key = ?");
          db.transaction(() => {
            for (const i of items) mark.run(now.toISOString(), i.key);
          }).immediate();
        }
        const cursor = stmt(db, "SELECT ifnull(max(seq), 0) FROM home_notifications").pluck().get() as number;
        return { cursor, items };
      },
    },
  };
}
