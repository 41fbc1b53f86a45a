import { join } from "node:path";
import type { HandlerContext } from "../dispatch";
import type { Outbox } from "../gitops/outbox";
import { outboxOf } from "../gitops/outbox-registry";
import type { Db } from "../register/db";
import { systemTransition } from "../register/system-moves";
import type { CoreServices } from "../services";
import { recordQuorumMet } from "./approval-store";
import { rejectionReason } from "./decide";
import { gitopsPublisher } from "./publisher";
import { loadChangeState } from "./state";
import { type Trust, trustLoader } from "./trust";

type Moved = { readonly id: string; readonly to: "approved" | "rejected" };

/**
 * After Sync: every numbered change awaiting approval takes the state the repository's signed decisions give it,
 * by the same rule approval.decide follows (a rejection that leaves the quorum impossible → rejected; a quorum met →
 * approved). The moves are automatic steps of sync (`system:gitops`), the decisions named in the audit reason.
 * Returns the changes moved.
 */
export async function deriveFromLedger(db: Db, trust: Trust, outbox: Outbox, ctx: HandlerContext): Promise<Moved[]> {
  const waiting = db
    .prepare("SELECT id FROM changes WHERE number IS NOT NULL AND status = 'awaiting-approval'")
    .pluck()
    .all() as string[];
  const moved: Moved[] = [];
  for (const id of waiting) {
    const to = await settleOne(db, trust, outbox, ctx, id);
    if (to) moved.push({ id, to });
  }
  return moved;
}

/**
 * The same derivation for one change, for the register to ask right after it (re)enters awaiting-approval: a change
 * sent back for rework and asked for approval again with an unchanged change.yaml has the same digest, so the
 * decisions already signed for it still count, and its state must say so at once, not at the next Sync.
 * Injected into the register's handlers by core.ts (the register does not reach into approvals itself).
 */
export function ledgerSettler(
  services: CoreServices,
): (changeId: string, ctx: HandlerContext) => Promise<"approved" | "rejected" | null> {
  return async (changeId, ctx) => {
    const outbox = outboxOf(services);
    if (!outbox) return null;
    const trust = await trustLoader(outbox.repo.dir, join(services.dataDir, "keys", "demo"))();
    return settleOne(services.register.db, trust, outbox, ctx, changeId);
  };
}

async function settleOne(
  db: Db,
  trust: Trust,
  outbox: Outbox,
  ctx: HandlerContext,
  id: string,
): Promise<"approved" | "rejected" | null> {
  const row = db.prepare("SELECT version, status, number FROM changes WHERE id = ?").get(id) as
    | { version: number; status: string; number: string | null }
    | undefined;
  if (!row || row.number === null || row.status !== "awaiting-approval") return null;
  const { quorum, view } = await loadChangeState(db, id, trust, gitopsPublisher(trust, outbox));
  if (quorum.defeated) {
    systemTransition(db, ctx, "gitops", {
      id,
      to: "rejected",
      expectedVersion: row.version,
      reason: rejectionReason(quorum),
    });
    return "rejected";
  }
  if (quorum.met && quorum.required) {
    ctx.transact(() => {
      recordQuorumMet(db, id, view.digest, ctx.clock.now());
      const who = quorum.counted.map((c) => `${c.email} (${c.role})`).join(", ");
      systemTransition(db, ctx, "gitops", {
        id,
        to: "approved",
        expectedVersion: row.version,
        reason: `Quorum met by the repository's approvals: ${who}`,
      });
    });
    return "approved";
  }
  return null;
}
