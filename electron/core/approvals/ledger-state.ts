import { join } from "node:path";
import type { HandlerContext } from "../dispatch";
import { canonicalChangeYaml } from "../gitops/change-doc";
import { digestOf } from "../gitops/commit";
import { isolatedGitContext } from "../gitops/git";
import type { Outbox } from "../gitops/outbox";
import { outboxOf } from "../gitops/outbox-registry";
import { submittedArtifact } from "../gitops/revisions";
import { type Trust, trustLoader } from "../identity/trust";
import { findChange } from "../register/change-rows";
import type { Db } from "../register/db";
import { numberedChanges } from "../register/ledger-reads";
import { systemTransition } from "../register/system-moves";
import type { CoreServices } from "../services";
import { recordQuorumMet } from "./approval-store";
import { rejectionReason } from "./decide";
import { ledgerOrderQuorum } from "./ledger-order";
import { type ApprovalPublisher, gitopsPublisher } from "./publisher";
import { repoApprovalIndex } from "./repo-approval-index";
import { loadChangeState } from "./state";

/**
 * Where a numbered change may sit when the ledger settles it. Besides awaiting approval: a change whose own laptop
 * did not (or could not) ask for approval after submitting it, while every other laptop imported it as awaiting
 * approval and the approvers met its quorum there. The repository holds the same decisions for all of them, so each
 * laptop ends in the same state (issue #17: a laptop that has synced shows the same state as the one that made it).
 */
// Not "submitted": its move to assessed needs this laptop's risk assessment, which the ledger does not give.
const SETTLEABLE = ["assessed", "awaiting-approval"] as const;

type Moved = { readonly id: string; readonly to: "approved" | "rejected" };

/**
 * After Sync: every numbered change awaiting approval takes the state the repository's signed decisions give it,
 * by the same rule approval.decide follows (a rejection that leaves the quorum impossible → rejected; a quorum met →
 * approved). The moves are automatic steps of sync (`system:gitops`), the decisions named in the audit reason.
 * Returns the changes moved.
 */
export async function deriveFromLedger(db: Db, trust: Trust, outbox: Outbox, ctx: HandlerContext): Promise<Moved[]> {
  const waiting = numberedChanges(db, { live: true, statuses: SETTLEABLE }).map((c) => c.id);
  const moved: Moved[] = [];
  // Settling writes the register only: the repository stays at one HEAD, read once for every change.
  const publisher = await gitopsPublisher(trust, outbox).pinned();
  for (const id of waiting) {
    const to = await settleOne(db, trust, outbox, ctx, id, publisher);
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
  const gitCtx = isolatedGitContext();
  const index = repoApprovalIndex(gitCtx);
  return async (changeId, ctx) => {
    const outbox = outboxOf(services);
    if (!outbox) return null;
    const trust = await trustLoader(outbox.repo.dir, join(services.dataDir, "keys", "demo"))();
    // The repository's decisions are for the bytes it holds: a change edited here and not yet sent again is other
    // bytes, so they cannot approve it now (they did, from a push that brought them in: race seed 908795740).
    const row = findChange(services.register.db, changeId);
    const publisher = gitopsPublisher(trust, outbox, gitCtx, index);
    const sent = row?.number ? publisher.changeDigest(row.number) : null;
    if (row && sent && sent !== digestOf(canonicalChangeYaml(row, submittedArtifact(row)))) return null;
    return settleOne(services.register.db, trust, outbox, ctx, changeId, publisher);
  };
}

async function settleOne(
  db: Db,
  trust: Trust,
  outbox: Outbox,
  ctx: HandlerContext,
  id: string,
  publisher: ApprovalPublisher,
): Promise<"approved" | "rejected" | null> {
  const row = findChange(db, id);
  if (!row || row.number === null || !(SETTLEABLE as readonly string[]).includes(row.status)) return null;
  // The repository's order first: what the ledger settled stays settled whatever order the records arrived in here.
  // Then the change as it stands here, with this laptop's own decisions (only for a change asked for approval).
  const state =
    (await ledgerOrderQuorum(db, id, trust, publisher, outbox.repo)) ??
    (row.status === "awaiting-approval" ? await loadChangeState(db, id, trust, publisher) : null);
  if (!state) return null;
  const { quorum, view } = state;
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
      let version = row.version;
      // A change not asked for approval here was asked elsewhere (every other laptop imported it awaiting approval):
      // the ledger's decisions take it through that step first, as an automatic step of sync like the approval.
      for (const to of stepsToApproved(row.status)) {
        systemTransition(db, ctx, "gitops", {
          id,
          to,
          expectedVersion: version++,
          reason:
            to === "approved"
              ? `Quorum met by the repository's approvals: ${who}`
              : "Approved in the GitOps repository by its approvers: the approval was asked for there",
        });
      }
    });
    return "approved";
  }
  return null;
}

function stepsToApproved(status: string): ("awaiting-approval" | "approved")[] {
  if (status === "assessed") return ["awaiting-approval", "approved"];
  return ["approved"];
}
