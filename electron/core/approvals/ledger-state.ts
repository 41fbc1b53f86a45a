import type { HandlerContext } from "../dispatch";
import type { Outbox } from "../gitops/outbox";
import type { Db } from "../register/db";
import { systemTransition } from "../register/system-moves";
import { recordQuorumMet } from "./approval-store";
import { rejectionReason } from "./decide";
import { gitopsPublisher } from "./publisher";
import { loadChangeState } from "./state";
import type { Trust } from "./trust";

/**
 * After Sync: every numbered change awaiting approval takes the state the repository's signed decisions give it,
 * by the same rule approval.decide follows (a rejection that leaves the quorum impossible → rejected; a quorum met →
 * approved). The moves are automatic steps of sync (`system:gitops`), the decisions named in the audit reason.
 * Returns the changes moved.
 */
export async function deriveFromLedger(
  db: Db,
  trust: Trust,
  outbox: Outbox,
  ctx: HandlerContext,
): Promise<{ readonly id: string; readonly to: "approved" | "rejected" }[]> {
  const publisher = gitopsPublisher(trust, outbox);
  const waiting = db
    .prepare("SELECT id, version FROM changes WHERE number IS NOT NULL AND status = 'awaiting-approval'")
    .all() as { id: string; version: number }[];
  const moved: { id: string; to: "approved" | "rejected" }[] = [];
  for (const { id, version } of waiting) {
    const { quorum, view } = await loadChangeState(db, id, trust, publisher);
    if (quorum.defeated) {
      systemTransition(db, ctx, "gitops", {
        id,
        to: "rejected",
        expectedVersion: version,
        reason: rejectionReason(quorum),
      });
      moved.push({ id, to: "rejected" });
    } else if (quorum.met && quorum.required) {
      ctx.transact(() => {
        recordQuorumMet(db, id, view.digest, ctx.clock.now());
        const who = quorum.counted.map((c) => `${c.email} (${c.role})`).join(", ");
        systemTransition(db, ctx, "gitops", {
          id,
          to: "approved",
          expectedVersion: version,
          reason: `Quorum met by the repository's approvals: ${who}`,
        });
      });
      moved.push({ id, to: "approved" });
    }
  }
  return moved;
}
